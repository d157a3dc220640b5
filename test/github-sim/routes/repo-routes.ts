import {
  parseCodeowners,
  unknownOwnerErrors,
  type Owner,
} from "../../../src/core/github/codeowners.ts";
import { routeRepo } from "./route-repo.ts";
import { GitHubHttpError } from "../http-error.ts";
import { codeownersAt } from "../ops/merge-blockers.ts";
import { protectionBody } from "../present/branch-protection.ts";
import { repository } from "../present/repository.ts";
import { simpleUser } from "../present/user.ts";
import type { BranchProtection, Repo } from "../state/model.ts";
import { atLeast, type SimState } from "../state/sim-state.ts";
import { bodyObject } from "./body.ts";
import { json, type Route } from "./route.ts";

/** Can GitHub use this owner: an existing user with write access, or an existing team of the repo's org? */
function ownerUsable(state: SimState, repo: Repo, owner: Owner): boolean {
  switch (owner.kind) {
    case "user":
      return (
        state.findAccount(owner.login) !== undefined &&
        atLeast(state.permissionOf(repo, owner.login), "write")
      );
    case "team":
      return state.teams.has(`${owner.org}/${owner.slug}`.toLowerCase());
    case "email":
      return true;
  }
}

export const repoRoutes: readonly Route[] = [
  {
    method: "GET",
    template: "/repos/{owner}/{repo}",
    operationId: "repos/get",
    handle(ctx, req) {
      const repo = routeRepo(ctx, req, "metadata", "read");
      return Promise.resolve(json(200, repository(ctx.state, repo, ctx.urls, true)));
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/collaborators/{username}/permission",
    operationId: "repos/get-collaborator-permission-level",
    handle(ctx, req) {
      const repo = routeRepo(ctx, req, "metadata", "read");
      const user = ctx.state.findAccount(req.params.username ?? "");
      if (user === undefined || user.type === "Organization") {
        throw new GitHubHttpError(404, `${req.params.username ?? ""} is not a user`);
      }
      const role = ctx.state.permissionOf(repo, user.login);
      // The legacy `permission` field folds maintain into write and triage into read.
      const permission =
        role === undefined
          ? "none"
          : role === "maintain"
            ? "write"
            : role === "triage"
              ? "read"
              : role;
      return Promise.resolve(
        json(200, {
          permission,
          role_name: role ?? "none",
          user: { ...simpleUser(user, ctx.urls), role_name: role ?? "none" },
        }),
      );
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/codeowners/errors",
    operationId: "repos/codeowners-errors",
    async handle(ctx, req) {
      const repo = routeRepo(ctx, req, "metadata", "read");
      const ref = req.query.get("ref") ?? repo.defaultBranch;
      const sha = await repo.git.resolveCommit(ref);
      if (sha === undefined) throw new GitHubHttpError(404, "Not Found");
      const file = await codeownersAt(repo, sha);
      if (file === undefined) throw new GitHubHttpError(404, "Not Found");
      const errors = [
        ...parseCodeowners(file.text).errors,
        ...unknownOwnerErrors(file.text, (o) => ownerUsable(ctx.state, repo, o)),
      ]
        .sort((a, b) => a.line - b.line || a.column - b.column)
        .map((e) => ({ ...e, path: file.path }));
      return json(200, { errors });
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/branches/{branch}/protection",
    operationId: "repos/get-branch-protection",
    handle(ctx, req) {
      const repo = routeRepo(ctx, req, "administration", "read");
      const branch = req.params.branch ?? "";
      const p = repo.protection.get(branch);
      if (p === undefined) throw new GitHubHttpError(404, "Branch not protected");
      return Promise.resolve(json(200, protectionBody(ctx.urls, repo, branch, p)));
    },
  },
  {
    method: "PUT",
    template: "/repos/{owner}/{repo}/branches/{branch}/protection",
    operationId: "repos/update-branch-protection",
    async handle(ctx, req) {
      const repo = routeRepo(ctx, req, "administration", "write");
      const branch = req.params.branch ?? "";
      if ((await repo.git.readRef(`refs/heads/${branch}`)) === undefined) {
        throw new GitHubHttpError(404, "Branch not found");
      }
      const body = bodyObject(req.body);
      const checks = body.required_status_checks as {
        contexts?: string[];
        checks?: { context: string }[];
      } | null;
      const reviews = body.required_pull_request_reviews as {
        dismiss_stale_reviews?: boolean;
        require_code_owner_reviews?: boolean;
        required_approving_review_count?: number;
      } | null;
      const p: BranchProtection = {
        required_status_checks:
          checks === null
            ? []
            : [...(checks.contexts ?? []), ...(checks.checks ?? []).map((c) => c.context)],
        required_approving_review_count: reviews?.required_approving_review_count ?? 0,
        require_code_owner_reviews: reviews?.require_code_owner_reviews ?? false,
        dismiss_stale_reviews: reviews?.dismiss_stale_reviews ?? false,
      };
      repo.protection.set(branch, p);
      return json(200, protectionBody(ctx.urls, repo, branch, p));
    },
  },
];
