import { isUnprocessable } from "./request-errors.ts";
import type { GitHub, RepoRef } from "./repo-ref.ts";

/** What the controller needs of a pull request. */
export interface PullSummary {
  readonly number: number;
  readonly state: "open" | "closed";
  readonly merged: boolean;
  readonly headRef: string;
  readonly headSha: string;
  readonly labels: readonly string[];
  readonly createdAt: string;
}

interface PullLike {
  number: number;
  state: string;
  merged_at: string | null;
  created_at: string;
  head: { ref: string; sha: string };
  labels: readonly { name?: string }[];
}

function summary(pull: PullLike): PullSummary {
  return {
    number: pull.number,
    state: pull.state === "open" ? "open" : "closed",
    merged: pull.merged_at !== null,
    headRef: pull.head.ref,
    headSha: pull.head.sha,
    labels: pull.labels.flatMap((l) => (l.name === undefined ? [] : [l.name])),
    createdAt: pull.created_at,
  };
}

/** The newest pull request (any state) whose head is `branch` of this repository. */
export async function findPullByHead(
  gh: GitHub,
  repo: RepoRef,
  branch: string,
): Promise<PullSummary | undefined> {
  // `head` must be OWNER:BRANCH; a bare branch name is ignored and would list every PR.
  const res = await gh.rest.pulls.list({
    ...repo,
    head: `${repo.owner}:${branch}`,
    state: "all",
    per_page: 10,
  });
  const first = res.data[0];
  return first === undefined ? undefined : summary(first);
}

/**
 * Pull requests (any state) created at or after `since`, newest first, whose head branch starts
 * with `prefix`. Pages stop at the first older one, so the cost follows recent activity, not the
 * repository's age.
 */
export async function listRecentPulls(
  gh: GitHub,
  repo: RepoRef,
  prefix: string,
  since: Date,
): Promise<PullSummary[]> {
  const out: PullSummary[] = [];
  for (let page = 1; ; page += 1) {
    const res = await gh.rest.pulls.list({
      ...repo,
      state: "all",
      sort: "created",
      direction: "desc",
      per_page: 100,
      page,
    });
    for (const pull of res.data) {
      if (Date.parse(pull.created_at) < since.getTime()) return out;
      if (pull.head.ref.startsWith(prefix)) out.push(summary(pull));
    }
    if (res.data.length < 100) return out;
  }
}

export type CreatePullResult =
  | { readonly kind: "created"; readonly pull: PullSummary }
  /** GitHub's "A pull request already exists": another replica or an earlier attempt opened it. */
  | { readonly kind: "exists" };

export async function createPull(
  gh: GitHub,
  repo: RepoRef,
  args: { branch: string; base: string; title: string; body: string },
): Promise<CreatePullResult> {
  try {
    const res = await gh.rest.pulls.create({
      ...repo,
      head: `${repo.owner}:${args.branch}`,
      base: args.base,
      title: args.title,
      body: args.body,
      maintainer_can_modify: false,
    });
    return { kind: "created", pull: summary(res.data) };
  } catch (error) {
    if (isUnprocessable(error, "A pull request already exists")) return { kind: "exists" };
    throw error;
  }
}

export async function closePull(gh: GitHub, repo: RepoRef, number: number): Promise<void> {
  await gh.rest.pulls.update({ ...repo, pull_number: number, state: "closed" });
}
