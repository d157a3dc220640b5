/**
 * Cuts GitHub's webhook OpenAPI description (@octokit/openapi-webhooks, 4.8 MB) down to the events
 * the simulator sends, keeping each event/action's payload schema and every component it uses.
 */
import {
  collectRefs,
  isObject,
  pickComponents,
  toJsonSchemaDialect,
  trimmedInfo,
  type JsonObject,
  type SpecSource,
} from "../openapi/trim-spec.ts";

/** Webhook events the simulator emits, as GitHub names them in `X-GitHub-Event`. */
export const SENT_EVENTS = [
  "pull_request",
  "pull_request_review",
  "check_run",
  "issue_comment",
  "installation",
  "installation_repositories",
  "push",
  "ping",
] as const;

export type SentEvent = (typeof SENT_EVENTS)[number];

/** `pull_request` + `closed` -> `pull-request-closed`, the key GitHub's description uses. */
export function webhookKey(event: string, action: string | undefined): string {
  const base = event.replaceAll("_", "-");
  return action === undefined ? base : `${base}-${action.replaceAll("_", "-")}`;
}

export function trimWebhookSpec(
  spec: JsonObject,
  events: readonly string[],
  source: SpecSource,
): JsonObject {
  const wanted = new Set(events.map((event) => event.replaceAll("_", "-")));
  const webhooks: JsonObject = {};
  const all = isObject(spec.webhooks) ? spec.webhooks : {};
  for (const [key, item] of Object.entries(all)) {
    const post = isObject(item) ? item.post : undefined;
    if (!isObject(post) || typeof post.operationId !== "string") continue;
    // operationId is "<event>/<action>" with dashes, e.g. "pull-request-review/submitted".
    const [event] = post.operationId.split("/");
    if (event === undefined || !wanted.has(event)) continue;
    webhooks[key] = {
      post: { operationId: post.operationId, requestBody: post.requestBody ?? null },
    };
  }
  const missing = [...wanted].filter(
    (event) =>
      !Object.values(webhooks).some((hook) => {
        // Events without actions (push, ping) have the bare event as their operationId.
        const id = operationIdOf(hook);
        return id === event || id.startsWith(`${event}/`);
      }),
  );
  if (missing.length > 0) throw new Error(`webhook events not in the spec: ${missing.join(", ")}`);
  const components = pickComponents(spec, collectRefs([webhooks], spec));
  return toJsonSchemaDialect({
    openapi: spec.openapi ?? null,
    info: trimmedInfo(spec, source),
    webhooks,
    components,
  }) as JsonObject;
}

function operationIdOf(hook: unknown): string {
  if (!isObject(hook) || !isObject(hook.post)) return "";
  return typeof hook.post.operationId === "string" ? hook.post.operationId : "";
}
