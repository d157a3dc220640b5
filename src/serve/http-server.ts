/**
 * The one HTTP server of `serve`: GitHub webhooks (Probot's middleware, which checks each
 * signature), `/healthz` (the process answers), `/readyz` (watches synced, GitHub auth works) and
 * `/metrics` (Prometheus text format).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Registry } from "prom-client";
import type { Readiness } from "./readiness.ts";

/** Handles a request or calls `next` when it is not its route (Probot's createNodeMiddleware). */
export type Middleware = (req: IncomingMessage, res: ServerResponse, next?: () => void) => unknown;

export interface HttpServerParts {
  readonly webhooks: Middleware;
  readonly readiness: Readiness;
  readonly registry: Registry;
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
  res.end(body);
}

export function createHttpServer(parts: HttpServerParts): Server {
  return createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/healthz") {
      send(res, 200, "text/plain", "ok\n");
      return;
    }
    if (req.method === "GET" && path === "/readyz") {
      const body = JSON.stringify({
        ready: parts.readiness.ready,
        checks: parts.readiness.report(),
      });
      send(res, parts.readiness.ready ? 200 : 503, "application/json", `${body}\n`);
      return;
    }
    if (req.method === "GET" && path === "/metrics") {
      parts.registry.metrics().then(
        (text) => {
          send(res, 200, parts.registry.contentType, text);
        },
        (error: unknown) => {
          send(res, 500, "text/plain", `metrics failed: ${String(error)}\n`);
        },
      );
      return;
    }
    Promise.resolve(
      parts.webhooks(req, res, () => {
        send(res, 404, "text/plain", "not found\n");
      }),
    ).catch((error: unknown) => {
      if (!res.headersSent)
        send(res, 500, "text/plain", `webhook handling failed: ${String(error)}\n`);
    });
  });
}
