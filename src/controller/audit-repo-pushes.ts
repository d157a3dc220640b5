/**
 * `serve` runs the app and the controller in one process: this wraps the app so that a `push`
 * webhook for the audit repository reaches the controller (`onPush(ref)`), which then checks the
 * default branch's head at once instead of after its staleness bound. The payload is only the hint
 * to look; the controller reads what it uses from GitHub.
 */
import type { ApplicationFunction } from "probot";
import type { RepoRef } from "../github/repo-ref.ts";

export function withAuditRepoPushes(
  app: ApplicationFunction,
  repo: RepoRef,
  onPush: (ref: string) => void,
): ApplicationFunction {
  const audit = `${repo.owner}/${repo.repo}`.toLowerCase();
  return async (probot, options) => {
    probot.on("push", (context) => {
      // Owner and repository names compare case-insensitively on GitHub.
      if (context.payload.repository.full_name.toLowerCase() === audit) {
        onPush(context.payload.ref);
      }
    });
    await app(probot, options);
  };
}
