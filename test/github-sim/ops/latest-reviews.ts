import type { PullRequest, Review } from "../state/model.ts";

/**
 * Each reviewer's latest opinion: COMMENTED and PENDING reviews carry none, so the last
 * APPROVED / CHANGES_REQUESTED / DISMISSED review wins (a DISMISSED one means no opinion).
 */
export function latestOpinions(pr: PullRequest): Map<string, Review> {
  const latest = new Map<string, Review>();
  for (const r of pr.reviews) {
    if (r.state === "COMMENTED" || r.state === "PENDING") continue;
    latest.set(r.user.toLowerCase(), r);
  }
  return latest;
}
