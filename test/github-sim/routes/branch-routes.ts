import { authorizeRepo } from "../auth.ts";
import { GitHubHttpError } from "../http-error.ts";
import { branch } from "../present/branch.ts";
import { json, type Route } from "./route.ts";

export const branchRoutes: readonly Route[] = [
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/branches/{branch}",
    operationId: "repos/get-branch",
    async handle(ctx, req) {
      const repo = ctx.state.repo(req.params.owner ?? "", req.params.repo ?? "");
      authorizeRepo(ctx.state, req.actor, repo, "metadata", "read");
      const name = req.params.branch ?? "";
      const sha = await repo.git.readRef(`refs/heads/${name}`);
      const tip = sha === undefined ? undefined : await repo.git.readCommit(sha);
      if (tip === undefined) throw new GitHubHttpError(404, "Branch not found");
      return json(200, branch(ctx.state, repo, name, tip, ctx.urls));
    },
  },
];
