import { issueInstallationToken } from "../auth.ts";
import { GitHubHttpError } from "../http-error.ts";
import { installationFor } from "../events/installation-for.ts";
import { installation, integration } from "../present/integration.ts";
import type { Actor } from "../state/model.ts";
import { intParam } from "./body.ts";
import { paginate } from "./paginate.ts";
import { json, type Route } from "./route.ts";

/** App endpoints take the app's JWT, nothing else. */
function requireAppJwt(actor: Actor): void {
  if (actor.kind !== "app") {
    throw new GitHubHttpError(401, "A JSON web token could not be decoded", {
      documentationUrl: "https://docs.github.com/rest",
    });
  }
}

export const appRoutes: readonly Route[] = [
  {
    method: "GET",
    template: "/app",
    operationId: "apps/get-authenticated",
    handle(ctx, req) {
      requireAppJwt(req.actor);
      return Promise.resolve(json(200, integration(ctx.state, ctx.urls)));
    },
  },
  {
    method: "GET",
    template: "/app/installations",
    operationId: "apps/list-installations",
    handle(ctx, req) {
      requireAppJwt(req.actor);
      const all = [...(ctx.state.app?.installations.values() ?? [])].map((i) =>
        installation(ctx.state, i, ctx.urls),
      );
      const { page, headers } = paginate(all, req.query, req.url);
      return Promise.resolve(json(200, page, headers));
    },
  },
  {
    method: "POST",
    template: "/app/installations/{installation_id}/access_tokens",
    operationId: "apps/create-installation-access-token",
    handle(ctx, req) {
      requireAppJwt(req.actor);
      const inst = ctx.state.app?.installations.get(intParam(req.params, "installation_id"));
      if (inst === undefined) throw new GitHubHttpError(404, "Not Found");
      const { token, expiresAtMs } = issueInstallationToken(ctx.state, inst.id);
      return Promise.resolve(
        json(201, {
          token,
          expires_at: ctx.state.clock.iso(expiresAtMs),
          permissions: { ...inst.permissions },
          repository_selection: inst.repositories === "all" ? "all" : "selected",
        }),
      );
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/installation",
    operationId: "apps/get-repo-installation",
    handle(ctx, req) {
      requireAppJwt(req.actor);
      const repo = ctx.state.repo(req.params.owner ?? "", req.params.repo ?? "");
      const inst = installationFor(ctx.state, repo);
      if (inst === undefined) throw new GitHubHttpError(404, "Not Found");
      return Promise.resolve(json(200, installation(ctx.state, inst, ctx.urls)));
    },
  },
];
