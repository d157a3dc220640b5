/**
 * The audit repository's history through the GitHub API, kept simple: list the commits of the
 * default branch (100 per request), read the changed files of the commits on its first-parent line
 * (merges, squashes and the app's receipts land there; a merge shows what its branch brought), and
 * read the few blobs the audit needs through the contents API. GitHub's own `verification` of each
 * commit stands for the signature check. Cost: about one request per 100 commits, plus one per
 * first-parent commit that touches clusters/ or CODEOWNERS and one per record or receipt file; for
 * very long histories a local clone is faster (one `git log` pass).
 */
import { Octokit } from "@octokit/rest";
import type {
  AuditHistory,
  FileChange,
  HistoryCommit,
  Person,
  SignatureCheck,
} from "../history.ts";
import { wantsBlob } from "../history.ts";
import type { Read } from "../run-audit.ts";

export interface GitHubSource {
  /** https://github.com/OWNER/REPO (any host: only the path's owner and name are used). */
  readonly url: string;
  readonly baseUrl: string;
  readonly token: string | undefined;
  /** The branch to read; default: the repository's default branch. */
  readonly ref: string | undefined;
  /** Injected for tests (the GitHub simulator). */
  readonly fetch?: typeof globalThis.fetch;
}

export function isGitHubUrl(repo: string): boolean {
  return /^https?:\/\//i.test(repo);
}

function ownerAndName(url: string): { owner: string; repo: string } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const parts = parsed.pathname
    .replace(/\.git$/, "")
    .split("/")
    .filter((p) => p !== "");
  const [owner, repo] = parts;
  if (parts.length !== 2 || owner === undefined || repo === undefined) return undefined;
  return { owner, repo };
}

interface ListedCommit {
  sha: string;
  parents: { sha: string }[];
  author: { login: string } | null;
  committer: { login: string } | null;
  commit: {
    message: string;
    author: { name?: string; email?: string; date?: string } | null;
    committer: { name?: string; email?: string; date?: string } | null;
    verification?: { verified: boolean; reason: string };
  };
}

function person(
  git: { name?: string; email?: string; date?: string } | null,
  login: string | undefined,
): Person {
  return {
    name: git?.name ?? "",
    email: git?.email ?? "",
    date: git?.date === undefined ? "" : new Date(git.date).toISOString(),
    ...(login === undefined ? {} : { login }),
  };
}

function signatureOf(c: ListedCommit): SignatureCheck {
  const v = c.commit.verification;
  if (v === undefined) return { kind: "unchecked", reason: "GitHub returned no verification" };
  if (v.verified && v.reason === "valid") return { kind: "verified", signer: "GitHub" };
  if (v.reason === "unsigned") return { kind: "unsigned" };
  return { kind: "bad", reason: `GitHub does not verify the signature (${v.reason})` };
}

/** Parents before children (Kahn's algorithm over the listed commits). */
function topological(commits: readonly ListedCommit[]): ListedCommit[] {
  const bySha = new Map(commits.map((c) => [c.sha, c]));
  const children = new Map<string, string[]>();
  const waiting = new Map<string, number>();
  for (const c of commits) {
    const known = c.parents.filter((p) => bySha.has(p.sha));
    waiting.set(c.sha, known.length);
    for (const p of known) children.set(p.sha, [...(children.get(p.sha) ?? []), c.sha]);
  }
  // Oldest first among the ready ones: the list comes newest first.
  const ready = commits.filter((c) => waiting.get(c.sha) === 0).reverse();
  const out: ListedCommit[] = [];
  while (ready.length > 0) {
    const next = ready.shift();
    if (next === undefined) break;
    out.push(next);
    for (const child of children.get(next.sha) ?? []) {
      const left = (waiting.get(child) ?? 1) - 1;
      waiting.set(child, left);
      const c = bySha.get(child);
      if (left === 0 && c !== undefined) ready.push(c);
    }
  }
  return out;
}

const STATUS: Record<string, FileChange["status"] | undefined> = {
  added: "A",
  modified: "M",
  removed: "D",
  changed: "T",
};

export async function readGitHub(source: GitHubSource): Promise<Read<AuditHistory>> {
  const where = ownerAndName(source.url);
  if (where === undefined)
    return { ok: false, message: `${source.url} is not https://HOST/OWNER/REPO` };
  const octokit = new Octokit({
    ...(source.token === undefined ? {} : { auth: source.token }),
    baseUrl: source.baseUrl,
    ...(source.fetch === undefined ? {} : { request: { fetch: source.fetch } }),
  });
  try {
    const ref = source.ref ?? (await octokit.rest.repos.get(where)).data.default_branch;
    const listed = (await octokit.paginate(octokit.rest.repos.listCommits, {
      ...where,
      sha: ref,
      per_page: 100,
    })) as unknown as ListedCommit[];
    const ordered = topological(listed);
    const head = listed[0]?.sha;
    const bySha = new Map(listed.map((c) => [c.sha, c]));
    const firstParent = new Set<string>();
    for (
      let at = head === undefined ? undefined : bySha.get(head);
      at !== undefined;
      at = bySha.get(at.parents[0]?.sha ?? "")
    ) {
      if (firstParent.has(at.sha)) break;
      firstParent.add(at.sha);
    }
    const commits: HistoryCommit[] = [];
    const blobs = new Map<string, string>();
    for (const c of ordered) {
      let changes: FileChange[] = [];
      if (firstParent.has(c.sha)) {
        const detail = await octokit.rest.repos.getCommit({ ...where, ref: c.sha, per_page: 300 });
        changes = (detail.data.files ?? []).flatMap((f) => {
          const status = STATUS[f.status];
          if (status === undefined) return [];
          return [
            {
              status,
              path: f.filename,
              oldBlob: undefined,
              newBlob: status === "D" ? undefined : (f.sha ?? undefined),
            },
          ];
        });
        for (const change of changes) {
          if (change.newBlob === undefined || !wantsBlob(change.path) || blobs.has(change.newBlob))
            continue;
          const content = await octokit.rest.repos.getContent({
            ...where,
            path: change.path,
            ref: c.sha,
          });
          const data = content.data as { type?: string; content?: string; encoding?: string };
          if (data.type === "file" && data.content !== undefined)
            blobs.set(
              change.newBlob,
              Buffer.from(data.content, data.encoding === "base64" ? "base64" : "utf8").toString(
                "utf8",
              ),
            );
        }
      }
      commits.push({
        sha: c.sha,
        parents: c.parents.map((p) => p.sha),
        author: person(c.commit.author, c.author?.login),
        committer: person(c.commit.committer, c.committer?.login),
        message: c.commit.message,
        changes,
        signature: signatureOf(c),
        firstParent: firstParent.has(c.sha),
      });
    }
    return { ok: true, value: { source: source.url, ref, head, commits, blobs } };
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    return {
      ok: false,
      message: `${source.url}: GitHub API: ${typeof status === "number" ? `HTTP ${status}: ` : ""}${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
