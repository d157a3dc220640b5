/**
 * The GitHub client the app's adapters take: Probot's installation-authenticated Octokit (REST
 * methods under `.rest`, pagination, Probot's retry and throttling). Tests give it the simulator's
 * fetch; nothing here reads the environment.
 */
import type { ProbotOctokit } from "probot";

export type GitHubApi = InstanceType<typeof ProbotOctokit>;

export interface RepoRef {
  readonly owner: string;
  readonly repo: string;
}

/** The HTTP status of an Octokit RequestError, or undefined for anything else. */
export function httpStatus(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("status" in error)) return undefined;
  const status = error.status;
  return typeof status === "number" ? status : undefined;
}
