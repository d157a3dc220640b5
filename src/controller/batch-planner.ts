/**
 * Groups allowed CSRs that arrive together into batch PRs (docs/controller.md, "Batches"). A
 * reconcile that would open a PR for a batchable CSR offers it here instead. Offers collect per
 * cluster, signer, policy and config (the verdict's inputs). A window starts at the earliest
 * `creationTimestamp` held and covers `batch.windowSeconds`; once it has passed and no CSR was
 * offered for a settle time (informers and queues lag), the CSRs created in it are split, in
 * order of creation time and uid, into batches of at most `batch.maxSize`; later ones start the
 * next window. The grouping depends only on the CSRs, not on when a process
 * saw them, so a retry (after an error, a crash, or on a second replica that saw the same CSRs)
 * names the same batch branches. A batch of one gets an ordinary single PR.
 */
import type { CsrKey } from "../core/record/layout.ts";
import { singleBranch } from "../core/record/layout.ts";
import type { CsrRecord } from "../core/record/record.ts";
import type { AuditRepoSnapshot } from "./audit-repo-snapshot.ts";
import { batchEligible } from "./batch-eligible.ts";
import type { BatchIndex } from "./batch-index.ts";
import { completeBatch, openBatch, type BatchMember } from "./batch-open.ts";
import type { BatchCommitWrite } from "./batch-writes.ts";
import { csrKey } from "./cluster-view.ts";
import {
  APP_LABEL,
  openPull,
  type ReconcileContext,
  type ReconcileOutcome,
} from "./reconcile-csr.ts";
import type { QueueTimers } from "./work-queue.ts";

export interface BatchPlannerOptions {
  readonly context: () => ReconcileContext;
  readonly commit: BatchCommitWrite;
  readonly index: BatchIndex;
  readonly timers: QueueTimers;
  /** Puts a CSR back on the work queue (when its group's inputs changed before opening). */
  readonly requeue: (key: string) => void;
  /** Quiet time after the last offer into a window before it is opened. Default 2 s. */
  readonly settleMs?: number;
  /**
   * Keys still waiting in the work queue: a window is not opened while any wait (a burst is
   * reconciled more slowly than it arrives), at most `maxHoldMs` (default 5 min) past its end.
   */
  readonly queued?: () => number;
  readonly maxHoldMs?: number;
  /**
   * Batches being opened at once (default 4); later ones wait their turn. A burst flushes many
   * batches together: opened all at once, each would hold its rendered records and requests
   * until the last of them finished (GitHub's write spacing serialises their writes anyway).
   */
  readonly maxOpening?: number;
  /** First retry delay of a batch that failed to open; doubles up to maxRetryMs. */
  readonly retryMs?: number;
  readonly maxRetryMs?: number;
}

interface Candidate {
  readonly key: CsrKey;
  readonly record: CsrRecord;
  readonly createdMs: number;
}

interface Group {
  readonly id: string;
  readonly maxSize: number;
  readonly policyBlob: string | null;
  readonly configBlob: string | null;
  readonly windowMs: number;
  readonly entries: Map<string, Candidate>;
  timer: unknown;
}

function byCreation(a: Candidate, b: Candidate): number {
  return a.createdMs - b.createdMs || (a.key.uid < b.key.uid ? -1 : a.key.uid > b.key.uid ? 1 : 0);
}

export class BatchPlanner {
  private readonly options: BatchPlannerOptions;
  private readonly groups = new Map<string, Group>();
  /** `<cluster>/<uid>` of every CSR offered and not yet in a PR. */
  private readonly claimed = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  /** Batches due to open, waiting for one of the `maxOpening` turns. */
  private readonly waiting: { group: Group; chunk: readonly Candidate[]; attempt: number }[] = [];
  private readonly retries = new Set<unknown>();
  private stopped = false;

  constructor(options: BatchPlannerOptions) {
    this.options = options;
  }

  /**
   * Takes a pending CSR whose record is built, if it may share a PR: true when the planner now
   * holds it (the caller opens nothing), false when it needs a PR of its own.
   */
  offer(snapshot: AuditRepoSnapshot, key: CsrKey, record: CsrRecord, createdMs: number): boolean {
    if (!batchEligible(snapshot.config, record)) return false;
    const claim = csrKey(key.cluster, key.uid);
    if (this.claimed.has(claim)) return true;
    const id = JSON.stringify([
      key.cluster,
      record.csr.signerName,
      snapshot.policyBlobSha,
      snapshot.configBlobSha,
    ]);
    let group = this.groups.get(id);
    if (group === undefined) {
      group = {
        id,
        maxSize: snapshot.config.batch.maxSize,
        policyBlob: snapshot.policyBlobSha,
        configBlob: snapshot.configBlobSha,
        windowMs: snapshot.config.batch.windowSeconds * 1000,
        entries: new Map(),
        timer: undefined,
      };
      this.groups.set(id, group);
    }
    this.claimed.add(claim);
    group.entries.set(key.uid, { key, record, createdMs });
    this.schedule(group);
    return true;
  }

  /**
   * For a pending CSR without a single PR: "batched" while the planner holds it; the state of the
   * batch PR that holds its record, finishing that PR if opening it was interrupted; undefined
   * when no batch holds it.
   */
  async reconcileMember(cluster: string, uid: string): Promise<ReconcileOutcome | undefined> {
    if (this.claimed.has(csrKey(cluster, uid))) return "batched";
    const pull = await this.options.index.pullOf(cluster, uid);
    if (pull === undefined) return undefined;
    if (pull.state === "closed") return "nothing-to-do";
    if (pull.labels.includes(APP_LABEL)) return "up-to-date";
    const done = await completeBatch(
      this.options.context(),
      pull,
      this.options.index.keysOf(pull.headRef),
    );
    if (!done.ok) this.tampered(pull.headRef);
    return done.ok ? "completed" : "nothing-to-do";
  }

  /** Some group waits, or a batch is being opened or retried. */
  busy(): boolean {
    return (
      this.groups.size > 0 ||
      this.inFlight.size > 0 ||
      this.waiting.length > 0 ||
      this.retries.size > 0
    );
  }

  /** Resolves when the planner is no longer busy. */
  async idle(): Promise<void> {
    while (this.busy()) {
      if (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
      else await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Stops the timers; batches being opened finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const group of this.groups.values()) this.options.timers.clearTimeout(group.timer);
    for (const retry of this.retries) this.options.timers.clearTimeout(retry);
    this.groups.clear();
    this.retries.clear();
    this.waiting.length = 0;
    this.claimed.clear();
    await Promise.all([...this.inFlight]);
  }

  /** (Re)arms the group's timer: the first window's end, and the settle time after this offer. */
  private schedule(group: Group): void {
    const settle = this.options.settleMs ?? 2000;
    const now = this.options.context().now();
    const earliest = Math.min(...[...group.entries.values()].map((c) => c.createdMs));
    const delay = Math.max(earliest + group.windowMs - now, 0) + settle;
    this.options.timers.clearTimeout(group.timer);
    group.timer = this.options.timers.setTimeout(() => {
      const queued = this.options.queued?.() ?? 0;
      const held = this.options.context().now() - (earliest + group.windowMs);
      if (queued > 0 && held < (this.options.maxHoldMs ?? 300_000)) this.schedule(group);
      else this.flush(group);
    }, delay);
  }

  /** Opens the batches of the group's first window; later CSRs wait for their own. */
  private flush(group: Group): void {
    if (this.groups.get(group.id) !== group) return;
    this.options.timers.clearTimeout(group.timer);
    const all = [...group.entries.values()].sort(byCreation);
    const start = all[0]?.createdMs ?? 0;
    const due = all.filter((c) => c.createdMs < start + group.windowMs);
    for (const c of due) group.entries.delete(c.key.uid);
    if (group.entries.size === 0) this.groups.delete(group.id);
    else this.schedule(group);
    for (let i = 0; i < due.length; i += group.maxSize) {
      this.open(group, due.slice(i, i + group.maxSize), 0);
    }
  }

  private open(group: Group, chunk: readonly Candidate[], attempt: number): void {
    if (this.stopped) return;
    if (this.inFlight.size >= (this.options.maxOpening ?? 4)) {
      this.waiting.push({ group, chunk, attempt });
      return;
    }
    const run = this.openOnce(group, chunk).catch((error: unknown) => {
      const ctx = this.options.context();
      const base = this.options.retryMs ?? 1000;
      const delay = Math.min(base * 2 ** attempt, this.options.maxRetryMs ?? 300_000);
      ctx.events.log("warn", "opening a batch failed; will retry", {
        size: chunk.length,
        retryInMs: delay,
        error: error instanceof Error ? error.message : String(error),
      });
      ctx.events.count("reconcile_error", { reason: "error" });
      if (this.stopped) return;
      // The same CSRs again: the same batch branch, so a partly made batch is continued.
      const handle: unknown = this.options.timers.setTimeout(() => {
        this.retries.delete(handle);
        this.open(group, chunk, attempt + 1);
      }, delay);
      this.retries.add(handle);
    });
    this.inFlight.add(run);
    void run.finally(() => {
      this.inFlight.delete(run);
      const next = this.waiting.shift();
      if (next !== undefined) this.open(next.group, next.chunk, next.attempt);
    });
  }

  private release(chunk: readonly Candidate[]): void {
    for (const c of chunk) this.claimed.delete(csrKey(c.key.cluster, c.key.uid));
  }

  private tampered(branch: string): void {
    const ctx = this.options.context();
    ctx.events.log(
      "error",
      "the records on the batch branch are not the ones the app writes; leaving it for people",
      { branch },
    );
    ctx.events.count("reconcile_error", { reason: "tampered-branch" });
  }

  private async openOnce(group: Group, chunk: readonly Candidate[]): Promise<void> {
    const ctx = this.options.context();
    const snap = await ctx.snapshot();
    if (!snap.ok) throw new Error("the audit repo's config is broken");
    const snapshot = snap.snapshot;
    if (
      snapshot.policyBlobSha !== group.policyBlob ||
      snapshot.configBlobSha !== group.configBlob
    ) {
      // The verdict's inputs changed while the batch waited: decide each CSR again.
      this.release(chunk);
      for (const c of chunk) this.options.requeue(csrKey(c.key.cluster, c.key.uid));
      return;
    }
    const [only] = chunk;
    if (chunk.length === 1 && only !== undefined) {
      const branch = singleBranch(only.key);
      if (branch.ok) {
        const record = {
          ...only.record,
          policy: { ...only.record.policy, baseCommit: snapshot.baseCommit },
        };
        await openPull(ctx, snapshot, only.key, branch.value, record);
      }
      this.release(chunk);
      return;
    }
    const members: BatchMember[] = chunk.map((c) => ({ key: c.key, record: c.record }));
    const opened = await openBatch(ctx, this.options.commit, snapshot, members);
    if (opened.ok)
      this.options.index.remember(
        opened.branch,
        members.map((m) => m.key),
      );
    else this.tampered(members.map((m) => m.key.uid).join(","));
    this.release(chunk);
  }
}
