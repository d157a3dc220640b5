import { GitHubHttpError } from "../http-error.ts";
import { commit } from "../present/commit.ts";
import { commitPage } from "./commit-page.ts";
import { routeRepo } from "./route-repo.ts";
import { json, type Route } from "./route.ts";

export const commitRoutes: readonly Route[] = [
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/commits",
    operationId: "repos/list-commits",
    async handle(ctx, req) {
      const repo = routeRepo(ctx, req, "contents", "read");
      const start = req.query.get("sha") ?? repo.defaultBranch;
      const tip = await repo.git.resolveCommit(start);
      if (tip === undefined) throw new GitHubHttpError(404, "Not Found");
      const path = req.query.get("path") ?? undefined;
      const shas = await repo.git.revList(
        path === undefined ? { include: tip } : { include: tip, path },
      );
      return commitPage(ctx, req, repo, shas);
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/commits/{ref}",
    operationId: "repos/get-commit",
    async handle(ctx, req) {
      const repo = routeRepo(ctx, req, "contents", "read");
      const ref = req.params.ref ?? "";
      const sha = await repo.git.resolveCommit(ref);
      const c = sha === undefined ? undefined : await repo.git.readCommit(sha);
      if (c === undefined) throw new GitHubHttpError(422, `No commit found for SHA: ${ref}`);
      const parent = c.parents[0];
      const files =
        parent === undefined
          ? (await repo.git.listTree(c.sha)).map((e) => ({
              path: e.path,
              status: "added" as const,
              additions: 0,
              deletions: 0,
              sha: e.sha,
            }))
          : await repo.git.diff(parent, c.sha);
      return json(200, commit(ctx.state, repo, c, ctx.urls, files));
    },
  },
];
