import { pullRequestEvent } from "../events/payloads.ts";
import { GitHubHttpError } from "../http-error.ts";
import type { PullRequest, Repo } from "../state/model.ts";
import type { SimContext } from "./sim-context.ts";

function prInvalid(field: string, code = "invalid"): GitHubHttpError {
  return new GitHubHttpError(422, "Validation Failed", {
    body: { errors: [{ resource: "PullRequest", field, code }], status: "422" },
  });
}

function prCustom(message: string): GitHubHttpError {
  return new GitHubHttpError(422, "Validation Failed", {
    body: { errors: [{ resource: "PullRequest", code: "custom", message }], status: "422" },
  });
}

export interface OpenPullArgs {
  readonly author: string;
  readonly title: string;
  readonly body?: string | undefined;
  /** `OWNER:BRANCH` or a bare branch name of this repository (forks are not simulated). */
  readonly head: string;
  readonly base: string;
  readonly draft?: boolean | undefined;
  readonly maintainerCanModify?: boolean | undefined;
}

/** Opens a PR with GitHub's checks: both branches exist, commits differ, no open PR for the same head and base. */
export async function openPull(
  ctx: SimContext,
  repo: Repo,
  args: OpenPullArgs,
): Promise<PullRequest> {
  const colon = args.head.indexOf(":");
  const headOwner = colon === -1 ? repo.owner : args.head.slice(0, colon);
  const headRef = colon === -1 ? args.head : args.head.slice(colon + 1);
  if (headOwner.toLowerCase() !== repo.owner.toLowerCase()) throw prInvalid("head");
  const headSha = await repo.git.readRef(`refs/heads/${headRef}`);
  if (headSha === undefined) throw prInvalid("head");
  const baseSha = await repo.git.readRef(`refs/heads/${args.base}`);
  if (baseSha === undefined) throw prInvalid("base");
  const existing = repo.pulls.find(
    (p) => p.state === "open" && p.headRef === headRef && p.baseRef === args.base,
  );
  if (existing !== undefined)
    throw prCustom(`A pull request already exists for ${repo.owner}:${headRef}.`);
  if (await repo.git.isAncestor(headSha, baseSha))
    throw prCustom(`No commits between ${args.base} and ${headRef}`);
  const now = ctx.state.clock.now();
  const pr: PullRequest = {
    number: repo.nextNumber,
    id: ctx.state.nextId(),
    title: args.title,
    body: args.body ?? null,
    state: "open",
    user: ctx.state.account(args.author).login,
    headRef,
    headSha,
    baseRef: args.base,
    draft: args.draft ?? false,
    maintainerCanModify: args.maintainerCanModify ?? true,
    createdAtMs: now,
    updatedAtMs: now,
    closedAtMs: undefined,
    mergedAtMs: undefined,
    mergeCommitSha: undefined,
    mergedBy: undefined,
    baseShaAtMerge: undefined,
    labels: [],
    reviews: [],
    requestedReviewers: [],
    requestedTeams: [],
  };
  repo.nextNumber += 1;
  repo.pulls.push(pr);
  await pullRequestEvent(ctx, repo, pr, "opened", args.author);
  return pr;
}

export function findPull(repo: Repo, number: number): PullRequest {
  const pr = repo.pulls.find((p) => p.number === number);
  if (pr === undefined) throw new GitHubHttpError(404, "Not Found");
  return pr;
}

/** Closes (without merging) or reopens a PR. */
export async function setPullState(
  ctx: SimContext,
  repo: Repo,
  pr: PullRequest,
  state: "open" | "closed",
  actor: string,
): Promise<void> {
  if (pr.state === state) return;
  const now = ctx.state.clock.now();
  if (state === "closed") {
    pr.state = "closed";
    pr.closedAtMs = now;
    pr.updatedAtMs = now;
    await pullRequestEvent(ctx, repo, pr, "closed", actor);
    return;
  }
  if (pr.mergedAtMs !== undefined)
    throw prCustom("state cannot be changed. The pull request has been merged.");
  const tip = await repo.git.readRef(`refs/heads/${pr.headRef}`);
  if (tip === undefined) throw prCustom("state cannot be changed. The head branch was deleted.");
  pr.state = "open";
  pr.closedAtMs = undefined;
  pr.updatedAtMs = now;
  pr.headSha = tip;
  await pullRequestEvent(ctx, repo, pr, "reopened", actor);
}
