/**
 * One comment per outcome, even when two replicas handle the same webhook at once. The comment
 * carries a hidden marker (src/github/pull-feedback.ts `marker`); before writing, the app looks
 * for it, and after writing it reads the comments again: of the app's comments with that marker,
 * the oldest (lowest id) stays and every other writer deletes its own. Exactly one writer returns
 * true, so the Event, the log line and the metric that go with the comment are emitted once.
 */
import type { GitHubApi, RepoRef } from "../github/github-api.ts";
import { marker } from "../github/pull-feedback.ts";

async function markedIds(
  api: GitHubApi,
  repo: RepoRef,
  number: number,
  mark: string,
  botId: number,
): Promise<number[]> {
  const comments = await api.paginate(api.rest.issues.listComments, {
    ...repo,
    issue_number: number,
    per_page: 100,
  });
  return comments
    .filter((c) => c.user?.id === botId && (c.body ?? "").includes(mark))
    .map((c) => c.id);
}

/** Posts `body` once per `key` on the PR; true only for the writer whose comment stays. */
export async function commentOnce(
  api: GitHubApi,
  repo: RepoRef,
  number: number,
  key: string,
  body: string,
  botId: number,
): Promise<boolean> {
  const mark = marker(key);
  if ((await markedIds(api, repo, number, mark, botId)).length > 0) return false;
  const created = await api.rest.issues.createComment({
    ...repo,
    issue_number: number,
    body: `${mark}\n${body}`,
  });
  const ours = created.data.id;
  const all = await markedIds(api, repo, number, mark, botId);
  if (all.every((id) => id >= ours)) return true;
  // Another replica wrote the same outcome first: keep its comment, take ours back.
  await api.rest.issues.deleteComment({ ...repo, comment_id: ours });
  return false;
}
