/**
 * The Kubernetes side of a harness run: the project's test server (built on first use, with
 * progress and elapsed time on stderr), or a disposable cluster of the user's given by kubeconfig.
 * Each actor (the app, an admin, a node, a user) has a kubeconfig file and context to act with.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { ensureBuilt } from "../../kube-server/launcher/build.ts";
import { startServer, stopServer } from "../../kube-server/launcher/server.ts";
import type { Identity, KubeServerState } from "../../kube-server/launcher/state.ts";
import type { Cleanup } from "./cleanup.ts";

export interface KubeActor {
  readonly kubeconfig: string;
  readonly context: string;
}

export interface KubeTarget {
  /** "test server" or "your cluster (CONTEXT)". */
  readonly description: string;
  readonly actors: Readonly<Record<Identity, KubeActor>>;
  /** The project's test server, when it is the one in use (its CA, its admin endpoint). */
  readonly server?: KubeServerState;
  /** The Node the kubelet actor is (worker-1 on the test server). */
  readonly nodeName: string;
  /** The node and user actors are an admin impersonating them (a user's cluster has no such kubeconfigs). */
  readonly impersonate: boolean;
  /** Where serve keeps its Lease (the test server has the csr-gitops namespace; a user's cluster may not). */
  readonly leaseNamespace: string;
}

export type Say = (line: string) => void;

function seconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60
    ? `${String(s)}s`
    : `${String(Math.floor(s / 60))}m${String(s % 60).padStart(2, "0")}s`;
}

function lastLine(file: string): string {
  try {
    if (!existsSync(file) || statSync(file).size === 0) return "";
    const lines = readFileSync(file, "utf8").trimEnd().split("\n");
    return (lines.at(-1) ?? "").slice(0, 120);
  } catch {
    return "";
  }
}

/** Builds the test server when its sources changed or it was never built, saying how long it takes. */
export async function buildKubeServer(say: Say): Promise<string> {
  const started = Date.now();
  let ticker: NodeJS.Timeout | undefined;
  const result = await ensureBuilt(process.env, (log) => {
    say(
      `Building the Kubernetes test server (first use only; about 20 minutes on 2 cores). Log: ${log}`,
    );
    ticker = setInterval(() => {
      const line = lastLine(log);
      say(
        `  still building, ${seconds(Date.now() - started)} elapsed${line === "" ? "" : `: ${line}`}`,
      );
    }, 15_000);
  }).finally(() => {
    if (ticker !== undefined) clearInterval(ticker);
  });
  if (result.built) say(`Built the Kubernetes test server in ${seconds(Date.now() - started)}.`);
  return result.binary;
}

export interface TestServerOptions {
  /** Watches end after 1-2x this many seconds (to exercise watch restarts). */
  readonly minRequestTimeoutSeconds?: number;
}

/** Starts the project's test server in a fresh state folder; the cleanup stops it. */
export async function startTestServer(
  cleanup: Cleanup,
  say: Say,
  options: TestServerOptions = {},
): Promise<KubeTarget> {
  const binary = await buildKubeServer(say);
  const stateDir = mkdtempSync(join(tmpdir(), "csr-gitops-e2e-kube-"));
  const started = Date.now();
  cleanup.add("stop the Kubernetes test server", async () => {
    await stopServer(stateDir);
    rmSync(stateDir, { recursive: true, force: true });
  });
  const state = await startServer({
    binary,
    stateDir,
    // The server ends itself when this process ends, however it ends.
    exitWithPid: process.pid,
    ...(options.minRequestTimeoutSeconds === undefined
      ? {}
      : { minRequestTimeoutSeconds: options.minRequestTimeoutSeconds }),
  });
  say(
    `Kubernetes test server ${state.version} ready in ${seconds(Date.now() - started)} at ${state.apiserverUrl}.`,
  );
  return testServerTarget(state);
}

/** A running test server (for example Vitest's shared one) as a harness target. */
export function testServerTarget(state: KubeServerState): KubeTarget {
  const actor = (id: Identity): KubeActor => ({ kubeconfig: state.kubeconfigs[id], context: id });
  return {
    description: "the Kubernetes test server",
    actors: { admin: actor("admin"), app: actor("app"), node: actor("node"), user: actor("user") },
    server: state,
    nodeName: "worker-1",
    impersonate: false,
    leaseNamespace: "csr-gitops",
  };
}

/**
 * A user's disposable cluster: every actor uses the kubeconfig's current context (an admin), and
 * the node and user actors are impersonated (see actors.ts). The demo adds its CSRs, a Node object
 * `csr-gitops-demo-worker`, a ClusterRole and binding `csr-gitops-demo-csr-requester`, and a
 * Lease in `default`; the app runs with the context's (admin) rights, not the least-privilege role.
 */
export function userClusterTarget(kubeconfig: string): KubeTarget {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const context = kc.getCurrentContext();
  const actor: KubeActor = { kubeconfig, context };
  return {
    description: `your cluster (context ${context})`,
    actors: { admin: actor, app: actor, node: actor, user: actor },
    nodeName: "csr-gitops-demo-worker",
    impersonate: true,
    leaseNamespace: "default",
  };
}

export function kubeConfigOf(actor: KubeActor): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(actor.kubeconfig);
  kc.setCurrentContext(actor.context);
  return kc;
}
