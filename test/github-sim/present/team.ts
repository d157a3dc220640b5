import type { Team } from "../state/model.ts";
import type { SimState } from "../state/sim-state.ts";
import type { Urls } from "./urls.ts";

/** GitHub's `team-simple` shape (and with `parent`, the `team` shape); `permission` is the given repository permission. */
export function simpleTeam(
  state: SimState,
  t: Team,
  urls: Urls,
  permission = "pull",
): Record<string, unknown> {
  const org = state.account(t.org);
  return {
    id: t.id,
    node_id: Buffer.from(`04:Team${t.id}`).toString("base64"),
    url: `${urls.api}/organizations/${org.id}/team/${t.id}`,
    html_url: `${urls.html}/orgs/${org.login}/teams/${t.slug}`,
    name: t.name,
    slug: t.slug,
    description: t.description ?? null,
    privacy: "closed",
    notification_setting: "notifications_enabled",
    permission,
    members_url: `${urls.api}/organizations/${org.id}/team/${t.id}/members{/member}`,
    repositories_url: `${urls.api}/organizations/${org.id}/team/${t.id}/repos`,
    type: "organization",
  };
}

/** GitHub's `team` shape: the simple team with its parent. */
export function team(
  state: SimState,
  t: Team,
  urls: Urls,
  permission = "pull",
): Record<string, unknown> {
  const parent =
    t.parent === undefined ? undefined : state.teams.get(`${t.org}/${t.parent}`.toLowerCase());
  return {
    ...simpleTeam(state, t, urls, permission),
    parent: parent === undefined ? null : simpleTeam(state, parent, urls),
  };
}
