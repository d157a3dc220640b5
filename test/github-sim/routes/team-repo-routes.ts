import { GitHubHttpError, notFound } from "../http-error.ts";
import { repository } from "../present/repository.ts";
import type { Actor, Permission, Repo, Team } from "../state/model.ts";
import type { SimState } from "../state/sim-state.ts";
import { bodyObject, optString } from "./body.ts";
import { json, type Route, type RouteContext, type RouteRequest } from "./route.ts";

/** GitHub's legacy names for repository permissions in this endpoint's body. */
const LEGACY: Record<string, Permission> = {
  pull: "read",
  triage: "triage",
  push: "write",
  maintain: "maintain",
  admin: "admin",
};

/**
 * Managing a team's access to a repository needs admin on the repository (a person), or an
 * installation with the administration permission on it; the team must be in the repository's org.
 */
function authorizeAdmin(state: SimState, actor: Actor, repo: Repo): void {
  if (actor.kind === "user") {
    if (state.permissionOf(repo, actor.login) !== "admin") {
      if (state.permissionOf(repo, actor.login) === undefined && repo.private) throw notFound();
      throw new GitHubHttpError(403, "Must have admin rights to Repository.");
    }
    return;
  }
  if (actor.kind === "installation") {
    const inst = state.app?.installations.get(actor.installationId);
    if (inst?.account.toLowerCase() !== repo.owner.toLowerCase()) throw notFound();
    if (inst.permissions.administration !== "write") {
      throw new GitHubHttpError(403, "Resource not accessible by integration");
    }
    return;
  }
  throw notFound();
}

function target(ctx: RouteContext, req: RouteRequest): { team: Team; repo: Repo } {
  const team = ctx.state.team(req.params.org ?? "", req.params.team_slug ?? "");
  const repo = ctx.state.repo(req.params.owner ?? "", req.params.repo ?? "");
  if (repo.owner.toLowerCase() !== team.org.toLowerCase()) throw notFound();
  return { team, repo };
}

/** Team access to repositories (docs: REST "Teams": add or update, check, remove repository permissions). */
export const teamRepoRoutes: readonly Route[] = [
  {
    method: "PUT",
    template: "/orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}",
    operationId: "teams/add-or-update-repo-permissions-in-org",
    handle(ctx, req) {
      const { team, repo } = target(ctx, req);
      authorizeAdmin(ctx.state, req.actor, repo);
      const asked = optString(bodyObject(req.body), "permission") ?? "push";
      const permission = LEGACY[asked] ?? (asked as Permission);
      repo.teams.set(team.slug.toLowerCase(), permission);
      return Promise.resolve({ status: 204 });
    },
  },
  {
    method: "GET",
    template: "/orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}",
    operationId: "teams/check-permissions-for-repo-in-org",
    handle(ctx, req) {
      const { team, repo } = target(ctx, req);
      if (req.actor.kind === "anonymous") throw notFound();
      const perm = ctx.state.teamPermission(repo, team);
      if (perm === undefined) throw notFound();
      const rank = ["read", "triage", "write", "maintain", "admin"].indexOf(perm);
      const body = repository(ctx.state, repo, ctx.urls, true);
      return Promise.resolve(
        json(200, {
          ...body,
          role_name: perm,
          permissions: {
            pull: rank >= 0,
            triage: rank >= 1,
            push: rank >= 2,
            maintain: rank >= 3,
            admin: rank >= 4,
          },
        }),
      );
    },
  },
  {
    method: "DELETE",
    template: "/orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}",
    operationId: "teams/remove-repo-in-org",
    handle(ctx, req) {
      const { team, repo } = target(ctx, req);
      authorizeAdmin(ctx.state, req.actor, repo);
      repo.teams.delete(team.slug.toLowerCase());
      return Promise.resolve({ status: 204 });
    },
  },
];
