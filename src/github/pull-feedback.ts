/**
 * What the app says on a PR: the hidden marker of each outcome's comment (posted once across
 * replicas by src/app/comment-once.ts), labels, and the app's check run. Text given here must
 * already be inert (src/app/display.ts).
 */
import type { GitHubApi, RepoRef } from "./github-api.ts";
import { CHECK_NAME } from "./app-check-run.ts";

export function marker(key: string): string {
  return `<!-- csr-gitops:${key} -->`;
}

export async function addLabels(
  api: GitHubApi,
  repo: RepoRef,
  number: number,
  labels: readonly string[],
): Promise<void> {
  await api.rest.issues.addLabels({ ...repo, issue_number: number, labels: [...labels] });
}

/** The closer's last comment on the PR (their stated reason), or null. */
export async function lastCommentBy(
  api: GitHubApi,
  repo: RepoRef,
  number: number,
  userId: number,
): Promise<string | null> {
  const comments = await api.paginate(api.rest.issues.listComments, {
    ...repo,
    issue_number: number,
    per_page: 100,
  });
  const theirs = comments.filter((c) => c.user?.id === userId);
  return theirs.at(-1)?.body ?? null;
}

export interface CheckRunUpdate {
  readonly title: string;
  readonly summary: string;
  /** undefined: still in progress. */
  readonly conclusion?: "success" | "failure" | "neutral";
  readonly externalId?: string;
}

export async function updateCheckRun(
  api: GitHubApi,
  repo: RepoRef,
  checkRunId: number,
  update: CheckRunUpdate,
): Promise<void> {
  await api.rest.checks.update({
    ...repo,
    check_run_id: checkRunId,
    ...(update.conclusion === undefined
      ? { status: "in_progress" as const }
      : { conclusion: update.conclusion }),
    ...(update.externalId === undefined ? {} : { external_id: update.externalId }),
    output: { title: update.title, summary: update.summary },
  });
}

export async function createCheckRun(
  api: GitHubApi,
  repo: RepoRef,
  headSha: string,
  update: CheckRunUpdate,
): Promise<void> {
  await api.rest.checks.create({
    ...repo,
    name: CHECK_NAME,
    head_sha: headSha,
    ...(update.conclusion === undefined
      ? { status: "in_progress" as const }
      : { status: "completed" as const, conclusion: update.conclusion }),
    ...(update.externalId === undefined ? {} : { external_id: update.externalId }),
    output: { title: update.title, summary: update.summary },
  });
}
