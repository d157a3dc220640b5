/**
 * Counts GitHub API errors on every Octokit client Probot makes (the app's JWT client, the
 * installation client the controller uses, and each webhook handler's): an Octokit plugin whose
 * error hook sees each request that failed after the client's own retries, with its HTTP status
 * (0 when there was no response). Expected answers count too (404 for a file not there yet, 422
 * for "already exists"): the alert rules look only at 0, 401, 403 and 5xx.
 */

/** The part of Octokit's hook collection this plugin uses. */
interface HookCollection {
  error(name: "request", hook: (error: unknown) => unknown): void;
}

export type GitHubErrorSink = (status: number) => void;

function statusOf(error: unknown): number {
  if (typeof error !== "object" || error === null || !("status" in error)) return 0;
  const status = error.status;
  return typeof status === "number" ? status : 0;
}

export function countGitHubErrors(
  onError: GitHubErrorSink,
): (octokit: { hook: HookCollection }) => void {
  return (octokit) => {
    octokit.hook.error("request", (error) => {
      onError(statusOf(error));
      throw error;
    });
  };
}
