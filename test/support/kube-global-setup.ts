/**
 * Vitest global setup: one real Kubernetes API server (test/kube-server) per test run, stopped at
 * teardown. Tests get its kubeconfigs with `inject("kubeServer")` or test/support/kube-clients.ts.
 * Also the container image's files, laid out once per run for the end-to-end tests' `serve`
 * (test/e2e/harness/serve-process.ts and test/kube/serve-process-harness.ts read the folder from
 * IMAGE_DIR_ENV) and removed at teardown.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { assembleImage, IMAGE_DIR_ENV } from "../../scripts/image-layout.ts";
import { ensureBuilt } from "../kube-server/launcher/build.ts";
import { startServer, stopServer } from "../kube-server/launcher/server.ts";
import type { KubeServerState } from "../kube-server/launcher/state.ts";

/** What tests receive: the running server's state plus the binary, to start dedicated servers. */
export interface KubeServerInfo extends KubeServerState {
  /** The built server binary (for tests that need a server with special flags). */
  serverBinary: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    kubeServer: KubeServerInfo;
  }
}

function announceBuild(log: string): void {
  console.error(
    `building the Kubernetes test server (the first build takes many minutes); log: ${log}`,
  );
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { binary } = await ensureBuilt(process.env, announceBuild);
  // A fresh state folder per run: parallel test runs in one checkout do not meet.
  const stateDir = mkdtempSync(join(tmpdir(), "csr-gitops-kube-"));
  const state = await startServer({ binary, stateDir, exitWithPid: process.pid });
  project.provide("kubeServer", { ...state, serverBinary: binary });
  const imageDir = mkdtempSync(join(tmpdir(), "csr-gitops-image-"));
  assembleImage(imageDir);
  // Set before any test file starts: the test processes inherit it.
  process.env[IMAGE_DIR_ENV] = imageDir;
  return async () => {
    await stopServer(stateDir);
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(imageDir, { recursive: true, force: true });
  };
}
