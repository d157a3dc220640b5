import { setTimeout as sleep } from "node:timers/promises";
import { authenticate } from "./auth.ts";
import { GitHubHttpError } from "./http-error.ts";
import type { Mutex } from "./mutex.ts";
import { matchOperation, validateRequest, validateResponse } from "./openapi/validator.ts";
import { ROUTES } from "./routes/all-routes.ts";
import type { RouteContext, RouteResponse } from "./routes/route.ts";
import type { Actor } from "./state/model.ts";

export interface HandlerOptions {
  readonly ctx: RouteContext;
  readonly mutex: Mutex;
  /** Check every response against GitHub's documented schema; violations are recorded and answered with 500. */
  readonly validateResponses: boolean;
  readonly violations: string[];
}

/** The REST API versions the simulator answers: the one its OpenAPI description is for. */
export const SUPPORTED_API_VERSIONS: readonly string[] = ["2022-11-28"];

const CONTENT_CREATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

let requestCounter = 0;

function requestId(): string {
  requestCounter += 1;
  const n = requestCounter.toString(16).toUpperCase().padStart(6, "0");
  return `C0DE:51M:${n}:${n}:${Date.now().toString(16).toUpperCase()}`;
}

function respond(status: number, body: unknown, headers: Record<string, string>): Response {
  if (status === 204 || status === 304 || body === undefined)
    return new Response(null, { status, headers });
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

/**
 * The one request handler behind both `sim.fetch` and the HTTP server: faults, operation matching
 * and strict request validation (GitHub's OpenAPI description), authentication, rate limits, the
 * route, then (optionally) response validation.
 */
export async function handleRequest(opts: HandlerOptions, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const method = request.method.toUpperCase();
  const id = requestId();
  const baseHeaders: Record<string, string> = {
    "x-github-request-id": id,
    "x-github-api-version-selected": "2022-11-28",
    "x-github-media-type": "github.v3; format=json",
  };
  const fault = opts.ctx.faults.take(method, url.pathname);
  if (fault?.delayMs !== undefined) await sleep(fault.delayMs);
  if (fault?.status !== undefined) {
    return respond(
      fault.status,
      { message: "Server Error", documentation_url: "https://docs.github.com/rest" },
      baseHeaders,
    );
  }
  // Docs ("API Versions"): no header means 2022-11-28; a version GitHub does not support is a 400.
  const version = request.headers.get("x-github-api-version");
  if (version !== null && !SUPPORTED_API_VERSIONS.includes(version)) {
    return respond(
      400,
      {
        message: `API version ${version} is not supported.`,
        documentation_url: "https://docs.github.com/rest/overview/api-versions",
      },
      baseHeaders,
    );
  }
  const raw = ["GET", "HEAD"].includes(method) ? "" : await request.text();
  return opts.mutex.run(async () => {
    const match = matchOperation(method, url.pathname);
    const route = match === undefined ? undefined : ROUTES.get(match.operationId);
    if (match === undefined || route === undefined) {
      return respond(
        404,
        { message: "Not Found", documentation_url: "https://docs.github.com/rest" },
        baseHeaders,
      );
    }
    let result: RouteResponse;
    const headers = { ...baseHeaders };
    try {
      const invalid = validateRequest(match, { query: url.searchParams, body: raw });
      if (invalid !== undefined)
        throw new GitHubHttpError(invalid.status, invalid.body.message, {
          body: { ...invalid.body },
        });
      const actor: Actor = authenticate(opts.ctx.state, request.headers.get("authorization"));
      if (match.operationId !== "rate-limit/get") {
        opts.ctx.rateLimits.takePrimary(actor);
        Object.assign(headers, opts.ctx.rateLimits.headers(actor));
        if (CONTENT_CREATING.has(method) && !url.pathname.startsWith("/app/")) {
          opts.ctx.rateLimits.takeSecondary(actor, id);
        }
      }
      const body: unknown = raw === "" ? undefined : JSON.parse(raw);
      result = await route.handle(opts.ctx, {
        params: match.params,
        query: url.searchParams,
        body,
        actor,
        url,
        requestId: id,
      });
    } catch (error) {
      if (!(error instanceof GitHubHttpError)) throw error;
      result = { status: error.status, body: error.body, headers: error.headers };
    }
    Object.assign(headers, result.headers);
    if (opts.validateResponses) {
      const problems = validateResponse(match, result.status, result.body).filter(
        // GitHub answers any route with 401/403/404 and rate-limit errors, documented or not.
        (p) => !(result.status >= 400 && p.endsWith("is not documented")),
      );
      if (problems.length > 0) {
        opts.violations.push(...problems.map((p) => `${method} ${url.pathname}: ${p}`));
        return respond(
          500,
          { message: "Simulator response failed OpenAPI validation", errors: problems },
          headers,
        );
      }
    }
    return respond(result.status, result.body, headers);
  });
}
