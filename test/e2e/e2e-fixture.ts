/**
 * One end-to-end run per test: the harness (test/e2e/harness/) on the kube project's shared test
 * server (or a dedicated one), every process it started stopped when the test ends, and serve's
 * last log lines printed when it fails. CSRs carry a label unique to the test, which is also
 * serve's CSR_GITOPS_LABEL_SELECTOR, so runs sharing the apiserver never see each other's CSRs.
 */
import { randomUUID } from "node:crypto";
import type { V1CertificateSigningRequest } from "@kubernetes/client-node";
import { afterAll, beforeAll, inject, onTestFailed, onTestFinished } from "vitest";
import {
  startDedicatedServer,
  type DedicatedServer,
  type DedicatedServerOptions,
} from "../kube/dedicated-server.ts";
import { adminClientCsr, createCsr, nodeServingCsr, registerNode } from "./harness/actors.ts";
import { Cleanup } from "./harness/cleanup.ts";
import { testServerTarget, type KubeTarget } from "./harness/kube-target.ts";
import type { LogLine, ServeProcess } from "./harness/serve-process.ts";
import { startStack, type Stack } from "./harness/stack.ts";

export interface E2e {
  readonly stack: Stack;
  readonly cleanup: Cleanup;
  /** The node asks for its serving certificate (the default policy allows it). */
  readonly servingCsr: () => Promise<V1CertificateSigningRequest>;
  /** A client certificate in kubeadm:cluster-admins (the default policy denies it). */
  readonly adminCsr: () => Promise<V1CertificateSigningRequest>;
  /** The serve replica started `index`-th (csr-gitops-<index>). */
  readonly replica: (index: number) => ServeProcess;
}

export interface E2eOptions {
  /** Another Kubernetes target (a dedicated server); default: the shared test server. */
  readonly kube?: KubeTarget;
  /** Serve replicas to start (default 1), named csr-gitops-0, -1, ... */
  readonly replicas?: number;
}

export async function startE2e(options: E2eOptions = {}): Promise<E2e> {
  const cleanup = new Cleanup();
  onTestFinished(async () => {
    const failures = await cleanup.run();
    if (failures.length > 0) throw new Error(`cleanup failed: ${failures.join("; ")}`);
  }, 60_000);
  const kube = options.kube ?? testServerTarget(inject("kubeServer"));
  const label = { "csr-gitops-e2e": randomUUID().slice(0, 8) };
  await registerNode(kube);
  const stack = await startStack(cleanup, { kube, label, resyncSeconds: 10 });
  onTestFailed(() => {
    const repo = stack.github.sim.state.repos.get("acme/csr-audit");
    for (const pr of repo?.pulls ?? []) {
      const checks = (repo?.checkRuns ?? []).filter((c) => c.headSha === pr.headSha);
      console.error(
        `PR #${String(pr.number)} ${pr.state} head ${pr.headSha.slice(0, 8)} labels [${pr.labels.join(", ")}] checks [${checks.map((c) => `${c.name}:${c.status}`).join(", ")}]`,
      );
    }
    for (const r of stack.replicas) {
      const tail = collapseRepeats(r.lines).slice(-30);
      console.error(`serve ${r.name} (last log lines):\n${tail.join("\n")}\n${r.stderr.join("")}`);
    }
  });
  for (let i = 0; i < (options.replicas ?? 1); i++)
    await stack.startReplica(`csr-gitops-${String(i)}`);
  return {
    stack,
    cleanup,
    // Requested as the node on the shared server: alice has no rights there (test/kube/app-rbac).
    servingCsr: () => createCsr(kube, "node", nodeServingCsr(kube.nodeName, label)),
    adminCsr: () => createCsr(kube, "node", adminClientCsr(label)),
    replica: (index) => {
      const replica = stack.replicas[index];
      if (replica === undefined) throw new Error(`no serve replica ${String(index)} runs`);
      return replica;
    },
  };
}

/**
 * Log lines as JSON, a run of lines with the same message (a retry loop while something is down)
 * shown once with its count, so the tail printed on failure still shows what came before.
 */
export function collapseRepeats(lines: readonly LogLine[]): string[] {
  const out: { line: LogLine; times: number }[] = [];
  for (const line of lines) {
    const last = out.at(-1);
    if (last?.line.msg !== undefined && last.line.msg === line.msg) last.times++;
    else out.push({ line, times: 1 });
  }
  return out.map(({ line, times }) =>
    times === 1 ? JSON.stringify(line) : `${JSON.stringify(line)} (and ${String(times - 1)} more)`,
  );
}

/**
 * A test server of the file's own, for scenarios whose server flags or restarts would disturb
 * the files sharing the kube project's server: started before the file's tests, stopped after.
 */
export function dedicatedServerForFile(options: DedicatedServerOptions): {
  readonly server: () => DedicatedServer;
  readonly kube: () => KubeTarget;
} {
  let server: DedicatedServer | undefined;
  beforeAll(async () => {
    server = await startDedicatedServer(options);
  }, 180_000);
  afterAll(() => server?.stop(), 60_000);
  const running = (): DedicatedServer => {
    if (server === undefined) throw new Error("the file's test server did not start");
    return server;
  };
  return { server: running, kube: () => testServerTarget(running().state) };
}

/**
 * Generous: on 2 cores shared with other jobs (load average 30 was seen) one scenario took 4
 * minutes that takes under one on a quiet machine; a standby takes over only when the 15 s Lease
 * expires. Waits inside the flow are bounded by WAIT_MS each.
 */
export const E2E_TIMEOUT = { timeout: 600_000 };

export function nameOf(csr: V1CertificateSigningRequest): string {
  return csr.metadata?.name ?? "";
}

export function uidOf(csr: V1CertificateSigningRequest): string {
  return csr.metadata?.uid ?? "";
}
