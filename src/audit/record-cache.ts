/**
 * Parsed record facts by git blob SHA. A blob SHA names its content, so a record parsed once never
 * needs parsing again: `--watch` keeps the cache in memory across runs, and `--cache-dir` keeps it
 * on disk across invocations. Parsing is the audit's dominant cost (the YAML parser takes a few
 * milliseconds per record; see docs/benchmarks.md).
 *
 * The file cache is the auditor's own (like the audit tool itself): whoever can write it could
 * hide a record's content from the audit. It is keyed by the record format and the package
 * version, so a new parser never reads facts an older one produced.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Parsed, ReceiptFacts, RecordFacts } from "./facts.ts";

/** Records and receipt files, each by blob SHA (apart: one content, one meaning). */
export interface RecordCache {
  readonly records: Map<string, Parsed<RecordFacts>>;
  readonly receipts: Map<string, Parsed<ReceiptFacts>>;
}

export function emptyCache(): RecordCache {
  return { records: new Map(), receipts: new Map() };
}

const BLOB = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

function entries<T>(data: unknown): [string, T][] {
  if (typeof data !== "object" || data === null || Array.isArray(data)) return [];
  return Object.entries(data as Record<string, T>).filter(([sha]) => BLOB.test(sha));
}

function cacheFile(dir: string, version: string): string {
  return join(dir, `parsed-record-v1-receipt-v2-${version.replace(/[^0-9A-Za-z.-]/g, "_")}.json`);
}

export async function loadRecordCache(dir: string, version: string): Promise<RecordCache> {
  try {
    const data = JSON.parse(await readFile(cacheFile(dir, version), "utf8")) as {
      records?: unknown;
      receipts?: unknown;
    };
    return {
      records: new Map(entries<Parsed<RecordFacts>>(data.records)),
      receipts: new Map(entries<Parsed<ReceiptFacts>>(data.receipts)),
    };
  } catch {
    return emptyCache();
  }
}

export async function saveRecordCache(
  dir: string,
  version: string,
  cache: RecordCache,
): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = cacheFile(dir, version);
  const temporary = `${file}.${String(process.pid)}.tmp`;
  await writeFile(
    temporary,
    JSON.stringify({
      records: Object.fromEntries(cache.records),
      receipts: Object.fromEntries(cache.receipts),
    }),
    { mode: 0o600 },
  );
  await rename(temporary, file);
}
