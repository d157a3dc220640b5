/**
 * One commit of several files through the git database API (docs: REST "Git trees", "Git
 * commits"): a tree with inline contents on top of the base commit's tree, a commit, and then the
 * branch created at that commit. Three content-creating requests whatever the number of files
 * (the contents API takes one commit per file). The tree and commit are unreferenced objects until
 * the ref names them, so a crash before the ref leaves nothing anyone can see.
 */
import type { GitHub, RepoRef } from "./repo-ref.ts";

export interface InlineFile {
  readonly path: string;
  readonly text: string;
}

/** The tree of a commit. */
export async function commitTree(gh: GitHub, repo: RepoRef, commitSha: string): Promise<string> {
  const commit = await gh.rest.git.getCommit({ ...repo, commit_sha: commitSha });
  return commit.data.tree.sha;
}

/** Creates the tree (base tree plus the files, contents inline) and a commit of it; its SHA. */
export async function commitFiles(
  gh: GitHub,
  repo: RepoRef,
  args: {
    readonly baseCommit: string;
    readonly baseTree: string;
    readonly files: readonly InlineFile[];
    readonly message: string;
  },
): Promise<string> {
  const tree = await gh.rest.git.createTree({
    ...repo,
    base_tree: args.baseTree,
    tree: args.files.map((f) => ({
      path: f.path,
      mode: "100644" as const,
      type: "blob" as const,
      content: f.text,
    })),
  });
  // No author or committer: GitHub then signs the app's commit (the web-flow signature).
  const commit = await gh.rest.git.createCommit({
    ...repo,
    message: args.message,
    tree: tree.data.sha,
    parents: [args.baseCommit],
  });
  return commit.data.sha;
}
