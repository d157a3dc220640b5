import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { startServer, stopServer, type StartOptions } from "../kube-server/launcher/server.ts";
import type { KubeServerState } from "../kube-server/launcher/state.ts";

export interface DedicatedServer {
  state: KubeServerState;
  stop: () => Promise<void>;
}

/**
 * A server of its own for a test file whose flags would disturb other tests (short watch
 * timeouts, a cleaner that deletes pending CSRs within seconds). Same binary as the shared one.
 */
export async function startDedicatedServer(
  opts: Omit<StartOptions, "binary" | "stateDir">,
): Promise<DedicatedServer> {
  const stateDir = mkdtempSync(join(tmpdir(), "csr-gitops-kube-"));
  const state = await startServer({
    ...opts,
    binary: inject("kubeServer").serverBinary,
    stateDir,
    exitWithPid: process.pid,
  });
  return {
    state,
    stop: async () => {
      await stopServer(stateDir);
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
