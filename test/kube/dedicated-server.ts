import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import {
  restartServer,
  startServer,
  stopServer,
  type StartOptions,
} from "../kube-server/launcher/server.ts";
import type { KubeServerState } from "../kube-server/launcher/state.ts";

export interface DedicatedServer {
  /** The running server (a restart changes its pid, not its ports, paths or CA). */
  readonly state: KubeServerState;
  stop: () => Promise<void>;
  /**
   * Stops the server, runs `whileDown`, and starts it again on the same address with its
   * cluster kept (only for a server started with `keepState`; see launcher/server.ts).
   */
  restart: (whileDown?: () => Promise<void>) => Promise<KubeServerState>;
}

export type DedicatedServerOptions = Omit<StartOptions, "binary" | "stateDir">;

/**
 * A server of its own for a test file whose flags would disturb other tests (short watch
 * timeouts, a cleaner that deletes pending CSRs within seconds, a restart). Same binary as the
 * shared one.
 */
export async function startDedicatedServer(opts: DedicatedServerOptions): Promise<DedicatedServer> {
  const stateDir = mkdtempSync(join(tmpdir(), "csr-gitops-kube-"));
  const startOptions: StartOptions = {
    ...opts,
    binary: inject("kubeServer").serverBinary,
    stateDir,
    exitWithPid: process.pid,
  };
  let state = await startServer(startOptions);
  return {
    get state() {
      return state;
    },
    stop: async () => {
      await stopServer(stateDir);
      rmSync(stateDir, { recursive: true, force: true });
    },
    restart: async (whileDown) => {
      state = await restartServer(startOptions, whileDown);
      return state;
    },
  };
}
