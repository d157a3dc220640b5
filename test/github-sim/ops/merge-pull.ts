import type { GitIdentity } from "../git/git-repository.ts";
import { pullRequestEvent } from "../events/payloads.ts";
import { GitHubHttpError } from "../http-error.ts";
import type { PullRequest, Repo } from "../state/model.ts";
import { afterPush } from "./after-push.ts";
import { bypassOf, PROTECTED_DOCS } from "./protection-rules.ts";
import { pullView } from "./pull-view.ts";
import type { SimContext } from "./sim-context.ts";

export type MergeMethod = "merge" | "squash" | "rebase";

export interface MergeArgs {
  readonly merger: string;
  readonly method: MergeMethod;
  /** Precondition: the head must still be at this sha. */
  readonly sha?: string;
  readonly commitTitle?: string;
  readonly commitMessage?: string;
}

/** GitHub's own committer for merges made on the site or through the API (web-flow). */
function webFlow(nowMs: number): GitIdentity {
  return { name: "GitHub", email: "noreply@github.com", dateMs: nowMs };
}

/** Merges a PR as GitHub does, enforcing mergeability, the sha precondition and branch protection. */
export async function mergePull(
  ctx: SimContext,
  repo: Repo,
  pr: PullRequest,
  args: MergeArgs,
): Promise<string> {
  if (pr.state !== "open") throw new GitHubHttpError(405, "Pull Request is not mergeable");
  const view = await pullView(ctx.state, repo, pr);
  if (args.sha !== undefined && args.sha !== view.headSha) {
    throw new GitHubHttpError(409, "Head branch was modified. Review and try the merge again.");
  }
  if (view.mergeable !== true) throw new GitHubHttpError(405, "Pull Request is not mergeable");
  // Drafts cannot be merged by anyone; protection rules bind unless the merger may bypass them.
  if (pr.draft) throw new GitHubHttpError(405, "Pull Request is still a draft");
  const protection = repo.protection.get(pr.baseRef);
  const bypass =
    protection === undefined ? "none" : bypassOf(ctx.state, repo, protection, args.merger);
  const blocker = view.blockers.find(
    (b) => bypass === "none" || (bypass === "pull_request" && b.rule === "checks"),
  );
  if (blocker !== undefined)
    throw new GitHubHttpError(405, blocker.message, { documentationUrl: PROTECTED_DOCS });

  const git = repo.git;
  const now = ctx.state.clock.now();
  const merger = ctx.state.identityOf(args.merger);
  let newTip: string;
  if (args.method === "rebase") {
    newTip = await replay(ctx, repo, view.baseSha, view.commits);
  } else {
    const tree = await git.mergeTrees(view.baseSha, view.headSha);
    if (tree === undefined) throw new GitHubHttpError(405, "Pull Request is not mergeable");
    const title =
      args.commitTitle ??
      (args.method === "merge"
        ? `Merge pull request #${pr.number} from ${repo.owner}/${pr.headRef}`
        : `${pr.title} (#${pr.number})`);
    const body =
      args.commitMessage ??
      (args.method === "merge" ? pr.title : await squashBody(repo, view.commits));
    newTip = await git.commitTree({
      tree,
      parents: args.method === "merge" ? [view.baseSha, view.headSha] : [view.baseSha],
      message: body === "" ? `${title}\n` : `${title}\n\n${body}\n`,
      author: args.method === "merge" ? merger : ctx.state.identityOf(pr.user),
      committer: webFlow(now),
      signingKeyPath: ctx.state.webFlowKey.privateKeyPath,
    });
    repo.verifiedCommits.add(newTip);
  }
  if (!(await git.updateRef(`refs/heads/${pr.baseRef}`, newTip, view.baseSha))) {
    throw new GitHubHttpError(409, "Base branch was modified. Review and try the merge again.");
  }
  pr.state = "closed";
  pr.mergedAtMs = now;
  pr.closedAtMs = now;
  pr.updatedAtMs = now;
  pr.mergedBy = args.merger;
  pr.mergeCommitSha = newTip;
  pr.headSha = view.headSha;
  pr.baseShaAtMerge = view.baseSha;
  await pullRequestEvent(ctx, repo, pr, "closed", args.merger);
  await afterPush(ctx, repo, pr.baseRef, view.baseSha, newTip, args.merger);
  return newTip;
}

async function squashBody(repo: Repo, commits: readonly string[]): Promise<string> {
  const lines: string[] = [];
  for (const sha of commits) {
    const c = await repo.git.readCommit(sha);
    if (c !== undefined) lines.push(`* ${c.message.split("\n")[0] ?? ""}`);
  }
  return lines.join("\n\n");
}

/** Rebase merge: each head commit's file changes applied in order on the base, authors kept, committer GitHub. */
async function replay(
  ctx: SimContext,
  repo: Repo,
  baseSha: string,
  commits: readonly string[],
): Promise<string> {
  const git = repo.git;
  let tip = baseSha;
  for (const sha of commits) {
    const c = await git.readCommit(sha);
    const parent = c?.parents[0];
    if (c === undefined || parent === undefined || c.parents.length > 1) {
      throw new GitHubHttpError(405, "This branch can't be rebased");
    }
    const tipCommit = await git.readCommit(tip);
    if (tipCommit === undefined) throw new GitHubHttpError(405, "This branch can't be rebased");
    const changes = await git.diff(parent, sha);
    for (const ch of changes) {
      // A file the base changed differently since the commit's parent is a conflict.
      const before = await git.entryAt(parent, ch.path);
      const onTip = await git.entryAt(tip, ch.path);
      if (before?.sha !== onTip?.sha && onTip?.sha !== ch.sha) {
        throw new GitHubHttpError(405, "This branch can't be rebased");
      }
    }
    const tree = await git.editTree(
      tipCommit.tree,
      changes.map((ch) => ({ path: ch.path, blobSha: ch.sha })),
    );
    tip = await git.commitTree({
      tree,
      parents: [tip],
      message: c.message,
      author: c.author,
      committer: webFlow(ctx.state.clock.now()),
      signingKeyPath: ctx.state.webFlowKey.privateKeyPath,
    });
    repo.verifiedCommits.add(tip);
  }
  return tip;
}
