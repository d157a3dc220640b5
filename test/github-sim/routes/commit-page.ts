import { commit } from "../present/commit.ts";
import type { Repo } from "../state/model.ts";
import { paginate } from "./paginate.ts";
import { json, type RouteContext, type RouteRequest, type RouteResponse } from "./route.ts";

/** One page of commits, newest first as given, presented as GitHub lists them. */
export async function commitPage(
  ctx: RouteContext,
  req: RouteRequest,
  repo: Repo,
  shas: readonly string[],
): Promise<RouteResponse> {
  const { page, headers } = paginate(shas, req.query, req.url);
  const out = [];
  for (const sha of page) {
    const c = await repo.git.readCommit(sha);
    if (c !== undefined) out.push(commit(ctx.state, repo, c, ctx.urls));
  }
  return json(200, out, headers);
}
