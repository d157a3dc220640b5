import type { Repo } from "../state/model.ts";
import type { SimState } from "../state/sim-state.ts";
import type { Urls } from "./urls.ts";
import { simpleUser } from "./user.ts";

/** GitHub's `repository` shape (used inside pulls); `full` adds what GET /repos/{o}/{r} returns. */
export function repository(
  state: SimState,
  repo: Repo,
  urls: Urls,
  full = false,
): Record<string, unknown> {
  const u = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  const iso = (ms: number): string => state.clock.iso(ms);
  const openIssues = repo.pulls.filter((p) => p.state === "open").length;
  const base: Record<string, unknown> = {
    id: repo.id,
    node_id: Buffer.from(`010:Repository${repo.id}`).toString("base64"),
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    private: repo.private,
    owner: simpleUser(state.account(repo.owner), urls),
    html_url: `${urls.html}/${repo.owner}/${repo.name}`,
    description: repo.description ?? null,
    fork: false,
    url: u,
    forks_url: `${u}/forks`,
    keys_url: `${u}/keys{/key_id}`,
    collaborators_url: `${u}/collaborators{/collaborator}`,
    teams_url: `${u}/teams`,
    hooks_url: `${u}/hooks`,
    issue_events_url: `${u}/issues/events{/number}`,
    events_url: `${u}/events`,
    assignees_url: `${u}/assignees{/user}`,
    branches_url: `${u}/branches{/branch}`,
    tags_url: `${u}/tags`,
    blobs_url: `${u}/git/blobs{/sha}`,
    git_tags_url: `${u}/git/tags{/sha}`,
    git_refs_url: `${u}/git/refs{/sha}`,
    trees_url: `${u}/git/trees{/sha}`,
    statuses_url: `${u}/statuses/{sha}`,
    languages_url: `${u}/languages`,
    stargazers_url: `${u}/stargazers`,
    contributors_url: `${u}/contributors`,
    subscribers_url: `${u}/subscribers`,
    subscription_url: `${u}/subscription`,
    commits_url: `${u}/commits{/sha}`,
    git_commits_url: `${u}/git/commits{/sha}`,
    comments_url: `${u}/comments{/number}`,
    issue_comment_url: `${u}/issues/comments{/number}`,
    contents_url: `${u}/contents/{+path}`,
    compare_url: `${u}/compare/{base}...{head}`,
    merges_url: `${u}/merges`,
    archive_url: `${u}/{archive_format}{/ref}`,
    downloads_url: `${u}/downloads`,
    issues_url: `${u}/issues{/number}`,
    pulls_url: `${u}/pulls{/number}`,
    milestones_url: `${u}/milestones{/number}`,
    notifications_url: `${u}/notifications{?since,all,participating}`,
    labels_url: `${u}/labels{/name}`,
    releases_url: `${u}/releases{/id}`,
    deployments_url: `${u}/deployments`,
    created_at: iso(repo.createdAtMs),
    updated_at: iso(repo.pushedAtMs),
    pushed_at: iso(repo.pushedAtMs),
    git_url: `git://github.com/${repo.owner}/${repo.name}.git`,
    ssh_url: `git@github.com:${repo.owner}/${repo.name}.git`,
    clone_url: `${urls.html}/${repo.owner}/${repo.name}.git`,
    svn_url: `${urls.html}/${repo.owner}/${repo.name}`,
    homepage: null,
    size: 1,
    stargazers_count: 0,
    watchers_count: 0,
    language: null,
    has_issues: true,
    has_projects: false,
    has_downloads: true,
    has_wiki: false,
    has_pages: false,
    has_discussions: false,
    forks_count: 0,
    mirror_url: null,
    archived: false,
    disabled: false,
    open_issues_count: openIssues,
    license: null,
    allow_forking: true,
    is_template: false,
    topics: [],
    visibility: repo.private ? "private" : "public",
    forks: 0,
    open_issues: openIssues,
    watchers: 0,
    default_branch: repo.defaultBranch,
  };
  if (full) {
    base.network_count = 0;
    base.subscribers_count = 0;
    base.allow_merge_commit = true;
    base.allow_squash_merge = true;
    base.allow_rebase_merge = true;
    base.delete_branch_on_merge = false;
  }
  return base;
}
