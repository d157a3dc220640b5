import type { CheckRun, Repo } from "../state/model.ts";
import type { SimState } from "../state/sim-state.ts";
import { integration } from "./integration.ts";
import type { Urls } from "./urls.ts";

/** GitHub's `check-run` shape. */
export function checkRun(
  state: SimState,
  repo: Repo,
  c: CheckRun,
  urls: Urls,
): Record<string, unknown> {
  const iso = (ms: number | undefined): string | null =>
    ms === undefined ? null : state.clock.iso(ms);
  const u = `${urls.api}/repos/${repo.owner}/${repo.name}/check-runs/${c.id}`;
  const app = state.app === undefined ? null : integration(state, urls);
  return {
    id: c.id,
    node_id: Buffer.from(`08:CheckRun${c.id}`).toString("base64"),
    head_sha: c.headSha,
    // GitHub fills what the app left out: an empty external id, and the app's homepage as details.
    external_id: c.externalId ?? "",
    url: u,
    html_url: `${urls.html}/${repo.owner}/${repo.name}/runs/${c.id}`,
    details_url: c.detailsUrl ?? (app === null ? null : String(app.external_url)),
    status: c.status,
    conclusion: c.conclusion,
    started_at: iso(c.startedAtMs),
    completed_at: iso(c.completedAtMs),
    output: { ...c.output, annotations_count: 0, annotations_url: `${u}/annotations` },
    name: c.name,
    check_suite: { id: c.id },
    app,
    pull_requests: [],
  };
}
