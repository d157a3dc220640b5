import { actorLogin } from "../auth.ts";
import { pullRequestEvent } from "../events/payloads.ts";
import { GitHubHttpError } from "../http-error.ts";
import { mergePull, type MergeMethod } from "../ops/merge-pull.ts";
import { findPull, openPull, setPullState } from "../ops/pull-ops.ts";
import { liveHeadSha, pullView } from "../ops/pull-view.ts";
import { diffEntry } from "../present/commit.ts";
import { pullRequest } from "../present/pull-request.ts";
import type { PullRequest, Repo } from "../state/model.ts";
import { bodyObject, intParam, optBoolean, optString, reqString } from "./body.ts";
import { commitPage } from "./commit-page.ts";
import { paginate } from "./paginate.ts";
import { routeRepo } from "./route-repo.ts";
import { json, type Route, type RouteContext, type RouteRequest } from "./route.ts";

function repoOf(ctx: RouteContext, req: RouteRequest, need: "read" | "write"): Repo {
  return routeRepo(ctx, req, "pull_requests", need);
}

async function full(
  ctx: RouteContext,
  repo: Repo,
  pr: PullRequest,
): Promise<Record<string, unknown>> {
  const view = await pullView(ctx.state, repo, pr);
  return pullRequest(ctx.state, repo, pr, ctx.urls, view, view);
}

async function baseTip(repo: Repo, pr: PullRequest): Promise<string> {
  return pr.baseShaAtMerge ?? (await repo.git.readRef(`refs/heads/${pr.baseRef}`)) ?? pr.headSha;
}

export const pullRoutes: readonly Route[] = [
  {
    method: "POST",
    template: "/repos/{owner}/{repo}/pulls",
    operationId: "pulls/create",
    async handle(ctx, req) {
      const repo = repoOf(ctx, req, "write");
      const body = bodyObject(req.body);
      const title = optString(body, "title");
      if (title === undefined || title.trim() === "") {
        throw new GitHubHttpError(422, "Validation Failed", {
          body: {
            errors: [{ resource: "PullRequest", field: "title", code: "missing_field" }],
            status: "422",
          },
        });
      }
      const pr = await openPull(ctx, repo, {
        author: actorLogin(ctx.state, req.actor),
        title,
        body: optString(body, "body"),
        head: reqString(body, "head"),
        base: reqString(body, "base"),
        draft: optBoolean(body, "draft"),
        maintainerCanModify: optBoolean(body, "maintainer_can_modify"),
      });
      const out = await full(ctx, repo, pr);
      return json(201, out, { location: String(out.url) });
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/pulls",
    operationId: "pulls/list",
    async handle(ctx, req) {
      const repo = repoOf(ctx, req, "read");
      const state = req.query.get("state") ?? "open";
      const head = req.query.get("head");
      const base = req.query.get("base");
      // As on GitHub, `head` filters only in OWNER:BRANCH form; a bare branch name is ignored.
      const headFilter = head?.includes(":") === true ? head : undefined;
      let pulls = repo.pulls.filter(
        (p) =>
          (state === "all" || p.state === state) &&
          (headFilter === undefined ||
            `${repo.owner}:${p.headRef}`.toLowerCase() === headFilter.toLowerCase()) &&
          (base === null || p.baseRef === base),
      );
      const sort = req.query.get("sort") ?? "created";
      const direction = req.query.get("direction") ?? (sort === "created" ? "desc" : "desc");
      const keyOf = (p: PullRequest): number =>
        sort === "created" ? p.createdAtMs * 1e6 + p.number : p.updatedAtMs;
      pulls = [...pulls].sort((a, b) =>
        direction === "asc" ? keyOf(a) - keyOf(b) : keyOf(b) - keyOf(a),
      );
      const { page, headers } = paginate(pulls, req.query, req.url);
      const out = [];
      for (const p of page) {
        out.push(
          pullRequest(ctx.state, repo, p, ctx.urls, {
            headSha: await liveHeadSha(repo, p),
            baseSha: await baseTip(repo, p),
          }),
        );
      }
      return json(200, out, headers);
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/pulls/{pull_number}",
    operationId: "pulls/get",
    async handle(ctx, req) {
      const repo = repoOf(ctx, req, "read");
      return json(200, await full(ctx, repo, findPull(repo, intParam(req.params, "pull_number"))));
    },
  },
  {
    method: "PATCH",
    template: "/repos/{owner}/{repo}/pulls/{pull_number}",
    operationId: "pulls/update",
    async handle(ctx, req) {
      const repo = repoOf(ctx, req, "write");
      const pr = findPull(repo, intParam(req.params, "pull_number"));
      const body = bodyObject(req.body);
      const title = optString(body, "title");
      const text = optString(body, "body");
      const state = optString(body, "state");
      const base = optString(body, "base");
      // Docs (webhook pull_request "edited"): `changes` holds the old title, body and base.
      const changes: Record<string, unknown> = {};
      if (title !== undefined && title !== pr.title) changes.title = { from: pr.title };
      if (text !== undefined && text !== pr.body) changes.body = { from: pr.body ?? "" };
      if (title !== undefined) pr.title = title;
      if (text !== undefined) pr.body = text;
      if (base !== undefined && base !== pr.baseRef) {
        changes.base = {
          ref: { from: pr.baseRef },
          sha: { from: (await repo.git.readRef(`refs/heads/${pr.baseRef}`)) ?? pr.headSha },
        };
      }
      if (base !== undefined) {
        if ((await repo.git.readRef(`refs/heads/${base}`)) === undefined) {
          throw new GitHubHttpError(422, "Validation Failed", {
            body: {
              errors: [{ resource: "PullRequest", field: "base", code: "invalid" }],
              status: "422",
            },
          });
        }
        pr.baseRef = base;
      }
      if (title !== undefined || text !== undefined || base !== undefined)
        pr.updatedAtMs = ctx.state.clock.now();
      if (Object.keys(changes).length > 0) {
        await pullRequestEvent(ctx, repo, pr, "edited", actorLogin(ctx.state, req.actor), {
          changes,
        });
      }
      if (state === "open" || state === "closed") {
        await setPullState(ctx, repo, pr, state, actorLogin(ctx.state, req.actor));
      }
      return json(200, await full(ctx, repo, pr));
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/pulls/{pull_number}/files",
    operationId: "pulls/list-files",
    async handle(ctx, req) {
      const repo = repoOf(ctx, req, "read");
      const pr = findPull(repo, intParam(req.params, "pull_number"));
      const view = await pullView(ctx.state, repo, pr);
      const entries = view.files.map((f) => diffEntry(repo, f, view.headSha, ctx.urls));
      const { page, headers } = paginate(entries, req.query, req.url);
      return json(200, page, headers);
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/pulls/{pull_number}/commits",
    operationId: "pulls/list-commits",
    async handle(ctx, req) {
      const repo = repoOf(ctx, req, "read");
      const pr = findPull(repo, intParam(req.params, "pull_number"));
      const view = await pullView(ctx.state, repo, pr);
      return commitPage(ctx, req, repo, view.commits);
    },
  },
  {
    method: "PUT",
    template: "/repos/{owner}/{repo}/pulls/{pull_number}/merge",
    operationId: "pulls/merge",
    async handle(ctx, req) {
      const repo = routeRepo(ctx, req, "contents", "write");
      const pr = findPull(repo, intParam(req.params, "pull_number"));
      const body = bodyObject(req.body);
      const method = (optString(body, "merge_method") ?? "merge") as MergeMethod;
      const sha = optString(body, "sha");
      const commitTitle = optString(body, "commit_title");
      const commitMessage = optString(body, "commit_message");
      const merged = await mergePull(ctx, repo, pr, {
        merger: actorLogin(ctx.state, req.actor),
        method,
        ...(sha === undefined ? {} : { sha }),
        ...(commitTitle === undefined ? {} : { commitTitle }),
        ...(commitMessage === undefined ? {} : { commitMessage }),
      });
      return json(200, { sha: merged, merged: true, message: "Pull Request successfully merged" });
    },
  },
];
