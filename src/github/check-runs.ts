import type { GitHub, RepoRef } from "./repo-ref.ts";

export interface CheckRunInput {
  readonly name: string;
  readonly headSha: string;
  readonly externalId: string;
  readonly status: "in_progress" | "completed";
  /** Required when completed. */
  readonly conclusion?: "success" | "failure" | "neutral" | "action_required";
  readonly title: string;
  readonly summary: string;
}

export async function createCheckRun(
  gh: GitHub,
  repo: RepoRef,
  run: CheckRunInput,
): Promise<number> {
  const res = await gh.rest.checks.create({
    ...repo,
    name: run.name,
    head_sha: run.headSha,
    external_id: run.externalId,
    status: run.status,
    ...(run.conclusion === undefined ? {} : { conclusion: run.conclusion }),
    output: { title: run.title, summary: run.summary },
  });
  return res.data.id;
}

/** The id of the latest check run named `name` on `sha`, if any. */
export async function findCheckRun(
  gh: GitHub,
  repo: RepoRef,
  sha: string,
  name: string,
): Promise<number | undefined> {
  const res = await gh.rest.checks.listForRef({ ...repo, ref: sha, check_name: name, per_page: 1 });
  return res.data.check_runs[0]?.id;
}
