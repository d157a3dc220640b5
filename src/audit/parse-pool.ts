/**
 * Parses the records and receipt files of a history on worker threads before the ledger is built,
 * filling the record cache (record-cache.ts) with what `buildLedger` would otherwise parse one by
 * one. Parsing is the first audit's dominant cost (a YAML parse per file, see docs/benchmarks.md)
 * and every file is independent, so it spreads over the machine's cores. The workers run the same
 * parsers as the main thread (formats.ts); only blobs not yet in the cache are sent.
 *
 * Records can be sent as soon as their blobs are read (`blobsRead`, called by the clone reader
 * before it reads the commits), so the workers start and parse while the main thread reads the
 * commits; receipt files follow with the message of the commit that adds them (`finish`), so a
 * worker can recognise a file that is exactly the rendering of its trailers without parsing it.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Parsed, ReceiptFacts, RecordFacts } from "./facts.ts";
import type { AuditHistory, FileChange } from "./history.ts";
import type { RecordCache } from "./record-cache.ts";

export interface ParseJob {
  readonly sha: string;
  readonly kind: "record" | "receipt";
  readonly text: string;
  /** For a receipt file: the message of the commit that adds it (its trailers). */
  readonly message?: string | undefined;
}

export type ParseResult =
  | { readonly sha: string; readonly kind: "record"; readonly parsed: Parsed<RecordFacts> }
  | { readonly sha: string; readonly kind: "receipt"; readonly parsed: Parsed<ReceiptFacts> };

/** Below this many files (about a second of parsing), starting workers costs more than it saves. */
export const MIN_PARALLEL_FILES = 2000;
/** Files per message: large enough that messaging is cheap, small enough to balance the load. */
const CHUNK = 250;

function kindOf(path: string): ParseJob["kind"] | undefined {
  if (!path.startsWith("clusters/")) return undefined;
  if (path.endsWith("/record.yaml")) return "record";
  if (path.endsWith("/decision.yaml") || path.endsWith("/certificate.yaml")) return "receipt";
  return undefined;
}

/** What `pendingParses` reads of a commit: its changes, and its message when known. */
export interface ChangeSet {
  readonly changes: readonly FileChange[];
  readonly message?: string | undefined;
}

/**
 * Record and receipt-file blobs the commits add that the cache does not hold yet, each once, in
 * history order; `only` limits them to one kind, `skip` leaves out blobs already sent.
 */
export function pendingParses(
  history: { readonly commits: readonly ChangeSet[]; readonly blobs: ReadonlyMap<string, string> },
  cache: RecordCache,
  only?: ParseJob["kind"],
  skip: ReadonlySet<string> = new Set(),
): ParseJob[] {
  const jobs: ParseJob[] = [];
  const queued = new Set<string>();
  for (const commit of history.commits)
    for (const change of commit.changes) {
      const sha = change.newBlob;
      const kind = kindOf(change.path);
      if (sha === undefined || kind === undefined || (only !== undefined && kind !== only))
        continue;
      if (queued.has(sha) || skip.has(sha)) continue;
      if ((kind === "record" ? cache.records : cache.receipts).has(sha)) continue;
      const text = history.blobs.get(sha);
      if (text === undefined) continue;
      queued.add(sha);
      jobs.push(
        kind === "receipt" && commit.message !== undefined
          ? { sha, kind, text, message: commit.message }
          : { sha, kind, text },
      );
    }
  return jobs;
}

function workerUrl(): URL {
  // Run from source (Node strips the types) or from the build in dist/.
  const here = import.meta.url;
  return new URL(here.endsWith(".ts") ? "./parse-worker.ts" : "./parse-worker.js", here);
}

/**
 * Worker threads taking chunks of jobs from one queue; jobs may be added until `drain`, which
 * resolves with every result once the queue is empty and no chunk is out, then stops the workers.
 */
class WorkerPool {
  private readonly queue: ParseJob[] = [];
  private readonly results: ParseResult[] = [];
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private out = 0;
  private draining = false;
  private failure: Error | undefined;
  private settle: { resolve: (r: ParseResult[]) => void; reject: (e: Error) => void } | undefined;

  constructor(threads: number) {
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(workerUrl());
      this.workers.push(worker);
      worker.on("message", (batch: ParseResult[]) => {
        this.results.push(...batch);
        this.out--;
        this.next(worker);
      });
      worker.on("error", (error: Error) => {
        this.fail(error);
      });
      worker.on("exit", (code) => {
        this.fail(new Error(`parse worker exited with code ${String(code)}`));
      });
      this.idle.push(worker);
    }
  }

  add(jobs: readonly ParseJob[]): void {
    this.queue.push(...jobs);
    for (const worker of this.idle.splice(0)) this.next(worker);
  }

  drain(): Promise<ParseResult[]> {
    this.draining = true;
    return new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
      this.check();
    });
  }

  close(): void {
    for (const worker of this.workers) {
      worker.removeAllListeners("exit");
      void worker.terminate();
    }
  }

  private next(worker: Worker): void {
    if (this.failure !== undefined) return;
    if (this.queue.length === 0) {
      this.idle.push(worker);
      this.check();
      return;
    }
    this.out++;
    worker.postMessage(this.queue.splice(0, CHUNK));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.check();
  }

  private check(): void {
    if (this.settle === undefined) return;
    if (this.failure !== undefined) this.settle.reject(this.failure);
    else if (this.draining && this.queue.length === 0 && this.out === 0)
      this.settle.resolve(this.results);
    else return;
    this.settle = undefined;
    this.close();
  }
}

export interface ParallelParseOptions {
  /** Worker threads; default the machine's available parallelism. 1 or less: none. */
  readonly threads?: number;
  /** Fewer files than this are left to the main thread; default MIN_PARALLEL_FILES. */
  readonly minFiles?: number;
}

export interface ParseAhead {
  /**
   * The blobs are read, not the commits yet: starts parsing the records on workers when there are
   * enough of them. Called by the clone reader (read-clone.ts `onBlobs`).
   */
  readonly blobsRead: (commits: readonly ChangeSet[], blobs: ReadonlyMap<string, string>) => void;
  /** Parses what is left (receipt files, or everything) and fills the cache. */
  readonly finish: (history: AuditHistory) => Promise<void>;
  /** Stops the workers if `finish` was not reached (the read failed). */
  readonly close: () => void;
}

/**
 * One audit run's parsing ahead into `cache`. When too little is left to parse, or there is one
 * thread only, nothing runs and `buildLedger` parses on the main thread as before. When a worker
 * fails, its files are left to `buildLedger`, so a failure costs time, never a result.
 */
export function startParseAhead(
  cache: RecordCache,
  options: ParallelParseOptions = {},
): ParseAhead {
  const threads = options.threads ?? availableParallelism();
  const minFiles = options.minFiles ?? MIN_PARALLEL_FILES;
  let pool: WorkerPool | undefined;
  const sent = new Set<string>();
  const send = (jobs: readonly ParseJob[]): void => {
    pool ??= new WorkerPool(threads);
    for (const job of jobs) sent.add(job.sha);
    pool.add(jobs);
  };
  return {
    blobsRead: (commits, blobs) => {
      if (threads <= 1) return;
      const jobs = pendingParses({ commits, blobs }, cache, "record", sent);
      if (jobs.length >= minFiles) send(jobs);
    },
    finish: async (history) => {
      if (threads <= 1) return;
      const jobs = pendingParses(history, cache, undefined, sent);
      if (pool === undefined && jobs.length < minFiles) return;
      send(jobs);
      const running = pool;
      pool = undefined;
      let results: ParseResult[];
      try {
        results = await (running?.drain() ?? Promise.resolve([]));
      } catch {
        return;
      }
      for (const result of results) {
        if (result.kind === "record") cache.records.set(result.sha, result.parsed);
        else cache.receipts.set(result.sha, result.parsed);
      }
    },
    close: () => {
      pool?.close();
      pool = undefined;
    },
  };
}

/** Parses what the cache lacks on worker threads, all at once (a history already read). */
export async function parseInParallel(
  history: AuditHistory,
  cache: RecordCache,
  options: ParallelParseOptions = {},
): Promise<void> {
  const ahead = startParseAhead(cache, options);
  try {
    await ahead.finish(history);
  } finally {
    ahead.close();
  }
}
