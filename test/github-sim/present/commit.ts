import type { FileChange, GitCommitObject, GitIdentity } from "../git/git-repository.ts";
import type { Account, Repo } from "../state/model.ts";
import type { SimState } from "../state/sim-state.ts";
import type { Urls } from "./urls.ts";
import { simpleUser } from "./user.ts";

function gitUser(state: SimState, who: GitIdentity): { name: string; email: string; date: string } {
  return { name: who.name, email: who.email, date: state.clock.iso(who.dateMs) };
}

/**
 * GitHub's `verification` object: commits the simulator signed with its web-flow key are `valid`
 * (with the SSH signature and the signed payload); another signature is an `unknown_key`.
 */
function verification(repo: Repo, c: GitCommitObject, state: SimState): Record<string, unknown> {
  const verified = repo.verifiedCommits.has(c.sha);
  return {
    verified,
    reason: verified ? "valid" : c.signature === undefined ? "unsigned" : "unknown_key",
    signature: c.signature ?? null,
    payload: c.signature === undefined ? null : c.payload,
    verified_at: verified ? state.clock.iso(c.committer.dateMs) : null,
  };
}

/** The account behind a commit email (the account's email or its noreply address), as GitHub links them. */
function accountByEmail(state: SimState, email: string): Account | undefined {
  for (const a of state.accounts.values()) {
    if (a.email?.toLowerCase() === email.toLowerCase()) return a;
    if (`${a.id}+${a.login}@users.noreply.github.com`.toLowerCase() === email.toLowerCase())
      return a;
  }
  return undefined;
}

/** GitHub's `git-commit` shape (GET /git/commits/{sha} and contents responses). */
export function gitCommit(
  state: SimState,
  repo: Repo,
  c: GitCommitObject,
  urls: Urls,
): Record<string, unknown> {
  const repoUrl = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  return {
    sha: c.sha,
    node_id: Buffer.from(`06:Commit${c.sha}`).toString("base64"),
    url: `${repoUrl}/git/commits/${c.sha}`,
    html_url: `${urls.html}/${repo.owner}/${repo.name}/commit/${c.sha}`,
    author: gitUser(state, c.author),
    committer: gitUser(state, c.committer),
    tree: { sha: c.tree, url: `${repoUrl}/git/trees/${c.tree}` },
    message: c.message.replace(/\n$/, ""),
    parents: c.parents.map((p) => ({
      sha: p,
      url: `${repoUrl}/git/commits/${p}`,
      html_url: `${urls.html}/${repo.owner}/${repo.name}/commit/${p}`,
    })),
    verification: verification(repo, c, state),
  };
}

/** GitHub's `diff-entry` shape for one changed file. */
export function diffEntry(
  repo: Repo,
  f: FileChange,
  ref: string,
  urls: Urls,
): Record<string, unknown> {
  const enc = f.path.split("/").map(encodeURIComponent).join("/");
  return {
    sha: f.sha ?? null,
    filename: f.path,
    status: f.status,
    additions: f.additions,
    deletions: f.deletions,
    changes: f.additions + f.deletions,
    blob_url: `${urls.html}/${repo.owner}/${repo.name}/blob/${ref}/${enc}`,
    raw_url: `${urls.html}/${repo.owner}/${repo.name}/raw/${ref}/${enc}`,
    contents_url: `${urls.api}/repos/${repo.owner}/${repo.name}/contents/${enc}?ref=${ref}`,
  };
}

/** GitHub's `commit` shape (GET /commits/{ref}, lists); `files` only for a single commit. */
export function commit(
  state: SimState,
  repo: Repo,
  c: GitCommitObject,
  urls: Urls,
  files?: readonly FileChange[],
): Record<string, unknown> {
  const repoUrl = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  const author = accountByEmail(state, c.author.email);
  const committer = accountByEmail(state, c.committer.email);
  const body: Record<string, unknown> = {
    sha: c.sha,
    node_id: Buffer.from(`06:Commit${c.sha}`).toString("base64"),
    url: `${repoUrl}/commits/${c.sha}`,
    html_url: `${urls.html}/${repo.owner}/${repo.name}/commit/${c.sha}`,
    comments_url: `${repoUrl}/commits/${c.sha}/comments`,
    commit: {
      url: `${repoUrl}/git/commits/${c.sha}`,
      author: gitUser(state, c.author),
      committer: gitUser(state, c.committer),
      message: c.message.replace(/\n$/, ""),
      tree: { sha: c.tree, url: `${repoUrl}/git/trees/${c.tree}` },
      comment_count: 0,
      verification: verification(repo, c, state),
    },
    author: author === undefined ? null : simpleUser(author, urls),
    committer: committer === undefined ? null : simpleUser(committer, urls),
    parents: c.parents.map((p) => ({
      sha: p,
      url: `${repoUrl}/commits/${p}`,
      html_url: `${urls.html}/${repo.owner}/${repo.name}/commit/${p}`,
    })),
  };
  if (files !== undefined) {
    const additions = files.reduce((n, f) => n + f.additions, 0);
    const deletions = files.reduce((n, f) => n + f.deletions, 0);
    body.stats = { additions, deletions, total: additions + deletions };
    body.files = files.map((f) => diffEntry(repo, f, c.sha, urls));
  }
  return body;
}
