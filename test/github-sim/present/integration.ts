import type { Installation } from "../state/model.ts";
import type { SimState } from "../state/sim-state.ts";
import type { Urls } from "./urls.ts";
import { simpleUser } from "./user.ts";

/** GitHub's `integration` shape: the app itself. */
export function integration(state: SimState, urls: Urls): Record<string, unknown> {
  const app = state.app;
  if (app === undefined) throw new Error("the seed defines no app");
  return {
    id: app.id,
    slug: app.slug,
    node_id: Buffer.from(`03:Integration${app.id}`).toString("base64"),
    client_id: `Iv1.${app.id.toString(16).padStart(16, "0")}`,
    owner: simpleUser(state.account(app.owner), urls),
    name: app.name,
    description: null,
    external_url: `${urls.html}/${app.owner}`,
    html_url: `${urls.html}/apps/${app.slug}`,
    created_at: state.clock.iso(app.createdAtMs),
    updated_at: state.clock.iso(app.createdAtMs),
    permissions: { ...app.permissions },
    events: [...app.events],
    installations_count: app.installations.size,
  };
}

/** GitHub's `installation` shape. */
export function installation(
  state: SimState,
  inst: Installation,
  urls: Urls,
): Record<string, unknown> {
  const app = state.app;
  if (app === undefined) throw new Error("the seed defines no app");
  const account = state.account(inst.account);
  return {
    id: inst.id,
    account: simpleUser(account, urls),
    repository_selection: inst.repositories === "all" ? "all" : "selected",
    access_tokens_url: `${urls.api}/app/installations/${inst.id}/access_tokens`,
    repositories_url: `${urls.api}/installation/repositories`,
    html_url: `${urls.html}/organizations/${account.login}/settings/installations/${inst.id}`,
    app_id: app.id,
    app_slug: app.slug,
    target_id: account.id,
    target_type: account.type === "Organization" ? "Organization" : "User",
    permissions: { ...inst.permissions },
    events: [...app.events],
    created_at: state.clock.iso(inst.createdAtMs),
    updated_at: state.clock.iso(inst.createdAtMs),
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  };
}
