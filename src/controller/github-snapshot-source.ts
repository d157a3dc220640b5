/**
 * Where `AuditRepoSnapshots` reads on GitHub: the default branch's head (one `git/ref` read) and
 * the audit repo's files at a commit (`readAuditRepoSnapshot`). The branch is asked for lazily, so a
 * caller that does not know it yet reads it once, when first needed.
 */
import type { PrTemplates } from "../core/record/render-pr.ts";
import { branchHead } from "../github/branches.ts";
import type { GitHub, RepoRef } from "../github/repo-ref.ts";
import { readAuditRepoSnapshot } from "./audit-repo-snapshot.ts";
import type { SnapshotSource } from "./snapshot-cache.ts";

export function githubSnapshotSource(
  gh: GitHub,
  repo: RepoRef,
  defaultBranch: () => Promise<string>,
  builtinTemplates: PrTemplates,
): SnapshotSource {
  return {
    head: async () => branchHead(gh, repo, await defaultBranch()),
    readAt: async (commit) =>
      readAuditRepoSnapshot(gh, repo, await defaultBranch(), commit, builtinTemplates),
  };
}
