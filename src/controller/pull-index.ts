/**
 * The app's recent pull requests by head branch, read in one listing (newest first, only as far
 * back as a pending CSR can be old) and reused for a short time, so a burst of CSRs does not cost
 * a lookup each. A stale entry is safe: creating a PR that exists is answered "already exists",
 * and closing re-reads the PR first.
 */
import { BRANCH_PREFIX } from "../core/record/layout.ts";
import { PENDING_CSR_LIFETIME_MS } from "../core/record/record.ts";
import { findPullByHead, listRecentPulls, type PullSummary } from "../github/pulls.ts";
import type { GitHub, RepoRef } from "../github/repo-ref.ts";
import { Cached } from "./audit-repo-snapshot.ts";

export class PullIndex {
  private readonly gh: GitHub;
  private readonly repo: RepoRef;
  private readonly listing: Cached<Map<string, PullSummary>>;
  private readonly known = new Map<string, PullSummary>();

  constructor(gh: GitHub, repo: RepoRef, ttlMs: number, now: () => number) {
    this.gh = gh;
    this.repo = repo;
    // An hour more than a pending CSR lives: every PR of a CSR still pending is in the window.
    const windowMs = PENDING_CSR_LIFETIME_MS + 3_600_000;
    this.listing = new Cached(
      async () => {
        const pulls = await listRecentPulls(gh, repo, BRANCH_PREFIX, new Date(now() - windowMs));
        const map = new Map<string, PullSummary>();
        // Newest first: the first PR seen for a branch is its current one.
        for (const pull of pulls) if (!map.has(pull.headRef)) map.set(pull.headRef, pull);
        this.known.clear();
        return map;
      },
      ttlMs,
      now,
    );
  }

  /** The PR of `branch` as last listed (or as this process made it). */
  async find(branch: string): Promise<PullSummary | undefined> {
    const known = this.known.get(branch);
    if (known !== undefined) return known;
    return (await this.listing.get()).get(branch);
  }

  /** Every listed PR (for the resync to find PRs whose CSR is gone). */
  async all(): Promise<PullSummary[]> {
    const listed = await this.listing.get();
    const merged = new Map(listed);
    for (const [branch, pull] of this.known) merged.set(branch, pull);
    return [...merged.values()];
  }

  /** Reads the PR of `branch` from GitHub now, bypassing the listing. */
  async fresh(branch: string): Promise<PullSummary | undefined> {
    const pull = await findPullByHead(this.gh, this.repo, branch);
    if (pull !== undefined) this.known.set(branch, pull);
    return pull;
  }

  remember(pull: PullSummary): void {
    this.known.set(pull.headRef, pull);
  }

  invalidate(): void {
    this.listing.invalidate();
  }
}
