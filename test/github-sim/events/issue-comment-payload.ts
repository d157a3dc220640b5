/**
 * The `issue_comment` webhook on a pull request's conversation (docs: "Webhook events and
 * payloads", issue_comment, https://docs.github.com/en/webhooks/webhook-events-and-payloads#issue_comment):
 * created, edited (with `changes.body.from`), deleted. The `issue` is the PR seen as an issue,
 * with its `pull_request` links.
 */
import type { SimContext } from "../ops/sim-context.ts";
import { authorAssociation } from "../present/author-association.ts";
import { issueComment } from "../present/issue-comment.ts";
import { label } from "../present/label.ts";
import { simpleUser } from "../present/user.ts";
import type { IssueComment, PullRequest, Repo } from "../state/model.ts";
import { common } from "./payloads.ts";

function issueOfPull(ctx: SimContext, repo: Repo, pr: PullRequest): Record<string, unknown> {
  const { state, urls } = ctx;
  const repoUrl = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  const u = `${repoUrl}/issues/${pr.number}`;
  const html = `${urls.html}/${repo.owner}/${repo.name}/pull/${pr.number}`;
  const iso = (ms: number | undefined) => (ms === undefined ? null : state.clock.iso(ms));
  return {
    url: u,
    repository_url: repoUrl,
    labels_url: `${u}/labels{/name}`,
    comments_url: `${u}/comments`,
    events_url: `${u}/events`,
    html_url: html,
    id: pr.id,
    node_id: Buffer.from(`011:PullRequest${pr.id}`).toString("base64"),
    number: pr.number,
    title: pr.title,
    user: simpleUser(state.account(pr.user), urls),
    labels: pr.labels.flatMap((name) => {
      const l = repo.labels.get(name.toLowerCase());
      return l === undefined ? [] : [label(repo, l, urls)];
    }),
    state: pr.state,
    locked: false,
    assignee: null,
    assignees: [],
    milestone: null,
    comments: repo.comments.filter((c) => c.issueNumber === pr.number).length,
    created_at: iso(pr.createdAtMs),
    updated_at: iso(pr.updatedAtMs),
    closed_at: iso(pr.closedAtMs),
    author_association: authorAssociation(state, repo, pr.user),
    active_lock_reason: null,
    draft: pr.draft,
    pull_request: {
      url: `${repoUrl}/pulls/${pr.number}`,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      merged_at: iso(pr.mergedAtMs),
    },
    body: pr.body,
    reactions: reactions(`${u}/reactions`),
    timeline_url: `${u}/timeline`,
  };
}

function reactions(url: string): Record<string, unknown> {
  return {
    url,
    total_count: 0,
    "+1": 0,
    "-1": 0,
    laugh: 0,
    hooray: 0,
    confused: 0,
    heart: 0,
    rocket: 0,
    eyes: 0,
  };
}

export function issueCommentEvent(
  ctx: SimContext,
  repo: Repo,
  pr: PullRequest,
  c: IssueComment,
  action: "created" | "edited" | "deleted",
  sender: string,
  changes?: { readonly bodyFrom: string },
): void {
  const comment = issueComment(ctx.state, repo, c, ctx.urls);
  ctx.emit("issue_comment", {
    action,
    ...(changes === undefined ? {} : { changes: { body: { from: changes.bodyFrom } } }),
    issue: issueOfPull(ctx, repo, pr),
    comment: {
      ...comment,
      reactions: reactions(`${String(comment.url)}/reactions`),
      performed_via_github_app: null,
    },
    ...common(ctx, repo, sender),
  });
}
