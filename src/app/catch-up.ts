/**
 * Catch-up, at start-up and on every resync: every closed app PR whose outcome is not recorded
 * yet (no receipt), and every open one, is reconciled, so a missed webhook or a crash between
 * merge and approval is repaired. Reconcile is idempotent, so running it again changes nothing.
 */
import { BRANCH_PREFIX } from "../core/record/layout.ts";
import type { GitHubApi, RepoRef } from "../github/github-api.ts";
import type { AppDeps } from "./app-deps.ts";
import { reconcilePull, type PullOutcome } from "./reconcile-pull.ts";

export interface CatchUpResult {
  readonly outcomes: readonly { readonly number: number; readonly outcome: PullOutcome }[];
  readonly errors: readonly { readonly number: number; readonly error: string }[];
}

export async function catchUp(
  api: GitHubApi,
  repo: RepoRef,
  deps: AppDeps,
): Promise<CatchUpResult> {
  const pulls = await api.paginate(api.rest.pulls.list, {
    owner: repo.owner,
    repo: repo.repo,
    state: "all",
    per_page: 100,
  });
  const outcomes: { number: number; outcome: PullOutcome }[] = [];
  const errors: { number: number; error: string }[] = [];
  for (const pr of pulls) {
    if (!pr.head.ref.startsWith(BRANCH_PREFIX)) continue;
    try {
      const outcome = await reconcilePull(api, { ...repo, number: pr.number }, deps, {
        closedBy: null,
      });
      outcomes.push({ number: pr.number, outcome });
    } catch (error) {
      // One PR's failure (GitHub or the apiserver unavailable) must not stop the others.
      const message = error instanceof Error ? error.message : String(error);
      deps.log.error("reconcile failed; retried at the next resync", { pr: pr.number, message });
      errors.push({ number: pr.number, error: message });
    }
  }
  return { outcomes, errors };
}
