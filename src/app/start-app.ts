/**
 * Starts the approval app: refuses without a real webhook secret, builds the Probot middleware
 * that runs the handlers, reconciles every app PR once at start (catch-up) and again on every
 * resync. `serve` mounts the middleware on its HTTP server and calls `stop` on shutdown.
 */
import { createNodeMiddleware, Probot } from "probot";
import type { GitHubApi, RepoRef } from "../github/github-api.ts";
import type { AppDeps } from "./app-deps.ts";
import { catchUp } from "./catch-up.ts";
import { csrGitopsApp } from "./csr-gitops-app.ts";
import { requireWebhookSecret } from "./webhook-secret.ts";

export interface StartAppOptions {
  readonly appId: number;
  readonly privateKey: string;
  /** WEBHOOK_SECRET as configured (undefined when unset). */
  readonly webhookSecret: string | undefined;
  readonly installationId: number;
  readonly repo: RepoRef;
  readonly deps: AppDeps;
  /** Every this many milliseconds, reconcile every app PR again. */
  readonly resyncMs: number;
  /** For tests and alternative GitHub endpoints: Probot's request options (e.g. `fetch`). */
  readonly request?: { readonly fetch?: typeof fetch };
}

export interface RunningApp {
  readonly middleware: Awaited<ReturnType<typeof createNodeMiddleware>>;
  resync(): Promise<void>;
  stop(): void;
}

export type StartAppResult =
  { readonly ok: true; readonly app: RunningApp } | { readonly ok: false; readonly error: string };

export async function startApp(options: StartAppOptions): Promise<StartAppResult> {
  const secret = requireWebhookSecret(options.webhookSecret);
  if (!secret.ok) return secret;
  const probot = new Probot({
    appId: options.appId,
    privateKey: options.privateKey,
    secret: secret.secret,
    logLevel: "warn",
    ...(options.request?.fetch === undefined ? {} : { request: { fetch: options.request.fetch } }),
  });
  const middleware = await createNodeMiddleware(csrGitopsApp(options.deps), { probot });
  const resync = async (): Promise<void> => {
    const api: GitHubApi = await probot.auth(options.installationId);
    const result = await catchUp(api, options.repo, options.deps);
    for (const e of result.errors)
      options.deps.log.error("resync: reconcile failed", { pr: e.number, message: e.error });
  };
  await resync();
  const timer = setInterval(() => {
    resync().catch((error: unknown) => {
      options.deps.log.error("resync failed; retried at the next one", {
        message: error instanceof Error ? error.message : String(error),
      });
    });
  }, options.resyncMs);
  timer.unref();
  const stop = (): void => {
    clearInterval(timer);
  };
  return { ok: true, app: { middleware, resync, stop } };
}
