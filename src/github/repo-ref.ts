import type { Octokit } from "@octokit/rest";

/** One repository, as every adapter in this folder takes it. */
export interface RepoRef {
  readonly owner: string;
  readonly repo: string;
}

/** The client the adapters use: @octokit/rest's (Probot's context.octokit is compatible). */
export type GitHub = Octokit;
