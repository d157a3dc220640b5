import type { Faults } from "../faults.ts";
import type { SimContext } from "../ops/sim-context.ts";
import type { RateLimiter } from "../rate-limit.ts";
import type { WebhookSink } from "../simulator.ts";
import type { Actor } from "../state/model.ts";

export interface RouteRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly actor: Actor;
  readonly url: URL;
  readonly requestId: string;
}

export interface RouteResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** What route handlers reach besides state: the rate limiter (for /rate_limit), faults, the webhook log. */
export interface RouteContext extends SimContext {
  readonly rateLimits: RateLimiter;
  readonly faults: Faults;
  /** The app's webhook deliveries (for /app/hook/deliveries); undefined without a webhook. */
  readonly webhooks?: WebhookSink | undefined;
}

export interface Route {
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** GitHub's path template, e.g. `/repos/{owner}/{repo}/git/ref/{ref}`. */
  readonly template: string;
  readonly operationId: string;
  handle(ctx: RouteContext, req: RouteRequest): Promise<RouteResponse>;
}

export function json(
  status: number,
  body: unknown,
  headers?: Record<string, string>,
): RouteResponse {
  return headers === undefined ? { status, body } : { status, body, headers };
}
