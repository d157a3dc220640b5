import { GitHubHttpError } from "../http-error.ts";
import { publicUser } from "../present/user.ts";
import { json, type Route } from "./route.ts";

export const miscRoutes: readonly Route[] = [
  {
    method: "GET",
    template: "/rate_limit",
    operationId: "rate-limit/get",
    handle(ctx, req) {
      const core = ctx.rateLimits.snapshot(req.actor);
      const other = { limit: 30, used: 0, remaining: 30, reset: core.reset };
      return Promise.resolve(
        json(200, {
          resources: {
            core,
            search: other,
            graphql: { ...core },
            integration_manifest: { ...other },
          },
          rate: core,
        }),
      );
    },
  },
  {
    method: "GET",
    template: "/users/{username}",
    operationId: "users/get-by-username",
    handle(ctx, req) {
      const a = ctx.state.findAccount(req.params.username ?? "");
      if (a === undefined) throw new GitHubHttpError(404, "Not Found");
      return Promise.resolve(
        json(
          200,
          publicUser(a, ctx.urls, (ms) => ctx.state.clock.iso(ms)),
        ),
      );
    },
  },
];
