/**
 * Writes a receipt file on the default branch through the contents API: one commit, made by the
 * app's installation (GitHub signs it), whose message carries the trailers. Idempotent: a receipt
 * already there is never overwritten. A refusal by branch protection (or a ruleset) is reported
 * as such, for the PR comment and metrics; the caller does not roll back the decision and the
 * next resync retries.
 */
import { httpStatus, type GitHubApi, type RepoRef } from "./github-api.ts";
import { readFileAt } from "./read-file-at.ts";

export type WriteReceiptResult =
  | { readonly ok: true; readonly commitSha: string; readonly created: boolean }
  | {
      readonly ok: false;
      readonly kind: "refused";
      readonly status: number;
      readonly message: string;
    };

export async function writeReceipt(
  api: GitHubApi,
  repo: RepoRef,
  branch: string,
  path: string,
  content: string,
  message: string,
): Promise<WriteReceiptResult> {
  const existing = await readFileAt(api, repo, path, branch);
  if (existing !== undefined) return { ok: true, commitSha: "", created: false };
  try {
    const res = await api.rest.repos.createOrUpdateFileContents({
      ...repo,
      path,
      branch,
      message,
      content: Buffer.from(content).toString("base64"),
    });
    return { ok: true, commitSha: res.data.commit.sha ?? "", created: true };
  } catch (error) {
    const status = httpStatus(error);
    // 409: protected branch / rule violation or a concurrent write; 422: the file appeared
    // meanwhile (another replica wrote it) or a rule refused it; 403: forbidden by protection.
    if (status === 409 || status === 422 || status === 403) {
      const again = await readFileAt(api, repo, path, branch);
      if (again !== undefined) return { ok: true, commitSha: "", created: false };
      return {
        ok: false,
        kind: "refused",
        status,
        message: error instanceof Error ? error.message : String(error),
      };
    }
    throw error;
  }
}
