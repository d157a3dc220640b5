import {
  CODEOWNERS_PATHS,
  ownersOf,
  parseCodeowners,
} from "../../../src/core/github/codeowners.ts";
import type { FileChange } from "../git/git-repository.ts";
import type { PullRequest, Repo } from "../state/model.ts";
import { atLeast, type SimState } from "../state/sim-state.ts";
import { latestOpinions } from "./latest-reviews.ts";
import { checkPassed, expectedChecksMessage } from "./protection-rules.ts";

/** The CODEOWNERS text GitHub would use for a ref: the first of its three locations that exists. */
export async function codeownersAt(
  repo: Repo,
  commitish: string,
): Promise<{ path: string; text: string } | undefined> {
  for (const p of CODEOWNERS_PATHS) {
    const entry = await repo.git.entryAt(commitish, p);
    if (entry?.type === "blob")
      return { path: p, text: (await repo.git.readBlob(entry.sha)).toString("utf8") };
  }
  return undefined;
}

/**
 * Does a CODEOWNERS owner (`@user`, `@org/team`, or an email, which never matches) include this
 * person? A team counts only when the team itself has write access to the repository (docs:
 * "About code owners": "The people you choose as code owners must have write permissions for the
 * repository. When the code owner is a team, that team must be visible and it must have write
 * permissions"), and only its active members (not pending invitations).
 */
export function ownerIncludes(state: SimState, repo: Repo, owner: string, login: string): boolean {
  if (!owner.startsWith("@")) return false;
  const name = owner.slice(1);
  const slash = name.indexOf("/");
  if (slash === -1) return name.toLowerCase() === login.toLowerCase();
  const team = state.teams.get(name.toLowerCase());
  return (
    team !== undefined &&
    atLeast(state.teamPermission(repo, team), "write") &&
    state.membership(team, login)?.state === "active"
  );
}

/** One reason a merge is refused: which rule (reviews can be bypassed apart from checks) and GitHub's words. */
export interface Blocker {
  readonly rule: "reviews" | "checks";
  readonly message: string;
}

/**
 * Why branch protection on the base branch refuses the merge now, in GitHub's words; empty when it
 * allows it. Checked: required approving reviews from people with write access, code owner reviews
 * (CODEOWNERS from the base branch), approval of the last push by someone else, required status
 * checks on the head commit, and (strict checks) a head that contains the base.
 */
export async function mergeBlockers(
  state: SimState,
  repo: Repo,
  pr: PullRequest,
  headSha: string,
  files: readonly FileChange[],
  behind: boolean,
): Promise<Blocker[]> {
  const protection = repo.protection.get(pr.baseRef);
  if (protection === undefined) return [];
  const blockers: Blocker[] = [];
  const review = (message: string): void => {
    blockers.push({ rule: "reviews", message });
  };
  const opinions = [...latestOpinions(pr).values()].filter((r) =>
    atLeast(state.permissionOf(repo, r.user), "write"),
  );
  const approvals = opinions.filter((r) => r.state === "APPROVED");
  const approvers = approvals.map((r) => r.user);
  const needed = protection.required_approving_review_count;
  if (protection.require_pull_request) {
    if (opinions.some((r) => r.state === "CHANGES_REQUESTED")) {
      review("Changes have been requested by a reviewer with write access.");
    }
  }
  if (approvers.length < needed) {
    review(
      needed === 1
        ? "At least 1 approving review is required by reviewers with write access."
        : `At least ${needed} approving reviews are required by reviewers with write access.`,
    );
  }
  if (protection.require_code_owner_reviews) {
    const codeowners = await codeownersAt(repo, `refs/heads/${pr.baseRef}`);
    if (codeowners !== undefined) {
      const { rules } = parseCodeowners(codeowners.text);
      const waiting = new Set<string>();
      for (const f of files) {
        const owners = ownersOf(rules, f.path);
        if (owners === undefined || owners.length === 0) continue;
        const satisfied = approvers.some((a) =>
          owners.some((o) => ownerIncludes(state, repo, o, a)),
        );
        if (!satisfied) for (const o of owners) waiting.add(o);
      }
      if (waiting.size > 0) review(`Waiting on code owner review from ${[...waiting].join(", ")}.`);
    }
  }
  if (protection.require_last_push_approval) {
    const pusher = repo.lastPusher.get(pr.headRef)?.toLowerCase();
    const ok = approvals.some((r) => r.commitId === headSha && r.user.toLowerCase() !== pusher);
    if (!ok) review("The most recent push must be approved by someone other than the last pusher.");
  }
  const required = protection.required_status_checks;
  const missing = required.filter(
    (name) => (protection.strict_status_checks && behind) || !checkPassed(repo, headSha, name),
  );
  const failing = missing.filter((name) => {
    const latest = repo.checkRuns.filter((c) => c.headSha === headSha && c.name === name).at(-1);
    return latest?.status === "completed" && !(protection.strict_status_checks && behind);
  });
  if (failing.length === 1 && missing.length === 1) {
    blockers.push({
      rule: "checks",
      message: `Required status check "${failing[0] ?? ""}" is failing.`,
    });
  } else if (missing.length > 0) {
    blockers.push({ rule: "checks", message: expectedChecksMessage(missing, required.length) });
  }
  return blockers;
}
