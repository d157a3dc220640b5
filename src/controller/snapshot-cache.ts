/**
 * The audit repo's snapshot (config, policy, templates), reused while the default branch stays at
 * the commit it was read at, so opening a PR costs no reads of it. The head is checked again (one
 * read) when the last check is older than `maxAgeMs` (`Infinity`: never on age alone, what the
 * controller uses when push webhooks reach it), after `moved()` (a push to the default branch, a
 * resync), or when a caller asks for a fresh snapshot (before a final decision); the files are read
 * again only when the head moved. One read of each kind in flight at a time; a failed read is not
 * kept. One cache serves a whole process: `serve`'s config_valid check shares the controller's.
 */
import type { SnapshotResult } from "./audit-repo-snapshot.ts";

export interface SnapshotSource {
  /** The default branch's head commit, read now. */
  readonly head: () => Promise<string>;
  /** The snapshot at that commit. */
  readonly readAt: (commit: string) => Promise<SnapshotResult>;
}

export class AuditRepoSnapshots {
  private readonly source: SnapshotSource;
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  private checked: { at: number; head: Promise<string> } | undefined;
  private files: { commit: string; result: Promise<SnapshotResult> } | undefined;

  /** `maxAgeMs`: how long a head check is trusted; `Infinity` only after `moved()` or `fresh`. */
  constructor(source: SnapshotSource, maxAgeMs: number, now: () => number) {
    this.source = source;
    this.maxAgeMs = maxAgeMs;
    this.now = now;
  }

  /** The snapshot at the head as last checked; `fresh` checks the head now. */
  async get(fresh = false): Promise<SnapshotResult> {
    const now = this.now();
    let checked = this.checked;
    if (fresh || checked === undefined || now - checked.at >= this.maxAgeMs) {
      const entry = { at: now, head: this.source.head() };
      this.checked = checked = entry;
      entry.head.catch(() => {
        if (this.checked === entry) this.checked = undefined;
      });
    }
    const commit = await checked.head;
    let files = this.files;
    if (files?.commit !== commit) {
      const entry = { commit, result: this.source.readAt(commit) };
      this.files = files = entry;
      entry.result.catch(() => {
        if (this.files === entry) this.files = undefined;
      });
    }
    return files.result;
  }

  /** The default branch may have moved: check its head at the next `get`. */
  moved(): void {
    this.checked = undefined;
  }
}
