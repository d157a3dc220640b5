/**
 * A minimal pull_request.closed payload built field by field for the webhook tests (not copied
 * from GitHub's examples), holding what GitHub's webhook schema requires and nothing more.
 */

const API = "https://api.github.com";
const WEB = "https://github.com";

export function user(login: string, id: number) {
  // Bot logins end in "[bot]", which GitHub percent-encodes in URLs.
  const url = `${API}/users/${encodeURIComponent(login)}`;
  return {
    login,
    id,
    node_id: `U_${String(id)}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${String(id)}`,
    gravatar_id: "",
    url,
    html_url: `${WEB}/${encodeURIComponent(login)}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: login.endsWith("[bot]") ? "Bot" : "User",
    site_admin: false,
  };
}

export function repository(owner: ReturnType<typeof user>, name: string, id: number) {
  const full = `${owner.login}/${name}`;
  const url = `${API}/repos/${full}`;
  const time = "2026-01-01T00:00:00Z";
  return {
    id,
    node_id: `R_${String(id)}`,
    name,
    full_name: full,
    private: true,
    owner,
    html_url: `${WEB}/${full}`,
    description: null,
    fork: false,
    url,
    archive_url: `${url}/{archive_format}{/ref}`,
    assignees_url: `${url}/assignees{/user}`,
    blobs_url: `${url}/git/blobs{/sha}`,
    branches_url: `${url}/branches{/branch}`,
    collaborators_url: `${url}/collaborators{/collaborator}`,
    comments_url: `${url}/comments{/number}`,
    commits_url: `${url}/commits{/sha}`,
    compare_url: `${url}/compare/{base}...{head}`,
    contents_url: `${url}/contents/{+path}`,
    contributors_url: `${url}/contributors`,
    deployments_url: `${url}/deployments`,
    downloads_url: `${url}/downloads`,
    events_url: `${url}/events`,
    forks_url: `${url}/forks`,
    git_commits_url: `${url}/git/commits{/sha}`,
    git_refs_url: `${url}/git/refs{/sha}`,
    git_tags_url: `${url}/git/tags{/sha}`,
    git_url: `git://github.com/${full}.git`,
    issue_comment_url: `${url}/issues/comments{/number}`,
    issue_events_url: `${url}/issues/events{/number}`,
    issues_url: `${url}/issues{/number}`,
    keys_url: `${url}/keys{/key_id}`,
    labels_url: `${url}/labels{/name}`,
    languages_url: `${url}/languages`,
    merges_url: `${url}/merges`,
    milestones_url: `${url}/milestones{/number}`,
    notifications_url: `${url}/notifications{?since,all,participating}`,
    pulls_url: `${url}/pulls{/number}`,
    releases_url: `${url}/releases{/id}`,
    ssh_url: `git@github.com:${full}.git`,
    stargazers_url: `${url}/stargazers`,
    statuses_url: `${url}/statuses/{sha}`,
    subscribers_url: `${url}/subscribers`,
    subscription_url: `${url}/subscription`,
    tags_url: `${url}/tags`,
    teams_url: `${url}/teams`,
    trees_url: `${url}/git/trees{/sha}`,
    clone_url: `${WEB}/${full}.git`,
    mirror_url: null,
    hooks_url: `${url}/hooks`,
    svn_url: `${WEB}/${full}`,
    homepage: null,
    language: null,
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 1,
    default_branch: "main",
    open_issues_count: 0,
    open_issues: 0,
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: false,
    archived: false,
    disabled: false,
    license: null,
    has_discussions: false,
    topics: [],
    visibility: "private",
    pushed_at: time,
    created_at: time,
    updated_at: time,
  };
}

/** A merged PR from the app's branch into main, as pull_request.closed carries it. */
export function pullRequestClosed(opts: { number: number; merged: boolean }) {
  const owner = user("audit-org", 100);
  const author = user("csr-gitops[bot]", 200);
  const merger = user("alice", 300);
  const repo = repository(owner, "csr-audit", 400);
  const url = `${repo.url}/pulls/${String(opts.number)}`;
  const html = `${repo.html_url}/pull/${String(opts.number)}`;
  const issue = `${repo.url}/issues/${String(opts.number)}`;
  const head = "b".repeat(40);
  const time = "2026-01-02T03:04:05Z";
  const link = (href: string) => ({ href });
  return {
    action: "closed",
    number: opts.number,
    pull_request: {
      url,
      id: 500 + opts.number,
      node_id: `PR_${String(opts.number)}`,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: issue,
      commits_url: `${url}/commits`,
      review_comments_url: `${url}/comments`,
      review_comment_url: `${repo.url}/pulls/comments{/number}`,
      comments_url: `${issue}/comments`,
      statuses_url: `${repo.url}/statuses/${head}`,
      number: opts.number,
      state: "closed",
      locked: false,
      title: "Approve CSR node-csr-abc",
      user: author,
      body: "CSR details",
      labels: [],
      milestone: null,
      created_at: time,
      updated_at: time,
      closed_at: time,
      merged_at: opts.merged ? time : null,
      merge_commit_sha: opts.merged ? "c".repeat(40) : null,
      assignee: null,
      assignees: [],
      requested_reviewers: [],
      requested_teams: [],
      draft: false,
      active_lock_reason: null,
      author_association: "NONE",
      auto_merge: null,
      head: {
        label: "audit-org:csr/abc",
        ref: "csr/abc",
        sha: head,
        user: owner,
        repo,
      },
      base: {
        label: "audit-org:main",
        ref: "main",
        sha: "a".repeat(40),
        user: owner,
        repo,
      },
      _links: {
        self: link(url),
        html: link(html),
        issue: link(issue),
        comments: link(`${issue}/comments`),
        review_comments: link(`${url}/comments`),
        review_comment: link(`${repo.url}/pulls/comments{/number}`),
        commits: link(`${url}/commits`),
        statuses: link(`${repo.url}/statuses/${head}`),
      },
      merged: opts.merged,
      mergeable: null,
      mergeable_state: "unknown",
      merged_by: opts.merged ? merger : null,
      comments: 0,
      review_comments: 0,
      maintainer_can_modify: false,
      commits: 1,
      additions: 20,
      deletions: 0,
      changed_files: 1,
    },
    repository: repo,
    sender: merger,
  };
}

/** pull_request_review.submitted for the same PR, still open, with the given review state. */
export function pullRequestReviewSubmitted(state: string) {
  const closed = pullRequestClosed({ number: 7, merged: false });
  const pr = closed.pull_request;
  const reviewUrl = `${pr.html_url}#pullrequestreview-1`;
  const {
    merged: _merged,
    merged_by: _mergedBy,
    mergeable: _m,
    mergeable_state: _ms,
    ...rest
  } = pr;
  const { comments: _c, review_comments: _rc, maintainer_can_modify: _mcm, ...open } = rest;
  const { commits: _commits, additions: _a, deletions: _d, changed_files: _cf, ...fields } = open;
  return {
    action: "submitted",
    review: {
      id: 1,
      node_id: "PRR_1",
      user: closed.sender,
      body: null,
      commit_id: pr.head.sha,
      submitted_at: "2026-01-02T03:04:05Z",
      state,
      html_url: reviewUrl,
      pull_request_url: pr.url,
      author_association: "MEMBER",
      _links: { html: { href: reviewUrl }, pull_request: { href: pr.url } },
    },
    pull_request: {
      ...fields,
      state: "open",
      closed_at: null,
      merged_at: null,
      merge_commit_sha: null,
    },
    repository: closed.repository,
    sender: closed.sender,
  };
}
