/**
 * Which batch PR holds a CSR. A batch branch names only a digest of its uids, so the members of
 * each batch PR in the app's recent listing are read once from its files (one read per batch PR,
 * kept: the app's PR never changes files, and a PR someone pushed to is refused by the app anyway).
 * Batches this process opened are remembered at once.
 */
import { parseAppBranch, parseCsrPath, type CsrKey } from "../core/record/layout.ts";
import type { PullSummary } from "../github/pulls.ts";
import type { GitHub, RepoRef } from "../github/repo-ref.ts";
import type { PullIndex } from "./pull-index.ts";

export class BatchIndex {
  private readonly gh: GitHub;
  private readonly repo: RepoRef;
  private readonly pulls: PullIndex;
  /** `<cluster>/<uid>` → the batch branch that holds its record. */
  private readonly members = new Map<string, string>();
  /** The batch branch → the CSRs whose records it holds. */
  private readonly keys = new Map<string, CsrKey[]>();
  /** Batch PRs whose files were read. */
  private readonly scanned = new Set<number>();

  constructor(gh: GitHub, repo: RepoRef, pulls: PullIndex) {
    this.gh = gh;
    this.repo = repo;
    this.pulls = pulls;
  }

  remember(branch: string, keys: readonly CsrKey[]): void {
    for (const key of keys) this.members.set(`${key.cluster}/${key.uid}`, branch);
    this.keys.set(branch, [...keys]);
  }

  /** The CSRs of a batch branch (as read or made). */
  keysOf(branch: string): readonly CsrKey[] {
    return this.keys.get(branch) ?? [];
  }

  /** The batch PR that holds this CSR's record, if any (any state). */
  async pullOf(cluster: string, uid: string): Promise<PullSummary | undefined> {
    const known = this.members.get(`${cluster}/${uid}`);
    if (known !== undefined) return this.pulls.find(known);
    for (const pull of await this.pulls.all()) {
      if (this.scanned.has(pull.number)) continue;
      const branch = parseAppBranch(pull.headRef);
      if (branch?.kind !== "batch") continue;
      const files = await this.gh.paginate(this.gh.rest.pulls.listFiles, {
        ...this.repo,
        pull_number: pull.number,
        per_page: 100,
      });
      const keys: CsrKey[] = [];
      for (const file of files) {
        const parsed = parseCsrPath(file.filename);
        if (
          parsed.ok &&
          parsed.value.kind === "record" &&
          parsed.value.key.cluster === branch.cluster
        )
          keys.push(parsed.value.key);
      }
      this.remember(pull.headRef, keys);
      this.scanned.add(pull.number);
    }
    const found = this.members.get(`${cluster}/${uid}`);
    return found === undefined ? undefined : this.pulls.find(found);
  }
}
