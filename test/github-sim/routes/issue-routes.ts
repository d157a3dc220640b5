import { actorLogin } from "../auth.ts";
import { GitHubHttpError } from "../http-error.ts";
import { findPull } from "../ops/pull-ops.ts";
import { issueComment } from "../present/issue-comment.ts";
import { label } from "../present/label.ts";
import { issueCommentEvent } from "../events/issue-comment-payload.ts";
import type { IssueComment, PullRequest, Repo } from "../state/model.ts";
import { atLeast } from "../state/sim-state.ts";
import { bodyObject, intParam, reqString } from "./body.ts";
import { paginate } from "./paginate.ts";
import { routeRepo } from "./route-repo.ts";
import { json, type Route, type RouteContext, type RouteRequest } from "./route.ts";

function repoOf(ctx: RouteContext, req: RouteRequest, need: "read" | "write"): Repo {
  return routeRepo(ctx, req, "issues", need);
}

/** Only pull requests exist as issues here (issues proper are not simulated). */
function issueOf(repo: Repo, req: RouteRequest): PullRequest {
  return findPull(repo, intParam(req.params, "issue_number"));
}

function labelsOf(repo: Repo, pr: PullRequest, ctx: RouteContext): Record<string, unknown>[] {
  return pr.labels.flatMap((n) => {
    const l = repo.labels.get(n.toLowerCase());
    return l === undefined ? [] : [label(repo, l, ctx.urls)];
  });
}

function labelNames(body: unknown): string[] {
  const list = Array.isArray(body) ? body : (bodyObject(body).labels ?? []);
  if (!Array.isArray(list))
    throw new GitHubHttpError(422, "Invalid request.\n\nlabels must be an array.");
  return list.map((l: unknown) => {
    if (typeof l === "string") return l;
    if (typeof l === "object" && l !== null && typeof (l as { name?: unknown }).name === "string") {
      return (l as { name: string }).name;
    }
    throw new GitHubHttpError(422, "Invalid request.\n\nlabels must be strings.");
  });
}

function commentOf(repo: Repo, req: RouteRequest): IssueComment {
  const c = repo.comments.find((x) => x.id === intParam(req.params, "comment_id"));
  if (c === undefined) throw new GitHubHttpError(404, "Not Found");
  return c;
}

/** The comment's author, or someone with write access, may edit or delete it. */
function mayChange(ctx: RouteContext, repo: Repo, author: string, who: string): void {
  if (
    author.toLowerCase() !== who.toLowerCase() &&
    !atLeast(ctx.state.permissionOf(repo, who), "write")
  ) {
    throw new GitHubHttpError(403, "Resource not accessible by integration");
  }
}

export const issueRoutes: readonly Route[] = [
  {
    method: "POST",
    template: "/repos/{owner}/{repo}/issues/{issue_number}/comments",
    operationId: "issues/create-comment",
    handle(ctx, req) {
      const repo = repoOf(ctx, req, "write");
      const pr = issueOf(repo, req);
      const now = ctx.state.clock.now();
      const c = {
        id: ctx.state.nextId(),
        issueNumber: pr.number,
        user: actorLogin(ctx.state, req.actor),
        body: reqString(bodyObject(req.body), "body"),
        createdAtMs: now,
        updatedAtMs: now,
      };
      repo.comments.push(c);
      issueCommentEvent(ctx, repo, pr, c, "created", c.user);
      const out = issueComment(ctx.state, repo, c, ctx.urls);
      return Promise.resolve(json(201, out, { location: String(out.url) }));
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/issues/{issue_number}/comments",
    operationId: "issues/list-comments",
    handle(ctx, req) {
      const repo = repoOf(ctx, req, "read");
      const pr = issueOf(repo, req);
      const all = repo.comments.filter((c) => c.issueNumber === pr.number);
      const { page, headers } = paginate(all, req.query, req.url);
      return Promise.resolve(
        json(
          200,
          page.map((c) => issueComment(ctx.state, repo, c, ctx.urls)),
          headers,
        ),
      );
    },
  },
  {
    method: "PATCH",
    template: "/repos/{owner}/{repo}/issues/comments/{comment_id}",
    operationId: "issues/update-comment",
    handle(ctx, req) {
      const repo = repoOf(ctx, req, "write");
      const c = commentOf(repo, req);
      const who = actorLogin(ctx.state, req.actor);
      mayChange(ctx, repo, c.user, who);
      const from = c.body;
      c.body = reqString(bodyObject(req.body), "body");
      c.updatedAtMs = ctx.state.clock.now();
      issueCommentEvent(ctx, repo, findPull(repo, c.issueNumber), c, "edited", who, {
        bodyFrom: from,
      });
      return Promise.resolve(json(200, issueComment(ctx.state, repo, c, ctx.urls)));
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/issues/comments/{comment_id}",
    operationId: "issues/get-comment",
    handle(ctx, req) {
      const repo = repoOf(ctx, req, "read");
      const c = commentOf(repo, req);
      return Promise.resolve(json(200, issueComment(ctx.state, repo, c, ctx.urls)));
    },
  },
  {
    method: "DELETE",
    template: "/repos/{owner}/{repo}/issues/comments/{comment_id}",
    operationId: "issues/delete-comment",
    handle(ctx, req) {
      const repo = repoOf(ctx, req, "write");
      const c = commentOf(repo, req);
      const who = actorLogin(ctx.state, req.actor);
      mayChange(ctx, repo, c.user, who);
      repo.comments.splice(repo.comments.indexOf(c), 1);
      issueCommentEvent(ctx, repo, findPull(repo, c.issueNumber), c, "deleted", who);
      return Promise.resolve({ status: 204 });
    },
  },
  {
    method: "POST",
    template: "/repos/{owner}/{repo}/issues/{issue_number}/labels",
    operationId: "issues/add-labels",
    handle(ctx, req) {
      const repo = repoOf(ctx, req, "write");
      const pr = issueOf(repo, req);
      for (const name of labelNames(req.body)) {
        // GitHub creates a label that does not exist yet when it is added to an issue.
        if (!repo.labels.has(name.toLowerCase())) {
          repo.labels.set(name.toLowerCase(), {
            id: ctx.state.nextId(),
            name,
            color: "ededed",
            description: "",
          });
        }
        if (!pr.labels.some((l) => l.toLowerCase() === name.toLowerCase())) pr.labels.push(name);
      }
      return Promise.resolve(json(200, labelsOf(repo, pr, ctx)));
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/issues/{issue_number}/labels",
    operationId: "issues/list-labels-on-issue",
    handle(ctx, req) {
      const repo = repoOf(ctx, req, "read");
      const { page, headers } = paginate(
        labelsOf(repo, issueOf(repo, req), ctx),
        req.query,
        req.url,
      );
      return Promise.resolve(json(200, page, headers));
    },
  },
  {
    method: "DELETE",
    template: "/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}",
    operationId: "issues/remove-label",
    handle(ctx, req) {
      const repo = repoOf(ctx, req, "write");
      const pr = issueOf(repo, req);
      const name = req.params.name ?? "";
      const i = pr.labels.findIndex((l) => l.toLowerCase() === name.toLowerCase());
      if (i === -1) throw new GitHubHttpError(404, "Label does not exist");
      pr.labels.splice(i, 1);
      return Promise.resolve(json(200, labelsOf(repo, pr, ctx)));
    },
  },
];
