import { GitHubHttpError } from "../http-error.ts";
import { branch } from "../present/branch.ts";
import { routeRepo } from "./route-repo.ts";
import { json, type Route } from "./route.ts";

export const branchRoutes: readonly Route[] = [
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/branches/{branch}",
    operationId: "repos/get-branch",
    async handle(ctx, req) {
      const repo = routeRepo(ctx, req, "metadata", "read");
      const name = req.params.branch ?? "";
      const sha = await repo.git.readRef(`refs/heads/${name}`);
      const tip = sha === undefined ? undefined : await repo.git.readCommit(sha);
      if (tip === undefined) throw new GitHubHttpError(404, "Branch not found");
      return json(200, branch(ctx.state, repo, name, tip, ctx.urls));
    },
  },
];
