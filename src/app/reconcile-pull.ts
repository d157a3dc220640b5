/**
 * reconcile(PR key): read the PR's current state on both sides and take the one next step.
 * Webhooks only say which PR to look at; a duplicate, replayed or out-of-order delivery reads the
 * same state and changes nothing (every write is find-before-create or guarded by preconditions).
 */
import type { GitHubUser } from "../core/approval/index.ts";
import { parseAppBranch } from "../core/record/layout.ts";
import type { GitHubApi, RepoRef } from "../github/github-api.ts";
import { readPullSnapshot } from "../github/read-pull-snapshot.ts";
import type { AppDeps } from "./app-deps.ts";
import { oneAtATime } from "./one-at-a-time.ts";
import { reconcileClosed, type ClosedOutcome } from "./reconcile-closed.ts";
import { reconcileMerged, type MergedOutcome } from "./reconcile-merged.ts";
import { reconcileMergedBatch, type BatchMergedOutcome } from "./reconcile-merged-batch.ts";
import { reconcileOpen, type OpenOutcome } from "./reconcile-open.ts";

export interface PullKey extends RepoRef {
  readonly number: number;
}

/** What a webhook can add that the REST state does not hold. */
export interface PullHints {
  readonly closedBy?: GitHubUser | null;
  readonly before?: string;
  readonly pusher?: string | null;
}

export type PullOutcome =
  | { readonly kind: "not-ours"; readonly reason: string }
  | ({ readonly state: "open" } & OpenOutcome)
  | ({ readonly state: "merged" } & (MergedOutcome | BatchMergedOutcome))
  | ({ readonly state: "closed" } & ClosedOutcome);

/** Reconciles one PR; calls for the same PR in this process run one after another. */
export function reconcilePull(
  api: GitHubApi,
  key: PullKey,
  deps: AppDeps,
  hints: PullHints = {},
): Promise<PullOutcome> {
  return oneAtATime(deps, `${key.owner}/${key.repo}#${String(key.number)}`, () =>
    reconcileNow(api, key, deps, hints, true),
  );
}

async function reconcileNow(
  api: GitHubApi,
  key: PullKey,
  deps: AppDeps,
  hints: PullHints,
  again: boolean,
): Promise<PullOutcome> {
  const repo = { owner: key.owner, repo: key.repo };
  const pr = await api.rest.pulls.get({ ...repo, pull_number: key.number });
  const branch = parseAppBranch(pr.data.head.ref);
  if (branch === undefined) return { kind: "not-ours", reason: "not an app branch" };
  const kube = deps.clusters.get(branch.cluster);
  if (kube === undefined)
    return { kind: "not-ours", reason: `cluster ${branch.cluster} is not served here` };
  const snapshot = await readPullSnapshot(api, repo, key.number, {
    app: deps.identity,
    appId: deps.appId,
    closedBy: hints.closedBy ?? null,
  });
  const ctx = { api, repo, number: key.number, snapshot, cluster: branch.cluster, kube, deps };
  const pull = snapshot.facts.pull;
  if (pull.state === "open") {
    const open = await reconcileOpen(ctx, hints);
    // The PR may have been merged while this reconcile read it as open (a review webhook
    // handled as the merge happens): its check run write could then undo the decided one. Look
    // again; if it is merged now, reconcile it as merged, which completes the check run with the
    // decision (idempotent). A close is left to its own webhook and the catch-up, which know the
    // closer.
    if (again) {
      const now = await api.rest.pulls.get({ ...repo, pull_number: key.number });
      if (now.data.merged) return reconcileNow(api, key, deps, hints, false);
    }
    return { state: "open", ...open };
  }
  if (pull.merged && branch.kind === "batch")
    return { state: "merged", ...(await reconcileMergedBatch(ctx)) };
  if (pull.merged) return { state: "merged", ...(await reconcileMerged(ctx)) };
  return { state: "closed", ...(await reconcileClosed(ctx)) };
}
