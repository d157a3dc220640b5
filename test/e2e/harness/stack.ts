/**
 * A whole csr-gitops deployment on one machine: a Kubernetes API server, the GitHub simulator over
 * HTTP, and `csr-gitops serve` replicas as child processes configured by environment variables
 * only. The demo (scripts/demo/) and the end-to-end tests (test/e2e/) both drive it. Everything it
 * starts is stopped by `cleanup.run()`, which the caller runs on success, failure and signals.
 */
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import type { Octokit } from "@octokit/rest";
import type { PullRequest } from "../../github-sim/state/model.ts";
import { until } from "../../kube/until.ts";
import { APP_ID, OWNER, REPO, WEBHOOK_SECRET, type Person } from "./audit-seed.ts";
import type { Cleanup } from "./cleanup.ts";
import { startGitHubSide, type GitHubSide } from "./github-side.ts";
import type { KubeTarget } from "./kube-target.ts";
import { startServe, type ServeProcess } from "./serve-process.ts";

export const CLUSTER = "demo";

export interface StackOptions {
  readonly kube: KubeTarget;
  /** Serve only CSRs with this label (tests sharing one apiserver); unset in the demo. */
  readonly label?: Readonly<Record<string, string>>;
  /** CSR_GITOPS_RESYNC_SECONDS (minimum 10). */
  readonly resyncSeconds?: number;
  /** Folder for serve's log files (one per replica); none when absent. */
  readonly logDir?: string;
}

export interface Stack {
  readonly kube: KubeTarget;
  readonly github: GitHubSide;
  readonly leaseName: string;
  /** The environment every replica gets: a deployment's ConfigMap and Secret. */
  readonly env: Readonly<Record<string, string>>;
  readonly replicas: ServeProcess[];
  /** Starts one more serve replica and routes webhooks to it (after those already running). */
  startReplica(name: string): Promise<ServeProcess>;
  /** Stops routing webhooks to a replica (it keeps running). */
  unroute(replica: ServeProcess): void;
  /** The app's pull request for a CSR uid, once it exists. */
  pullFor(uid: string, timeoutMs?: number): Promise<PullRequest>;
  person(login: Person): Octokit;
  /** `git log` of the audit repository's main branch (subject lines, newest first). */
  gitLog(format?: string): string[];
  readonly repoPath: string;
}

function selector(label: Readonly<Record<string, string>>): string {
  return Object.entries(label)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
}

export async function startStack(cleanup: Cleanup, options: StackOptions): Promise<Stack> {
  const github = await startGitHubSide(cleanup);
  const leaseName = `csr-gitops-${randomUUID().slice(0, 8)}`;
  const app = options.kube.actors.app;
  const env: Record<string, string> = {
    APP_ID: String(APP_ID),
    PRIVATE_KEY_PATH: github.privateKeyPath,
    WEBHOOK_SECRET,
    GHE_HOST: new URL(github.url).host,
    GHE_PROTOCOL: "http",
    CSR_GITOPS_AUDIT_REPO: `${OWNER}/${REPO}`,
    CSR_GITOPS_CLUSTERS: `${CLUSTER}=${app.context}`,
    KUBECONFIG: app.kubeconfig,
    CSR_GITOPS_LEASE_NAMESPACE: options.kube.leaseNamespace,
    CSR_GITOPS_LEASE_NAME: leaseName,
    CSR_GITOPS_RESYNC_SECONDS: String(options.resyncSeconds ?? 10),
    ...(options.label === undefined ? {} : { CSR_GITOPS_LABEL_SELECTOR: selector(options.label) }),
  };
  const replicas: ServeProcess[] = [];
  const repoPath = github.sim.repoPath(OWNER, REPO);
  const stack: Stack = {
    kube: options.kube,
    github,
    leaseName,
    env,
    replicas,
    async startReplica(name) {
      const replica = await startServe(
        cleanup,
        name,
        { ...env, POD_NAME: name },
        options.logDir === undefined ? undefined : join(options.logDir, `serve-${name}.log`),
      );
      replicas.push(replica);
      github.webhookTargets.push(replica.port);
      return replica;
    },
    unroute(replica) {
      const i = github.webhookTargets.indexOf(replica.port);
      if (i >= 0) github.webhookTargets.splice(i, 1);
    },
    pullFor(uid, timeoutMs = 180_000) {
      return until(
        `the app's pull request for CSR ${uid}`,
        () =>
          [...github.sim.state.repos.values()]
            .flatMap((r) => [...r.pulls.values()])
            .find((p) => p.headRef.endsWith(uid)),
        timeoutMs,
      );
    },
    person: (login) => github.person(login),
    gitLog(format = "%s") {
      return execFileSync("git", ["log", `--format=${format}`, "main"], { cwd: repoPath })
        .toString()
        .trimEnd()
        .split("\n");
    },
    repoPath,
  };
  return stack;
}
