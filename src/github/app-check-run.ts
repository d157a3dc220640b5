/**
 * The app's own check run on a commit (named `csr-gitops`, written by this app only): where the
 * app keeps the record blob SHA(s) it wrote (external_id), the verdict and the approval count.
 */
import type { GitHubApi, RepoRef } from "./github-api.ts";

export const CHECK_NAME = "csr-gitops";

export interface AppCheckRun {
  readonly id: number;
  readonly externalId: string | null;
  readonly status: string;
  readonly conclusion: string | null;
  readonly title: string | null;
}

/** The newest check run named `csr-gitops` on `sha` made by app `appId`; undefined if none. */
export async function findAppCheckRun(
  api: GitHubApi,
  repo: RepoRef,
  sha: string,
  appId: number,
): Promise<AppCheckRun | undefined> {
  const res = await api.rest.checks.listForRef({
    ...repo,
    ref: sha,
    check_name: CHECK_NAME,
    per_page: 100,
  });
  const runs = res.data.check_runs
    .filter((r) => r.app?.id === appId && r.head_sha === sha)
    .sort((a, b) => b.id - a.id);
  const run = runs[0];
  if (run === undefined) return undefined;
  return {
    id: run.id,
    externalId: run.external_id ?? null,
    status: run.status,
    conclusion: run.conclusion ?? null,
    title: run.output.title ?? null,
  };
}
