/**
 * Each reviewer's latest opinion, as GitHub and DESIGN.md count it: reviews keyed by user id (not
 * login), only those submitted up to the merge, COMMENTED and PENDING carry no opinion, and the
 * last of APPROVED / CHANGES_REQUESTED / DISMISSED wins (DISMISSED: no opinion). Pure.
 */
import type { GitHubUser, ReviewFacts } from "./snapshot.ts";

export interface Opinion {
  readonly user: GitHubUser;
  readonly state: "APPROVED" | "CHANGES_REQUESTED" | "DISMISSED";
  readonly commitId: string | null;
}

export interface Opinions {
  /** One per user id that has an opinionated review up to the merge, in first-review order. */
  readonly latest: readonly Opinion[];
  /** Users whose only opinionated reviews came after the merge. */
  readonly afterMerge: readonly GitHubUser[];
  /** Opinionated reviews whose account was deleted. */
  readonly deletedUsers: number;
}

const OPINIONATED: ReadonlySet<string> = new Set(["APPROVED", "CHANGES_REQUESTED", "DISMISSED"]);

/**
 * GitHub timestamps have one-second resolution, so a review in the same second as the merge counts
 * as before it. A time that does not parse counts as after (it never makes an approval count).
 */
function upToMerge(submittedAt: string | null, mergedAt: string | null): boolean {
  if (mergedAt === null) return true;
  if (submittedAt === null) return false;
  const at = Date.parse(submittedAt);
  const merged = Date.parse(mergedAt);
  return Number.isFinite(at) && Number.isFinite(merged) && at <= merged;
}

function order(a: ReviewFacts, b: ReviewFacts): number {
  const ta = Date.parse(a.submittedAt ?? "");
  const tb = Date.parse(b.submittedAt ?? "");
  if (Number.isFinite(ta) && Number.isFinite(tb) && ta !== tb) return ta - tb;
  return a.id - b.id;
}

export function latestOpinions(reviews: readonly ReviewFacts[], mergedAt: string | null): Opinions {
  const latest = new Map<number, Opinion>();
  const late = new Map<number, GitHubUser>();
  let deletedUsers = 0;
  for (const review of [...reviews].sort(order)) {
    if (!OPINIONATED.has(review.state)) continue;
    if (review.user === null) {
      deletedUsers++;
      continue;
    }
    if (!upToMerge(review.submittedAt, mergedAt)) {
      late.set(review.user.id, review.user);
      continue;
    }
    latest.set(review.user.id, {
      user: review.user,
      state: review.state as Opinion["state"],
      commitId: review.commitId,
    });
  }
  const afterMerge = [...late.values()].filter((u) => !latest.has(u.id));
  return { latest: [...latest.values()], afterMerge, deletedUsers };
}
