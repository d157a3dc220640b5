import { authorizeRepo, type RepoScope } from "../auth.ts";
import type { Repo } from "../state/model.ts";
import type { RouteContext, RouteRequest } from "./route.ts";

/** The repository named by a route's {owner}/{repo}, once the actor may `need` it in `scope`. */
export function routeRepo(
  ctx: RouteContext,
  req: RouteRequest,
  scope: RepoScope,
  need: "read" | "write",
): Repo {
  const repo = ctx.state.repo(req.params.owner ?? "", req.params.repo ?? "");
  authorizeRepo(ctx.state, req.actor, repo, scope, need);
  return repo;
}
