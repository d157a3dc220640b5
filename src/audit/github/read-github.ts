/** The audit repository's history through the GitHub API. */
import type { AuditHistory } from "../history.ts";
import type { Read } from "../run-audit.ts";

export interface GitHubSource {
  readonly url: string;
  readonly baseUrl: string;
  readonly token: string | undefined;
  readonly ref: string | undefined;
  readonly fetch?: typeof fetch;
}

export function isGitHubUrl(repo: string): boolean {
  return /^https?:\/\//i.test(repo);
}

export function readGitHub(source: GitHubSource): Promise<Read<AuditHistory>> {
  return Promise.resolve({
    ok: false,
    message: `${source.url}: reading through the GitHub API is not built yet`,
  });
}
