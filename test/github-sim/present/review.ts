import type { PullRequest, Repo, Review } from "../state/model.ts";
import type { SimState } from "../state/sim-state.ts";
import { authorAssociation } from "./author-association.ts";
import type { Urls } from "./urls.ts";
import { simpleUser } from "./user.ts";

/** GitHub's `pull-request-review` shape. */
export function review(
  state: SimState,
  repo: Repo,
  pr: PullRequest,
  r: Review,
  urls: Urls,
): Record<string, unknown> {
  const prUrl = `${urls.api}/repos/${repo.owner}/${repo.name}/pulls/${pr.number}`;
  const html = `${urls.html}/${repo.owner}/${repo.name}/pull/${pr.number}#pullrequestreview-${r.id}`;
  const body: Record<string, unknown> = {
    id: r.id,
    node_id: Buffer.from(`017:PullRequestReview${r.id}`).toString("base64"),
    user: simpleUser(state.account(r.user), urls),
    body: r.body,
    state: r.state,
    html_url: html,
    pull_request_url: prUrl,
    author_association: authorAssociation(state, repo, r.user),
    _links: { html: { href: html }, pull_request: { href: prUrl } },
    commit_id: r.commitId,
  };
  if (r.state !== "PENDING") body.submitted_at = state.clock.iso(r.submittedAtMs);
  return body;
}
