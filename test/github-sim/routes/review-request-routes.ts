/**
 * Docs ("REST API endpoints for review requests",
 * https://docs.github.com/en/rest/pulls/review-requests): list, request, remove.
 */
import { actorLogin } from "../auth.ts";
import { GitHubHttpError } from "../http-error.ts";
import { findPull } from "../ops/pull-ops.ts";
import { liveHeadSha } from "../ops/pull-view.ts";
import { removeRequestedReviewers, requestReviewers } from "../ops/review-requests.ts";
import { pullRequest } from "../present/pull-request.ts";
import { team } from "../present/team.ts";
import { simpleUser } from "../present/user.ts";
import type { PullRequest, Repo } from "../state/model.ts";
import { bodyObject, intParam } from "./body.ts";
import { routeRepo } from "./route-repo.ts";
import { json, type Route, type RouteContext, type RouteRequest } from "./route.ts";

function repoOf(ctx: RouteContext, req: RouteRequest, need: "read" | "write"): Repo {
  return routeRepo(ctx, req, "pull_requests", need);
}

function names(body: Record<string, unknown>, field: string): string[] {
  const v = body[field];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

async function simple(
  ctx: RouteContext,
  repo: Repo,
  pr: PullRequest,
): Promise<Record<string, unknown>> {
  const baseSha = (await repo.git.readRef(`refs/heads/${pr.baseRef}`)) ?? pr.headSha;
  return pullRequest(ctx.state, repo, pr, ctx.urls, {
    headSha: await liveHeadSha(repo, pr),
    baseSha: pr.baseShaAtMerge ?? baseSha,
  });
}

export const reviewRequestRoutes: readonly Route[] = [
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
    operationId: "pulls/list-requested-reviewers",
    handle(ctx, req) {
      const repo = repoOf(ctx, req, "read");
      const pr = findPull(repo, intParam(req.params, "pull_number"));
      return Promise.resolve(
        json(200, {
          users: pr.requestedReviewers.map((l) => simpleUser(ctx.state.account(l), ctx.urls)),
          teams: pr.requestedTeams.flatMap((slug) => {
            const t = ctx.state.teams.get(`${repo.owner}/${slug}`.toLowerCase());
            return t === undefined ? [] : [team(ctx.state, t, ctx.urls)];
          }),
        }),
      );
    },
  },
  {
    method: "POST",
    template: "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
    operationId: "pulls/request-reviewers",
    async handle(ctx, req) {
      const repo = repoOf(ctx, req, "write");
      const pr = findPull(repo, intParam(req.params, "pull_number"));
      const body = bodyObject(req.body);
      const users = names(body, "reviewers");
      const teams = names(body, "team_reviewers");
      if (users.length === 0 && teams.length === 0) {
        throw new GitHubHttpError(422, "Invalid request.\n\nNo reviewers or team reviewers given.");
      }
      await requestReviewers(ctx, repo, pr, { users, teams }, actorLogin(ctx.state, req.actor));
      return json(201, await simple(ctx, repo, pr));
    },
  },
  {
    method: "DELETE",
    template: "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
    operationId: "pulls/remove-requested-reviewers",
    async handle(ctx, req) {
      const repo = repoOf(ctx, req, "write");
      const pr = findPull(repo, intParam(req.params, "pull_number"));
      const body = bodyObject(req.body);
      await removeRequestedReviewers(
        ctx,
        repo,
        pr,
        { users: names(body, "reviewers"), teams: names(body, "team_reviewers") },
        actorLogin(ctx.state, req.actor),
      );
      return json(200, await simple(ctx, repo, pr));
    },
  },
];
