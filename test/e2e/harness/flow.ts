/**
 * The steps of the flow as people take them, and the waits for what the app does in answer, for
 * the demo and the end-to-end tests. People act over the simulator's REST API with their own
 * tokens (the webhooks GitHub sends follow from that); the waits read the apiserver, the
 * simulator's state and the audit repository's git history.
 */
import type { V1CertificateSigningRequest } from "@kubernetes/client-node";
import type { PullRequest, Repo } from "../../github-sim/state/model.ts";
import { until } from "../../kube/until.ts";
import { readCsr } from "./actors.ts";
import { OWNER, REPO, type Person } from "./audit-seed.ts";
import { CLUSTER, type Stack } from "./stack.ts";

const R = { owner: OWNER, repo: REPO };

/** How long a wait for the app's answer may take (the app is slow on a crowded machine). */
export const WAIT_MS = 180_000;

export function auditRepo(stack: Stack): Repo {
  const repo = stack.github.sim.state.repos.get(`${OWNER}/${REPO}`);
  if (repo === undefined) throw new Error(`the simulator has no ${OWNER}/${REPO}`);
  return repo;
}

export interface OpenedPr {
  readonly pr: PullRequest;
  readonly verdict: "allow" | "deny";
  readonly check: { readonly conclusion: string | null; readonly title: string | null };
}

/** The app's PR for a CSR, once the controller has finished it (verdict label and check run). */
export async function openedPr(stack: Stack, uid: string, timeoutMs = WAIT_MS): Promise<OpenedPr> {
  const pr = await stack.pullFor(uid, timeoutMs);
  return until(
    `PR #${String(pr.number)} to carry its verdict label and check run`,
    () => {
      const label = pr.labels.find((l) => l.startsWith("verdict: "));
      const check = auditRepo(stack).checkRuns.find(
        (c) => c.headSha === pr.headSha && c.name === "csr-gitops",
      );
      if (label === undefined || check === undefined) return undefined;
      const verdict = label === "verdict: allow" ? ("allow" as const) : ("deny" as const);
      return { pr, verdict, check: { conclusion: check.conclusion, title: check.output.title } };
    },
    timeoutMs,
  );
}

export async function approve(stack: Stack, number: number, who: Person): Promise<void> {
  await stack.person(who).rest.pulls.createReview({ ...R, pull_number: number, event: "APPROVE" });
}

/** Both code owners of the seed (alice and bob) approve: what branch protection needs to merge. */
export async function codeOwnersApprove(stack: Stack, number: number): Promise<void> {
  await approve(stack, number, "alice");
  await approve(stack, number, "bob");
}

export async function merge(stack: Stack, number: number, who: Person): Promise<string> {
  const res = await stack.person(who).rest.pulls.merge({ ...R, pull_number: number });
  return res.data.sha;
}

export async function comment(
  stack: Stack,
  number: number,
  who: Person,
  body: string,
): Promise<void> {
  await stack.person(who).rest.issues.createComment({ ...R, issue_number: number, body });
}

export async function close(stack: Stack, number: number, who: Person): Promise<void> {
  await stack.person(who).rest.pulls.update({ ...R, pull_number: number, state: "closed" });
}

/** The CSR once it has condition `type` (Approved, Denied) and, for Approved, its certificate. */
export function csrWith(
  stack: Stack,
  name: string,
  type: "Approved" | "Denied",
  timeoutMs = WAIT_MS,
): Promise<V1CertificateSigningRequest> {
  return until(
    `CSR ${name} to be ${type}${type === "Approved" ? " and issued" : ""}`,
    async () => {
      const csr = await readCsr(stack.kube, name);
      const has = (csr?.status?.conditions ?? []).some(
        (c) => c.type === type && c.status === "True",
      );
      if (!has) return undefined;
      if (type === "Approved" && (csr?.status?.certificate ?? "") === "") return undefined;
      return csr;
    },
    timeoutMs,
  );
}

export function conditionsOf(csr: V1CertificateSigningRequest | undefined): string[] {
  return (csr?.status?.conditions ?? []).map((c) => c.type);
}

/** git log subjects of main once one starts with each of `subjects` (prefix match). */
export function gitLogWith(
  stack: Stack,
  subjects: readonly string[],
  timeoutMs = WAIT_MS,
): Promise<string[]> {
  return until(
    `the audit repository's main to have commits ${JSON.stringify(subjects)}`,
    () => {
      const log = stack.gitLog();
      return subjects.every((s) => log.some((line) => line.startsWith(s))) ? log : undefined;
    },
    timeoutMs,
  );
}

/** The app's comments on a PR (by its bot account). */
export function appComments(stack: Stack, number: number): string[] {
  return auditRepo(stack)
    .comments.filter((c) => c.issueNumber === number && c.user.endsWith("[bot]"))
    .map((c) => c.body);
}

/** Subjects of the app's commits on the audit repository's main, for a CSR of the cluster. */
export const subject = {
  /** The decision receipt of a merged PR. */
  approved: (csrName: string, pr: number): string =>
    `csr-gitops: approved ${CLUSTER}/${csrName} (PR #${String(pr)})`,
  /** The certificate receipt, once the signer issued. */
  issued: (csrName: string): string => `csr-gitops: certificate issued for ${CLUSTER}/${csrName}`,
  /** The record commit on the PR branch (on main once merged). */
  record: (csrName: string): string => `csr-gitops: record ${CLUSTER}/${csrName}`,
  /** The decision receipt of a closed PR. */
  denied: (csrName: string): string => `csr-gitops: denied ${CLUSTER}/${csrName}`,
};

/** The lines of a `git log` that start with `prefix` (commits of one kind). */
export function startingWith(log: readonly string[], prefix: string): string[] {
  return log.filter((line) => line.startsWith(prefix));
}
