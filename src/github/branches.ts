import { isUnprocessable } from "./request-errors.ts";
import type { GitHub, RepoRef } from "./repo-ref.ts";

/** The commit a branch points at. */
export async function branchHead(gh: GitHub, repo: RepoRef, branch: string): Promise<string> {
  const ref = await gh.rest.git.getRef({ ...repo, ref: `heads/${branch}` });
  return ref.data.object.sha;
}

/**
 * Creates `branch` at `sha`. "created" or "exists" (GitHub's "Reference already exists": another
 * replica or an earlier attempt made it; the caller then reads what is on it).
 */
export async function createBranch(
  gh: GitHub,
  repo: RepoRef,
  branch: string,
  sha: string,
): Promise<"created" | "exists"> {
  try {
    await gh.rest.git.createRef({ ...repo, ref: `refs/heads/${branch}`, sha });
    return "created";
  } catch (error) {
    if (isUnprocessable(error, "Reference already exists")) return "exists";
    throw error;
  }
}
