/**
 * Parses the records and receipt files of a history on worker threads before the ledger is built,
 * filling the record cache (record-cache.ts) with what `buildLedger` would otherwise parse one by
 * one. Parsing is the first audit's dominant cost (a YAML parse per file, see docs/benchmarks.md)
 * and every file is independent, so it spreads over the machine's cores. The workers run the same
 * parsers as the main thread (formats.ts); only blobs not yet in the cache are sent.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Parsed, ReceiptFacts, RecordFacts } from "./facts.ts";
import type { AuditHistory } from "./history.ts";
import type { RecordCache } from "./record-cache.ts";

export interface ParseJob {
  readonly sha: string;
  readonly kind: "record" | "receipt";
  readonly text: string;
}

export type ParseResult =
  | { readonly sha: string; readonly kind: "record"; readonly parsed: Parsed<RecordFacts> }
  | { readonly sha: string; readonly kind: "receipt"; readonly parsed: Parsed<ReceiptFacts> };

/** Below this many files (about a second of parsing), starting workers costs more than it saves. */
export const MIN_PARALLEL_FILES = 2000;
/** Files per message: large enough that messaging is cheap, small enough to balance the load. */
const CHUNK = 250;

/** Record and receipt-file blobs the history adds that the cache does not hold yet. */
export function pendingParses(history: AuditHistory, cache: RecordCache): ParseJob[] {
  const jobs: ParseJob[] = [];
  const queued = new Set<string>();
  for (const commit of history.commits)
    for (const change of commit.changes) {
      const sha = change.newBlob;
      if (sha === undefined || !change.path.startsWith("clusters/") || queued.has(sha)) continue;
      const kind = change.path.endsWith("/record.yaml")
        ? "record"
        : change.path.endsWith("/decision.yaml") || change.path.endsWith("/certificate.yaml")
          ? "receipt"
          : undefined;
      if (kind === undefined) continue;
      if ((kind === "record" ? cache.records : cache.receipts).has(sha)) continue;
      const text = history.blobs.get(sha);
      if (text === undefined) continue;
      queued.add(sha);
      jobs.push({ sha, kind, text });
    }
  return jobs;
}

function workerUrl(): URL {
  // Run from source (Node strips the types) or from the build in dist/.
  const here = import.meta.url;
  return new URL(here.endsWith(".ts") ? "./parse-worker.ts" : "./parse-worker.js", here);
}

/** Runs `jobs` on `threads` workers; each worker takes the next chunk when it is done. */
async function runOnWorkers(jobs: readonly ParseJob[], threads: number): Promise<ParseResult[]> {
  const chunks: ParseJob[][] = [];
  for (let at = 0; at < jobs.length; at += CHUNK) chunks.push(jobs.slice(at, at + CHUNK));
  const results: ParseResult[] = [];
  const workers: Worker[] = [];
  let next = 0;
  const one = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = new Worker(workerUrl());
      workers.push(worker);
      const send = (): void => {
        const chunk = chunks[next++];
        if (chunk === undefined) {
          worker.removeAllListeners("exit");
          worker.terminate().then(() => {
            resolve();
          }, reject);
          return;
        }
        worker.postMessage(chunk);
      };
      worker.on("message", (batch: ParseResult[]) => {
        results.push(...batch);
        send();
      });
      worker.on("error", reject);
      worker.on("exit", (code) => {
        reject(new Error(`parse worker exited with code ${String(code)}`));
      });
      send();
    });
  try {
    await Promise.all(Array.from({ length: Math.min(threads, chunks.length) }, one));
  } finally {
    for (const worker of workers) {
      worker.removeAllListeners("exit");
      void worker.terminate();
    }
  }
  return results;
}

export interface ParallelParseOptions {
  /** Worker threads; default the machine's available parallelism. 1 or less: none. */
  readonly threads?: number;
  /** Fewer files than this are left to the main thread; default MIN_PARALLEL_FILES. */
  readonly minFiles?: number;
}

/**
 * Parses what the cache lacks on worker threads. Does nothing when there is too little to parse
 * or one thread only: `buildLedger` then parses on the main thread as before. When a worker fails,
 * the files it had are left to `buildLedger`, so a failure costs time, never a result.
 */
export async function parseInParallel(
  history: AuditHistory,
  cache: RecordCache,
  options: ParallelParseOptions = {},
): Promise<void> {
  const threads = options.threads ?? availableParallelism();
  const jobs = pendingParses(history, cache);
  if (threads <= 1 || jobs.length < (options.minFiles ?? MIN_PARALLEL_FILES)) return;
  let results: ParseResult[];
  try {
    results = await runOnWorkers(jobs, threads);
  } catch {
    return;
  }
  for (const result of results) {
    if (result.kind === "record") cache.records.set(result.sha, result.parsed);
    else cache.receipts.set(result.sha, result.parsed);
  }
}
