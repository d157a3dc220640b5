import {
  CODEOWNERS_PATHS,
  ownersOf,
  parseCodeowners,
} from "../../../src/core/github/codeowners.ts";
import type { FileChange } from "../git/git-repository.ts";
import type { PullRequest, Repo } from "../state/model.ts";
import { atLeast, type SimState } from "../state/sim-state.ts";
import { latestOpinions } from "./latest-reviews.ts";

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

/** Does a CODEOWNERS owner (`@user`, `@org/team`, or an email, which never matches) include this person? */
export function ownerIncludes(state: SimState, owner: string, login: string): boolean {
  if (!owner.startsWith("@")) return false;
  const name = owner.slice(1);
  const slash = name.indexOf("/");
  if (slash === -1) return name.toLowerCase() === login.toLowerCase();
  const team = state.teams.get(name.toLowerCase());
  return team !== undefined && state.membership(team, login)?.state === "active";
}

/**
 * Why branch protection on the base branch refuses the merge now, in GitHub's words; empty when it
 * allows it. Checked: required approving reviews from people with write access, code owner reviews
 * (CODEOWNERS from the base branch), and required status checks on the head commit.
 */
export async function mergeBlockers(
  state: SimState,
  repo: Repo,
  pr: PullRequest,
  headSha: string,
  files: readonly FileChange[],
): Promise<string[]> {
  const protection = repo.protection.get(pr.baseRef);
  if (protection === undefined) return [];
  const blockers: string[] = [];
  const opinions = [...latestOpinions(pr).values()].filter((r) =>
    atLeast(state.permissionOf(repo, r.user), "write"),
  );
  const approvers = opinions.filter((r) => r.state === "APPROVED").map((r) => r.user);
  const needed = protection.required_approving_review_count;
  if (needed > 0 || protection.require_code_owner_reviews) {
    if (opinions.some((r) => r.state === "CHANGES_REQUESTED")) {
      blockers.push("Changes have been requested by a reviewer with write access.");
    }
  }
  if (approvers.length < needed) {
    blockers.push(
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
        const satisfied = approvers.some((a) => owners.some((o) => ownerIncludes(state, o, a)));
        if (!satisfied) for (const o of owners) waiting.add(o);
      }
      if (waiting.size > 0)
        blockers.push(`Waiting on code owner review from ${[...waiting].join(", ")}.`);
    }
  }
  for (const name of protection.required_status_checks) {
    const runs = repo.checkRuns.filter((c) => c.headSha === headSha && c.name === name);
    const latest = runs.at(-1);
    if (latest?.status !== "completed") {
      blockers.push(`Required status check "${name}" is expected.`);
    } else if (!["success", "neutral", "skipped"].includes(latest.conclusion ?? "")) {
      blockers.push(`Required status check "${name}" is failing.`);
    }
  }
  return blockers;
}
