import type { GitIdentity } from "../git/git-repository.ts";
import { GitHubHttpError } from "../http-error.ts";
import type { Repo } from "../state/model.ts";
import { afterPush } from "./after-push.ts";
import { directPushRefusal, gh006, GitPushRejected, PROTECTED_DOCS } from "./protection-rules.ts";
import type { SimContext } from "./sim-context.ts";

export interface FileEdit {
  readonly path: string;
  /** New content, or `null` to delete the file. */
  readonly content: Buffer | null;
}

export interface CommitFilesArgs {
  readonly branch: string;
  readonly message: string;
  readonly edits: readonly FileEdit[];
  /** The account that pushes (a person, or the app's bot). */
  readonly pusher: string;
  readonly author?: GitIdentity;
  readonly committer?: GitIdentity;
  /** The branch must still be here, else 409 (a concurrent push). */
  readonly expectedHead?: string;
  /**
   * How the commit arrives, for branch protection's refusal: "api" (contents API: 409, as GitHub
   * answers) or "git" (a push: GitPushRejected with GitHub's GH006 text).
   */
  readonly via: "api" | "git";
  /** GitHub signs it (web-flow) and shows it Verified: an app's API commit without author/committer. */
  readonly sign?: boolean;
}

export interface CommitResult {
  readonly sha: string;
  readonly parent: string;
}

/** Writes one commit on a branch from file edits, moves the branch with compare-and-swap, and runs push side effects. */
export async function commitFiles(
  ctx: SimContext,
  repo: Repo,
  args: CommitFilesArgs,
): Promise<CommitResult> {
  const ref = `refs/heads/${args.branch}`;
  const parent = await repo.git.readRef(ref);
  if (parent === undefined) throw new GitHubHttpError(404, `Branch ${args.branch} not found`);
  if (args.expectedHead !== undefined && args.expectedHead !== parent) {
    throw new GitHubHttpError(
      409,
      `${args.branch} is at ${parent} but expected ${args.expectedHead}`,
    );
  }
  const parentCommit = await repo.git.readCommit(parent);
  if (parentCommit === undefined) throw new GitHubHttpError(409, "Git Repository is empty.");
  const edits = await Promise.all(
    args.edits.map(async (e) => ({
      path: e.path,
      blobSha: e.content === null ? undefined : await repo.git.writeBlob(e.content),
    })),
  );
  const tree = await repo.git.editTree(parentCommit.tree, edits);
  const who = ctx.state.identityOf(args.pusher);
  const sha = await repo.git.commitTree({
    tree,
    parents: [parent],
    message: args.message,
    author: args.author ?? who,
    committer: args.committer ?? who,
    ...(args.sign === true ? { signingKeyPath: ctx.state.webFlowKey.privateKeyPath } : {}),
  });
  const refusal = directPushRefusal(ctx.state, repo, args.branch, args.pusher, sha);
  if (refusal !== undefined) {
    if (args.via === "git") throw new GitPushRejected(gh006(args.branch, refusal));
    throw new GitHubHttpError(409, refusal, { documentationUrl: PROTECTED_DOCS });
  }
  if (!(await repo.git.updateRef(ref, sha, parent))) {
    throw new GitHubHttpError(409, `${args.branch} was updated concurrently; try again`);
  }
  if (args.sign === true) repo.verifiedCommits.add(sha);
  await afterPush(ctx, repo, args.branch, parent, sha, args.pusher);
  return { sha, parent };
}
