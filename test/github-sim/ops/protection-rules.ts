import type { ActorList } from "../seed/seed-schema.ts";
import type { BranchProtection, Repo } from "../state/model.ts";
import type { SimState } from "../state/sim-state.ts";

/** Where GitHub points protected-branch refusals. */
export const PROTECTED_DOCS = "https://docs.github.com/articles/about-protected-branches";

/**
 * How far an account may go around a branch's protection (docs: "About protected branches",
 * "Allow specified actors to bypass required pull requests", rulesets' bypass list):
 * - "all": a bypass actor, or a repository admin while `enforce_admins` is off (GitHub's default);
 * - "pull_request": named in `bypass_pull_request_allowances`: may push directly and merge without
 *   the required reviews, but status checks still bind;
 * - "none": bound by every rule.
 */
export type Bypass = "all" | "pull_request" | "none";

/** Is `login` (a person, or an app's `<slug>[bot]`) named by the list, directly or through an active team membership? */
export function listIncludes(
  state: SimState,
  repo: Repo,
  list: ActorList | undefined,
  login: string,
): boolean {
  if (list === undefined) return false;
  const who = login.toLowerCase();
  if (list.users.some((u) => u.toLowerCase() === who)) return true;
  if (list.apps.some((a) => `${a}[bot]`.toLowerCase() === who)) return true;
  return list.teams.some((slug) => {
    const team = state.teams.get(`${repo.owner}/${slug}`.toLowerCase());
    return team !== undefined && state.membership(team, login)?.state === "active";
  });
}

export function bypassOf(state: SimState, repo: Repo, p: BranchProtection, login: string): Bypass {
  if (listIncludes(state, repo, p.bypass_actors, login)) return "all";
  if (!p.enforce_admins && state.permissionOf(repo, login) === "admin") return "all";
  if (listIncludes(state, repo, p.bypass_pull_request_allowances, login)) return "pull_request";
  return "none";
}

/** GitHub's summary of required checks that are not yet green, e.g. `2 of 2 required status checks are expected.` */
export function expectedChecksMessage(missing: readonly string[], total: number): string {
  const [only] = missing;
  if (total === 1 && only !== undefined) return `Required status check "${only}" is expected.`;
  return `${missing.length} of ${total} required status checks are expected.`;
}

/** Is a required check green on a commit: its latest run completed with success, neutral or skipped? */
export function checkPassed(repo: Repo, sha: string, name: string): boolean {
  const latest = repo.checkRuns.filter((c) => c.headSha === sha && c.name === name).at(-1);
  return (
    latest?.status === "completed" &&
    ["success", "neutral", "skipped"].includes(latest.conclusion ?? "")
  );
}

/**
 * Why a direct write to `branch` (contents API, ref update, git push) by `pusher` is refused, in
 * GitHub's words; undefined when it is allowed. "Require a pull request before merging" refuses
 * every direct write except from a bypasser; required status checks refuse a new tip whose checks
 * are not green.
 */
export function directPushRefusal(
  state: SimState,
  repo: Repo,
  branch: string,
  pusher: string,
  newSha: string | undefined,
): string | undefined {
  const p = repo.protection.get(branch);
  if (p === undefined) return undefined;
  const bypass = bypassOf(state, repo, p, pusher);
  if (bypass === "all") return undefined;
  const reasons: string[] = [];
  if (p.require_pull_request && bypass === "none") {
    reasons.push("Changes must be made through a pull request.");
  }
  const missing = p.required_status_checks.filter(
    (name) => newSha === undefined || !checkPassed(repo, newSha, name),
  );
  if (missing.length > 0)
    reasons.push(expectedChecksMessage(missing, p.required_status_checks.length));
  return reasons.length === 0 ? undefined : reasons.join(" ");
}

/** The error text of a refused `git push`, as GitHub's pre-receive hook prints it. */
export function gh006(branch: string, reason: string): string {
  return `GH006: Protected branch update failed for refs/heads/${branch}.\n${reason}`;
}

/** A `git push` the server refused (what `sim.actions.push` throws for a protected branch). */
export class GitPushRejected extends Error {
  override readonly name = "GitPushRejected";
}
