import type { FileChange } from "../git/git-repository.ts";
import type { PullRequest, Repo } from "../state/model.ts";
import type { SimState } from "../state/sim-state.ts";
import { mergeBlockers, type Blocker } from "./merge-blockers.ts";

/** A pull request as git sees it now: tips, merge base, files, commits, and whether it can merge. */
export interface PullView {
  readonly headSha: string;
  readonly baseSha: string;
  readonly mergeBaseSha: string | undefined;
  readonly files: readonly FileChange[];
  /** Oldest first, as GitHub lists a PR's commits. */
  readonly commits: readonly string[];
  readonly mergeable: boolean | null;
  readonly mergeableState: "clean" | "blocked" | "behind" | "draft" | "dirty" | "unknown";
  readonly blockers: readonly Blocker[];
}

/** The live head sha of a PR: the branch tip while it is open and the branch exists. */
export async function liveHeadSha(repo: Repo, pr: PullRequest): Promise<string> {
  if (pr.state === "open") {
    const tip = await repo.git.readRef(`refs/heads/${pr.headRef}`);
    if (tip !== undefined) pr.headSha = tip;
  }
  return pr.headSha;
}

export async function pullView(state: SimState, repo: Repo, pr: PullRequest): Promise<PullView> {
  const headSha = await liveHeadSha(repo, pr);
  const liveBase = await repo.git.readRef(`refs/heads/${pr.baseRef}`);
  const baseSha =
    pr.mergedAtMs !== undefined
      ? (pr.baseShaAtMerge ?? liveBase ?? headSha)
      : (liveBase ?? headSha);
  const mergeBaseSha = await repo.git.mergeBase(baseSha, headSha);
  const files = mergeBaseSha === undefined ? [] : await repo.git.diff(mergeBaseSha, headSha);
  const commits = await repo.git.revList({ include: headSha, exclude: baseSha, reverse: true });
  if (pr.state !== "open") {
    return {
      headSha,
      baseSha,
      mergeBaseSha,
      files,
      commits,
      mergeable: null,
      mergeableState: "unknown",
      blockers: [],
    };
  }
  const mergedTree = await repo.git.mergeTrees(baseSha, headSha);
  if (mergedTree === undefined) {
    return {
      headSha,
      baseSha,
      mergeBaseSha,
      files,
      commits,
      mergeable: false,
      mergeableState: "dirty",
      blockers: [],
    };
  }
  const behind = !(await repo.git.isAncestor(baseSha, headSha));
  const blockers = await mergeBlockers(state, repo, pr, headSha, files, behind);
  const strict = repo.protection.get(pr.baseRef)?.strict_status_checks === true;
  return {
    headSha,
    baseSha,
    mergeBaseSha,
    files,
    commits,
    mergeable: true,
    mergeableState: pr.draft
      ? "draft"
      : strict && behind
        ? "behind"
        : blockers.length > 0
          ? "blocked"
          : "clean",
    blockers,
  };
}
