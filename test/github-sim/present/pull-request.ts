import type { PullView } from "../ops/pull-view.ts";
import type { PullRequest, Repo } from "../state/model.ts";
import type { SimState } from "../state/sim-state.ts";
import { authorAssociation } from "./author-association.ts";
import { label } from "./label.ts";
import { repository } from "./repository.ts";
import { team } from "./team.ts";
import type { Urls } from "./urls.ts";
import { simpleUser } from "./user.ts";

function link(href: string): { href: string } {
  return { href };
}

/**
 * GitHub's `pull-request-simple` shape (list), or the full `pull-request` shape when given the
 * view with counts and mergeability (get, create, update, webhooks).
 */
export function pullRequest(
  state: SimState,
  repo: Repo,
  pr: PullRequest,
  urls: Urls,
  tips: { headSha: string; baseSha: string },
  view?: PullView,
): Record<string, unknown> {
  const iso = (ms: number | undefined): string | null =>
    ms === undefined ? null : state.clock.iso(ms);
  const repoUrl = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  const u = `${repoUrl}/pulls/${pr.number}`;
  const html = `${urls.html}/${repo.owner}/${repo.name}/pull/${pr.number}`;
  const issue = `${repoUrl}/issues/${pr.number}`;
  const ownerUser = simpleUser(state.account(repo.owner), urls);
  const repoBody = repository(state, repo, urls);
  const body: Record<string, unknown> = {
    url: u,
    id: pr.id,
    node_id: Buffer.from(`011:PullRequest${pr.id}`).toString("base64"),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issue,
    number: pr.number,
    state: pr.state,
    locked: false,
    title: pr.title,
    user: simpleUser(state.account(pr.user), urls),
    body: pr.body,
    created_at: iso(pr.createdAtMs),
    updated_at: iso(pr.updatedAtMs),
    closed_at: iso(pr.closedAtMs),
    merged_at: iso(pr.mergedAtMs),
    merge_commit_sha: pr.mergeCommitSha ?? null,
    assignee: null,
    assignees: [],
    requested_reviewers: pr.requestedReviewers.map((login) =>
      simpleUser(state.account(login), urls),
    ),
    requested_teams: pr.requestedTeams.flatMap((slug) => {
      const t = state.teams.get(`${repo.owner}/${slug}`.toLowerCase());
      return t === undefined ? [] : [team(state, t, urls)];
    }),
    labels: pr.labels.flatMap((name) => {
      const l = repo.labels.get(name.toLowerCase());
      return l === undefined ? [] : [label(repo, l, urls)];
    }),
    milestone: null,
    draft: pr.draft,
    commits_url: `${u}/commits`,
    review_comments_url: `${u}/comments`,
    review_comment_url: `${repoUrl}/pulls/comments{/number}`,
    comments_url: `${issue}/comments`,
    statuses_url: `${repoUrl}/statuses/${tips.headSha}`,
    head: {
      label: `${repo.owner}:${pr.headRef}`,
      ref: pr.headRef,
      sha: tips.headSha,
      user: ownerUser,
      repo: repoBody,
    },
    base: {
      label: `${repo.owner}:${pr.baseRef}`,
      ref: pr.baseRef,
      sha: tips.baseSha,
      user: ownerUser,
      repo: repoBody,
    },
    _links: {
      self: link(u),
      html: link(html),
      issue: link(issue),
      comments: link(`${issue}/comments`),
      review_comments: link(`${u}/comments`),
      review_comment: link(`${repoUrl}/pulls/comments{/number}`),
      commits: link(`${u}/commits`),
      statuses: link(`${repoUrl}/statuses/${tips.headSha}`),
    },
    author_association: authorAssociation(state, repo, pr.user),
    auto_merge: null,
    active_lock_reason: null,
  };
  if (view !== undefined) {
    Object.assign(body, {
      merged: pr.mergedAtMs !== undefined,
      mergeable: view.mergeable,
      rebaseable: view.mergeable,
      mergeable_state: view.mergeableState,
      merged_by: pr.mergedBy === undefined ? null : simpleUser(state.account(pr.mergedBy), urls),
      comments: repo.comments.filter((c) => c.issueNumber === pr.number).length,
      review_comments: 0,
      maintainer_can_modify: pr.maintainerCanModify,
      commits: view.commits.length,
      additions: view.files.reduce((n, f) => n + f.additions, 0),
      deletions: view.files.reduce((n, f) => n + f.deletions, 0),
      changed_files: view.files.length,
    });
  }
  return body;
}
