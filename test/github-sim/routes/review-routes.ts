import { actorLogin } from "../auth.ts";
import { GitHubHttpError } from "../http-error.ts";
import { findPull } from "../ops/pull-ops.ts";
import { listIncludes } from "../ops/protection-rules.ts";
import { dismissReview, submitReview, type ReviewEvent } from "../ops/review-ops.ts";
import { review } from "../present/review.ts";
import type { Repo } from "../state/model.ts";
import { atLeast } from "../state/sim-state.ts";
import { bodyObject, intParam, optString, reqString } from "./body.ts";
import { paginate } from "./paginate.ts";
import { routeRepo } from "./route-repo.ts";
import { json, type Route, type RouteContext, type RouteRequest } from "./route.ts";

function repoOf(ctx: RouteContext, req: RouteRequest, need: "read" | "write"): Repo {
  return routeRepo(ctx, req, "pull_requests", need);
}

export const reviewRoutes: readonly Route[] = [
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/pulls/{pull_number}/reviews",
    operationId: "pulls/list-reviews",
    handle(ctx, req) {
      const repo = repoOf(ctx, req, "read");
      const pr = findPull(repo, intParam(req.params, "pull_number"));
      const viewer = req.actor.kind === "user" ? req.actor.login.toLowerCase() : undefined;
      // Pending reviews are visible only to their author.
      const visible = pr.reviews.filter(
        (r) => r.state !== "PENDING" || r.user.toLowerCase() === viewer,
      );
      const { page, headers } = paginate(visible, req.query, req.url);
      return Promise.resolve(
        json(
          200,
          page.map((r) => review(ctx.state, repo, pr, r, ctx.urls)),
          headers,
        ),
      );
    },
  },
  {
    method: "POST",
    template: "/repos/{owner}/{repo}/pulls/{pull_number}/reviews",
    operationId: "pulls/create-review",
    async handle(ctx, req) {
      const repo = repoOf(ctx, req, "write");
      const pr = findPull(repo, intParam(req.params, "pull_number"));
      const body = bodyObject(req.body);
      const event = optString(body, "event") as ReviewEvent | undefined;
      const r = await submitReview(ctx, repo, pr, {
        reviewer: actorLogin(ctx.state, req.actor),
        event,
        body: optString(body, "body"),
        commitId: optString(body, "commit_id"),
      });
      return json(200, review(ctx.state, repo, pr, r, ctx.urls));
    },
  },
  {
    method: "PUT",
    template: "/repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/dismissals",
    operationId: "pulls/dismiss-review",
    async handle(ctx, req) {
      const repo = repoOf(ctx, req, "write");
      if (
        req.actor.kind === "user" &&
        !atLeast(ctx.state.permissionOf(repo, req.actor.login), "write")
      ) {
        throw new GitHubHttpError(403, "Must have push access to repository");
      }
      const pr = findPull(repo, intParam(req.params, "pull_number"));
      reqString(bodyObject(req.body), "message");
      const who = actorLogin(ctx.state, req.actor);
      const restricted = repo.protection.get(pr.baseRef)?.dismissal_restrictions;
      // "Restrict who can dismiss pull request reviews": only the listed actors and admins may.
      if (
        restricted !== undefined &&
        !listIncludes(ctx.state, repo, restricted, who) &&
        ctx.state.permissionOf(repo, who) !== "admin"
      ) {
        throw new GitHubHttpError(403, "You are not authorized to dismiss this review.");
      }
      const r = await dismissReview(
        ctx,
        repo,
        pr,
        intParam(req.params, "review_id"),
        actorLogin(ctx.state, req.actor),
      );
      return json(200, review(ctx.state, repo, pr, r, ctx.urls));
    },
  },
];
