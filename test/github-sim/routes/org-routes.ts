import { GitHubHttpError } from "../http-error.ts";
import { simpleUser } from "../present/user.ts";
import type { Actor } from "../state/model.ts";
import type { SimState } from "../state/sim-state.ts";
import { json, type Route } from "./route.ts";

/** Installations need the members permission on their own org; people must belong to the org. */
function authorizeOrg(state: SimState, actor: Actor, org: string): void {
  if (actor.kind === "installation") {
    const inst = state.app?.installations.get(actor.installationId);
    if (inst?.account.toLowerCase() !== org.toLowerCase())
      throw new GitHubHttpError(404, "Not Found");
    if (inst.permissions.members === undefined) {
      throw new GitHubHttpError(403, "Resource not accessible by integration");
    }
    return;
  }
  if (actor.kind === "user" && state.isOrgMember(org, actor.login)) return;
  throw new GitHubHttpError(404, "Not Found");
}

export const orgRoutes: readonly Route[] = [
  {
    method: "GET",
    template: "/orgs/{org}/teams/{team_slug}",
    operationId: "teams/get-by-name",
    handle(ctx, req) {
      const org = req.params.org ?? "";
      authorizeOrg(ctx.state, req.actor, org);
      const team = ctx.state.team(org, req.params.team_slug ?? "");
      const orgAccount = ctx.state.account(team.org);
      const u = `${ctx.urls.api}/organizations/${orgAccount.id}/team/${team.id}`;
      const iso = ctx.state.clock.iso(team.createdAtMs);
      const parent =
        team.parent === undefined
          ? undefined
          : ctx.state.teams.get(`${team.org}/${team.parent}`.toLowerCase());
      const simpleTeam = (t: typeof team): Record<string, unknown> => ({
        id: t.id,
        node_id: Buffer.from(`04:Team${t.id}`).toString("base64"),
        url: `${ctx.urls.api}/organizations/${orgAccount.id}/team/${t.id}`,
        html_url: `${ctx.urls.html}/orgs/${orgAccount.login}/teams/${t.slug}`,
        name: t.name,
        slug: t.slug,
        description: t.description ?? null,
        privacy: "closed",
        notification_setting: "notifications_enabled",
        permission: "pull",
        members_url: `${ctx.urls.api}/organizations/${orgAccount.id}/team/${t.id}/members{/member}`,
        repositories_url: `${ctx.urls.api}/organizations/${orgAccount.id}/team/${t.id}/repos`,
        type: "organization",
      });
      const orgBody = {
        ...simpleUser(orgAccount, ctx.urls),
        url: `${ctx.urls.api}/orgs/${orgAccount.login}`,
        repos_url: `${ctx.urls.api}/orgs/${orgAccount.login}/repos`,
        events_url: `${ctx.urls.api}/orgs/${orgAccount.login}/events`,
        hooks_url: `${ctx.urls.api}/orgs/${orgAccount.login}/hooks`,
        issues_url: `${ctx.urls.api}/orgs/${orgAccount.login}/issues`,
        members_url: `${ctx.urls.api}/orgs/${orgAccount.login}/members{/member}`,
        public_members_url: `${ctx.urls.api}/orgs/${orgAccount.login}/public_members{/member}`,
        description: null,
        has_organization_projects: false,
        has_repository_projects: false,
        public_repos: 0,
        public_gists: 0,
        followers: 0,
        following: 0,
        created_at: ctx.state.clock.iso(orgAccount.createdAtMs),
        updated_at: ctx.state.clock.iso(orgAccount.createdAtMs),
        archived_at: null,
      };
      return Promise.resolve(
        json(200, {
          ...simpleTeam(team),
          url: u,
          parent: parent === undefined ? null : simpleTeam(parent),
          members_count: [...team.members.values()].filter((m) => m.state === "active").length,
          repos_count: 0,
          created_at: iso,
          updated_at: iso,
          organization: orgBody,
        }),
      );
    },
  },
  {
    method: "GET",
    template: "/orgs/{org}/teams/{team_slug}/memberships/{username}",
    operationId: "teams/get-membership-for-user-in-org",
    handle(ctx, req) {
      const org = req.params.org ?? "";
      authorizeOrg(ctx.state, req.actor, org);
      const team = ctx.state.team(org, req.params.team_slug ?? "");
      const user = ctx.state.findAccount(req.params.username ?? "");
      const m = user === undefined ? undefined : ctx.state.membership(team, user.login);
      if (user === undefined || m === undefined) throw new GitHubHttpError(404, "Not Found");
      const orgAccount = ctx.state.account(team.org);
      return Promise.resolve(
        json(200, {
          url: `${ctx.urls.api}/organizations/${orgAccount.id}/team/${team.id}/memberships/${user.login}`,
          role: m.role,
          state: m.state,
        }),
      );
    },
  },
];
