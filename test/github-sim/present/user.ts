import type { Account } from "../state/model.ts";
import type { Urls } from "./urls.ts";

/** GitHub's `simple-user` shape. */
export function simpleUser(a: Account, urls: Urls): Record<string, unknown> {
  const u = `${urls.api}/users/${encodeURIComponent(a.login)}`;
  return {
    login: a.login,
    id: a.id,
    node_id: Buffer.from(`04:User${a.id}`).toString("base64"),
    avatar_url: `https://avatars.githubusercontent.com/u/${a.id}?v=4`,
    gravatar_id: "",
    url: u,
    html_url: `${urls.html}/${a.type === "Bot" ? `apps/${a.login.replace("[bot]", "")}` : a.login}`,
    followers_url: `${u}/followers`,
    following_url: `${u}/following{/other_user}`,
    gists_url: `${u}/gists{/gist_id}`,
    starred_url: `${u}/starred{/owner}{/repo}`,
    subscriptions_url: `${u}/subscriptions`,
    organizations_url: `${u}/orgs`,
    repos_url: `${u}/repos`,
    events_url: `${u}/events{/privacy}`,
    received_events_url: `${u}/received_events`,
    type: a.type,
    user_view_type: "public",
    site_admin: a.siteAdmin,
  };
}

/** GitHub's `public-user` shape (GET /users/{username}). */
export function publicUser(
  a: Account,
  urls: Urls,
  iso: (ms: number) => string,
): Record<string, unknown> {
  return {
    ...simpleUser(a, urls),
    name: a.name ?? null,
    company: null,
    blog: "",
    location: null,
    email: a.email ?? null,
    hireable: null,
    bio: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: iso(a.createdAtMs),
    updated_at: iso(a.createdAtMs),
  };
}
