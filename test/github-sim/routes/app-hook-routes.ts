/**
 * The app's webhook deliveries (docs: "REST API endpoints for GitHub App webhooks",
 * https://docs.github.com/en/rest/apps/webhooks, and "Redelivering webhooks",
 * https://docs.github.com/en/webhooks/testing-and-troubleshooting-webhooks/redelivering-webhooks):
 * list (newest first, cursor pagination, `status=success|failure`), get one with its request and
 * response, redeliver (202; sent with the same `X-GitHub-Delivery` guid and listed as a new
 * delivery with `redelivery: true`). App JWT only.
 */
import { GitHubHttpError } from "../http-error.ts";
import type { RouteContext } from "./route.ts";
import type { WebhookDelivery } from "../webhooks/dispatcher.ts";
import { intParam } from "./body.ts";
import { requireAppJwt } from "./app-routes.ts";
import { json, type Route } from "./route.ts";

function deliveries(ctx: RouteContext): readonly WebhookDelivery[] {
  return ctx.webhooks?.deliveries ?? [];
}

function statusCode(d: WebhookDelivery): number {
  return d.status === "dropped" ? 0 : d.status;
}

/** GitHub's `status` text: "OK" for 2xx, otherwise what went wrong. */
function statusText(d: WebhookDelivery): string {
  const code = statusCode(d);
  if (code === 0) return "failed to connect";
  return code >= 200 && code < 300 ? "OK" : `Invalid HTTP Response: ${String(code)}`;
}

function simple(ctx: RouteContext, d: WebhookDelivery): Record<string, unknown> {
  return {
    id: d.deliveryId,
    guid: d.id,
    delivered_at: ctx.state.clock.iso(d.deliveredAtMs),
    redelivery: d.redelivery,
    duration: d.durationMs / 1000,
    status: statusText(d),
    status_code: statusCode(d),
    event: d.event,
    action: d.action ?? null,
    installation_id: d.installationId,
    repository_id: d.repositoryId,
    throttled_at: null,
  };
}

function find(ctx: RouteContext, id: number): WebhookDelivery {
  const d = deliveries(ctx).find((x) => x.deliveryId === id);
  if (d === undefined) throw new GitHubHttpError(404, "Not Found");
  return d;
}

export const appHookRoutes: readonly Route[] = [
  {
    method: "GET",
    template: "/app/hook/deliveries",
    operationId: "apps/list-webhook-deliveries",
    handle(ctx, req) {
      requireAppJwt(req.actor);
      const wanted = req.query.get("status");
      let all = [...deliveries(ctx)].reverse().filter((d) => {
        const code = statusCode(d);
        if (wanted === "success") return code >= 200 && code <= 399;
        if (wanted === "failure") return code >= 400 && code <= 599;
        return true;
      });
      const cursor = Number(req.query.get("cursor") ?? NaN);
      if (Number.isSafeInteger(cursor)) all = all.filter((d) => d.deliveryId < cursor);
      const perPage = Math.min(Math.max(Number(req.query.get("per_page") ?? 30) || 30, 1), 100);
      const page = all.slice(0, perPage);
      const headers: Record<string, string> = {};
      const last = page.at(-1);
      if (all.length > perPage && last !== undefined) {
        const next = new URL(req.url);
        next.searchParams.set("cursor", String(last.deliveryId));
        headers.link = `<${next.toString()}>; rel="next"`;
      }
      return Promise.resolve(
        json(
          200,
          page.map((d) => simple(ctx, d)),
          headers,
        ),
      );
    },
  },
  {
    method: "GET",
    template: "/app/hook/deliveries/{delivery_id}",
    operationId: "apps/get-webhook-delivery",
    handle(ctx, req) {
      requireAppJwt(req.actor);
      const d = find(ctx, intParam(req.params, "delivery_id"));
      return Promise.resolve(
        json(200, {
          ...simple(ctx, d),
          url: ctx.state.app?.webhook?.url ?? "",
          request: { headers: d.request.headers, payload: d.request.payload },
          response: { headers: d.response.headers, payload: d.response.payload },
        }),
      );
    },
  },
  {
    method: "POST",
    template: "/app/hook/deliveries/{delivery_id}/attempts",
    operationId: "apps/redeliver-webhook-delivery",
    handle(ctx, req) {
      requireAppJwt(req.actor);
      const d = find(ctx, intParam(req.params, "delivery_id"));
      if (ctx.webhooks?.redeliver?.(d.deliveryId) !== true)
        throw new GitHubHttpError(404, "Not Found");
      return Promise.resolve(json(202, {}));
    },
  },
];
