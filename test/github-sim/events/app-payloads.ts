/**
 * Events about the app itself (docs: "Webhook events and payloads",
 * https://docs.github.com/en/webhooks/webhook-events-and-payloads): `installation`,
 * `installation_repositories` (every app receives both; it cannot unsubscribe) and `ping` (sent
 * when the app's webhook is set up).
 */
import type { SimContext } from "../ops/sim-context.ts";
import { installation } from "../present/integration.ts";
import { simpleUser } from "../present/user.ts";
import type { Installation, Repo } from "../state/model.ts";

function repoRef(repo: Repo): Record<string, unknown> {
  return {
    id: repo.id,
    node_id: Buffer.from(`010:Repository${repo.id}`).toString("base64"),
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    private: repo.private,
  };
}

/** The repositories an installation reaches now. */
export function installationRepos(ctx: SimContext, inst: Installation): Repo[] {
  return [...ctx.state.repos.values()].filter(
    (r) =>
      r.owner.toLowerCase() === inst.account.toLowerCase() &&
      (inst.repositories === "all" ||
        inst.repositories.some((n) => n.toLowerCase() === r.name.toLowerCase())),
  );
}

export function installationEvent(
  ctx: SimContext,
  inst: Installation,
  action: "created" | "deleted",
  sender: string,
): void {
  const who = simpleUser(ctx.state.account(sender), ctx.urls);
  ctx.emit("installation", {
    action,
    installation: installation(ctx.state, inst, ctx.urls),
    repositories: installationRepos(ctx, inst).map(repoRef),
    requester: action === "created" ? who : null,
    sender: who,
  });
}

export function installationRepositoriesEvent(
  ctx: SimContext,
  inst: Installation,
  action: "added" | "removed",
  repos: readonly Repo[],
  sender: string,
): void {
  ctx.emit("installation_repositories", {
    action,
    installation: installation(ctx.state, inst, ctx.urls),
    repository_selection: inst.repositories === "all" ? "all" : "selected",
    repositories_added: action === "added" ? repos.map(repoRef) : [],
    repositories_removed: action === "removed" ? repos.map(repoRef) : [],
    requester: null,
    sender: simpleUser(ctx.state.account(sender), ctx.urls),
  });
}

/** `X-GitHub-Hook-ID` and `hook_id` of the app's one webhook. */
export const APP_HOOK_ID = 1;

/** The Zen of GitHub, one line of which every ping carries. */
const ZEN = [
  "Design for failure.",
  "Keep it logically awesome.",
  "Practicality beats purity.",
  "Approachable is better than simple.",
  "Mind your words, they are important.",
];

export function pingEvent(ctx: SimContext, hookId: number = APP_HOOK_ID): void {
  const app = ctx.state.app;
  if (app?.webhook === undefined) return;
  const at = ctx.state.clock.iso(app.createdAtMs);
  ctx.emit("ping", {
    zen: ZEN[hookId % ZEN.length],
    hook_id: hookId,
    hook: {
      type: "App",
      id: hookId,
      name: "web",
      active: true,
      events: [...app.events],
      config: { content_type: "json", insecure_ssl: "0", url: app.webhook.url },
      updated_at: at,
      created_at: at,
      app_id: app.id,
      deliveries_url: `${ctx.urls.api}/app/hook/deliveries`,
    },
    sender: simpleUser(ctx.state.account(app.owner), ctx.urls),
  });
}
