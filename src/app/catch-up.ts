/**
 * Catch-up, at start-up and on every resync, proportional to the work (docs/approval.md):
 *
 * - The first pass after start-up reads every app PR (a crash between a merge and its approval is
 *   repaired there, whatever happened while the app was down).
 * - Later passes read the PR list newest-updated first and stop at the first PR not updated since
 *   the last completed pass started, minus an overlap for clock skew and GitHub's list lag. A
 *   missed merge, close or review webhook updates the PR, so it falls in that window.
 * - PRs the last pass left unsettled are looked at again whatever their update time: a receipt
 *   the default branch refused, a certificate the signer has not issued yet, a reconcile that
 *   failed. Nothing on GitHub changes when the signer issues, so this list is what brings the
 *   certificate receipt.
 *
 * Reconcile is idempotent, so reading a PR again (overlap, replay) changes nothing.
 */
import { BRANCH_PREFIX } from "../core/record/layout.ts";
import type { GitHubApi, RepoRef } from "../github/github-api.ts";
import type { AppDeps } from "./app-deps.ts";
import { reconcilePull, type PullOutcome } from "./reconcile-pull.ts";

export interface CatchUpResult {
  readonly outcomes: readonly { readonly number: number; readonly outcome: PullOutcome }[];
  readonly errors: readonly { readonly number: number; readonly error: string }[];
  /** PRs listed as updated in the window (all app PRs on a first pass). */
  readonly listed: number;
  /** Whether this pass read every app PR (the first pass). */
  readonly full: boolean;
}

/** What one replica remembers between passes (in memory: a restart begins with a full pass). */
export interface CatchUpState {
  /** When the last completed pass started; null before the first. */
  since: Date | null;
  /** PRs to look at again at the next pass, whatever their update time. */
  unsettled: Set<number>;
}

/** How far before the last pass's start a later pass still reads. */
export const CATCH_UP_OVERLAP_MS = 10 * 60 * 1000;

export function newCatchUpState(): CatchUpState {
  return { since: null, unsettled: new Set() };
}

// serve.ts calls catchUp with the same deps on every resync: the state lives with them.
const states = new WeakMap<AppDeps, CatchUpState>();

function stateOf(deps: AppDeps): CatchUpState {
  let state = states.get(deps);
  if (state === undefined) {
    state = newCatchUpState();
    states.set(deps, state);
  }
  return state;
}

function isSettled(outcome: PullOutcome): boolean {
  if (outcome.kind === "not-ours" || outcome.state === "open") return true;
  if (outcome.state === "merged") return outcome.settled;
  return outcome.kind === "skipped" || outcome.settled;
}

/** App PRs updated at or after `cutoff` (every app PR when null), newest first. */
async function appPullsSince(
  api: GitHubApi,
  repo: RepoRef,
  cutoff: Date | null,
): Promise<number[]> {
  const numbers: number[] = [];
  const pages = api.paginate.iterator(api.rest.pulls.list, {
    ...repo,
    state: "all",
    sort: "updated",
    direction: "desc",
    per_page: 100,
  });
  for await (const page of pages) {
    for (const pr of page.data) {
      if (cutoff !== null && Date.parse(pr.updated_at) < cutoff.getTime()) return numbers;
      if (pr.head.ref.startsWith(BRANCH_PREFIX)) numbers.push(pr.number);
    }
  }
  return numbers;
}

export async function catchUp(
  api: GitHubApi,
  repo: RepoRef,
  deps: AppDeps,
  state: CatchUpState = stateOf(deps),
): Promise<CatchUpResult> {
  const started = deps.now();
  const cutoff =
    state.since === null ? null : new Date(state.since.getTime() - CATCH_UP_OVERLAP_MS);
  const listed = await appPullsSince(api, repo, cutoff);
  const numbers = [...new Set([...listed, ...state.unsettled])];
  const outcomes: { number: number; outcome: PullOutcome }[] = [];
  const errors: { number: number; error: string }[] = [];
  const unsettled = new Set<number>();
  for (const number of numbers) {
    try {
      const outcome = await reconcilePull(api, { ...repo, number }, deps, { closedBy: null });
      outcomes.push({ number, outcome });
      if (!isSettled(outcome)) unsettled.add(number);
    } catch (error) {
      // One PR's failure (GitHub or the apiserver unavailable) must not stop the others.
      const message = error instanceof Error ? error.message : String(error);
      deps.log.error("reconcile failed; retried at the next resync", { pr: number, message });
      errors.push({ number, error: message });
      unsettled.add(number);
    }
  }
  // The pass completed (the list was read whole): the next one starts from here. A failed list
  // throws before this line and leaves the state as it was.
  state.since = started;
  state.unsettled = unsettled;
  return { outcomes, errors, listed: listed.length, full: cutoff === null };
}
