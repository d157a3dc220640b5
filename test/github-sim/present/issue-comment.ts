import type { IssueComment, Repo } from "../state/model.ts";
import type { SimState } from "../state/sim-state.ts";
import { authorAssociation } from "./author-association.ts";
import type { Urls } from "./urls.ts";
import { simpleUser } from "./user.ts";

/** GitHub's `issue-comment` shape. */
export function issueComment(
  state: SimState,
  repo: Repo,
  c: IssueComment,
  urls: Urls,
): Record<string, unknown> {
  const repoUrl = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  return {
    id: c.id,
    node_id: Buffer.from(`012:IssueComment${c.id}`).toString("base64"),
    url: `${repoUrl}/issues/comments/${c.id}`,
    html_url: `${urls.html}/${repo.owner}/${repo.name}/pull/${c.issueNumber}#issuecomment-${c.id}`,
    issue_url: `${repoUrl}/issues/${c.issueNumber}`,
    body: c.body,
    user: simpleUser(state.account(c.user), urls),
    created_at: state.clock.iso(c.createdAtMs),
    updated_at: state.clock.iso(c.updatedAtMs),
    author_association: authorAssociation(state, repo, c.user),
  };
}
