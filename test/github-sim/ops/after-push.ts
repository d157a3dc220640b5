import { pullRequestEvent, reviewEvent } from "../events/payloads.ts";
import type { Repo } from "../state/model.ts";
import type { SimContext } from "./sim-context.ts";

/**
 * What GitHub does when a branch moves: open PRs from it follow the new head ("synchronize"), and
 * where the base branch's protection dismisses stale approvals, approvals of older commits are dismissed.
 */
export async function afterPush(
  ctx: SimContext,
  repo: Repo,
  branch: string,
  oldSha: string,
  newSha: string,
  pusher: string,
): Promise<void> {
  repo.pushedAtMs = ctx.state.clock.now();
  repo.lastPusher.set(branch, pusher);
  for (const pr of repo.pulls) {
    if (pr.state !== "open" || pr.headRef !== branch) continue;
    pr.headSha = newSha;
    pr.updatedAtMs = ctx.state.clock.now();
    const protection = repo.protection.get(pr.baseRef);
    await pullRequestEvent(ctx, repo, pr, "synchronize", pusher, {
      before: oldSha,
      after: newSha,
    });
    if (protection?.dismiss_stale_reviews !== true) continue;
    for (const review of pr.reviews) {
      if (review.state === "APPROVED" && review.commitId !== newSha) {
        review.state = "DISMISSED";
        await reviewEvent(ctx, repo, pr, review, "dismissed", pusher);
      }
    }
  }
}
