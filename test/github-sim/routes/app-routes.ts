import { issueInstallationToken } from "../auth.ts";
import { GitHubHttpError } from "../http-error.ts";
import { installationFor } from "../events/installation-for.ts";
import { installation, integration } from "../present/integration.ts";
import type { Actor } from "../state/model.ts";
import { bodyObject, intParam } from "./body.ts";
import { repository } from "../present/repository.ts";
import type { Repo } from "../state/model.ts";
import { paginate } from "./paginate.ts";
import { json, type Route } from "./route.ts";

const RANK: Record<string, number> = { read: 1, write: 2, admin: 3 };

function notAccessible(): GitHubHttpError {
  return new GitHubHttpError(
    422,
    "There is at least one repository that does not exist or is not accessible to the parent installation.",
  );
}

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
      // Docs ("Create an installation access token for an app"): `repositories` / `repository_ids`
      // and `permissions` narrow the token; each must be within the installation's grant.
      const body = bodyObject(req.body);
      const names = body.repositories as string[] | undefined;
      const ids = body.repository_ids as number[] | undefined;
      const asked = body.permissions as Record<string, string> | undefined;
      const reachable = [...ctx.state.repos.values()].filter(
        (r) => installationFor(ctx.state, r)?.id === inst.id,
      );
      let repos: Repo[] | undefined;
      if (names !== undefined || ids !== undefined) {
        repos = [];
        for (const name of names ?? []) {
          const r = reachable.find((x) => x.name.toLowerCase() === name.toLowerCase());
          if (r === undefined) throw notAccessible();
          repos.push(r);
        }
        for (const id of ids ?? []) {
          const r = reachable.find((x) => x.id === id);
          if (r === undefined) throw notAccessible();
          if (!repos.includes(r)) repos.push(r);
        }
      }
      if (asked !== undefined) {
        for (const [scope, level] of Object.entries(asked)) {
          const have = inst.permissions[scope];
          if (have === undefined || (RANK[level] ?? 9) > (RANK[have] ?? 0)) {
            throw new GitHubHttpError(
              422,
              "The permissions requested are not granted to this installation.",
            );
          }
        }
      }
      const permissions = asked ?? inst.permissions;
      const { token, expiresAtMs } = issueInstallationToken(ctx.state, inst.id, {
        ...(repos === undefined ? {} : { repositoryIds: repos.map((r) => r.id) }),
        ...(asked === undefined ? {} : { permissions: asked }),
      });
      return Promise.resolve(
        json(201, {
          token,
          expires_at: ctx.state.clock.iso(expiresAtMs),
          permissions: { ...permissions },
          repository_selection:
            repos === undefined && inst.repositories === "all" ? "all" : "selected",
          ...(repos === undefined
            ? {}
            : { repositories: repos.map((r) => repository(ctx.state, r, ctx.urls, true)) }),
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
