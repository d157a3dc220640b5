/**
 * The app's recent pull requests by head branch: listed once (newest first, only as far back as a
 * pending CSR can be old) when first needed and again after `invalidate()` (the periodic resync),
 * and in between kept current by the controller's own writes (`remember`). So a PR costs no
 * lookup. A PR this process did not make since the listing (another replica's, or one people
 * opened) is missing from it; that is safe: creating its branch or PR again is answered "already
 * exists" and then looked up, and closing re-reads the PR first.
 */
import { BRANCH_PREFIX } from "../core/record/layout.ts";
import { PENDING_CSR_LIFETIME_MS } from "../core/record/record.ts";
import { findPullByHead, listRecentPulls, type PullSummary } from "../github/pulls.ts";
import type { GitHub, RepoRef } from "../github/repo-ref.ts";

export class PullIndex {
  private readonly gh: GitHub;
  private readonly repo: RepoRef;
  private readonly now: () => number;
  private listing: Promise<Map<string, PullSummary>> | undefined;
  /** What this process learnt since the listing started (newer than the listing). */
  private readonly known = new Map<string, PullSummary>();

  constructor(gh: GitHub, repo: RepoRef, now: () => number) {
    this.gh = gh;
    this.repo = repo;
    this.now = now;
  }

  private listed(): Promise<Map<string, PullSummary>> {
    if (this.listing === undefined) {
      // An hour more than a pending CSR lives: every PR of a CSR still pending is in the window.
      const since = new Date(this.now() - PENDING_CSR_LIFETIME_MS - 3_600_000);
      this.known.clear();
      const listing = listRecentPulls(this.gh, this.repo, BRANCH_PREFIX, since).then((pulls) => {
        const map = new Map<string, PullSummary>();
        // Newest first: the first PR seen for a branch is its current one.
        for (const pull of pulls) if (!map.has(pull.headRef)) map.set(pull.headRef, pull);
        return map;
      });
      this.listing = listing;
      listing.catch(() => {
        if (this.listing === listing) this.listing = undefined;
      });
    }
    return this.listing;
  }

  /** The PR of `branch` as last listed, or as this process made or read it since. */
  async find(branch: string): Promise<PullSummary | undefined> {
    const listed = await this.listed();
    return this.known.get(branch) ?? listed.get(branch);
  }

  /** Every listed PR (for the resync to find PRs whose CSR is gone). */
  async all(): Promise<PullSummary[]> {
    const merged = new Map(await this.listed());
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

  /** The next lookup lists again (the resync's full re-read). */
  invalidate(): void {
    this.listing = undefined;
  }
}
