import type { GitHub, RepoRef } from "./repo-ref.ts";

/** Adds labels to an issue or pull request (GitHub creates missing labels; adding twice is a no-op). */
export async function addLabels(
  gh: GitHub,
  repo: RepoRef,
  number: number,
  labels: readonly string[],
): Promise<void> {
  await gh.rest.issues.addLabels({ ...repo, issue_number: number, labels: [...labels] });
}

export async function addComment(
  gh: GitHub,
  repo: RepoRef,
  number: number,
  body: string,
): Promise<void> {
  await gh.rest.issues.createComment({ ...repo, issue_number: number, body });
}

/** The bodies of an issue's comments (first page of 100: enough to find the app's own marker). */
export async function listCommentBodies(
  gh: GitHub,
  repo: RepoRef,
  number: number,
): Promise<string[]> {
  const res = await gh.rest.issues.listComments({ ...repo, issue_number: number, per_page: 100 });
  return res.data.map((c) => c.body ?? "");
}
