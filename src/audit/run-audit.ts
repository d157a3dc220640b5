/**
 * One audit run: read the history (a clone or the GitHub API), build and verify the ledger,
 * compare it with each cluster, and assemble the report. The readers are injected so the watch
 * loop and the tests drive the same code.
 */
import type { AppIdentity } from "./app-identity.ts";
import { buildLedger } from "./build-ledger.ts";
import type { ClusterCsr } from "./cluster/cluster-csr.ts";
import { compareCluster, type ClusterComparison } from "./cluster/compare-cluster.ts";
import type { ClusterTarget } from "./cluster/read-cluster.ts";
import type { Formats } from "./facts.ts";
import { failsAudit } from "./finding.ts";
import type { AuditHistory } from "./history.ts";
import type { RecordCache } from "./record-cache.ts";
import { buildReport, type AuditReport } from "./report.ts";

export type Read<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

export interface AuditSources {
  readonly readHistory: () => Promise<Read<AuditHistory>>;
  readonly readCluster: (target: ClusterTarget) => Promise<Read<readonly ClusterCsr[]>>;
}

export interface AuditSettings {
  readonly clusters: readonly ClusterTarget[];
  readonly since: Date | undefined;
  readonly app: AppIdentity;
  readonly formats: Formats;
  readonly receiptGraceMs: number;
  readonly now: () => Date;
  /** Parsed records by blob SHA, kept across runs (watch) or loaded from --cache-dir. */
  readonly recordCache?: RecordCache | undefined;
  /**
   * Fills `recordCache` before the ledger is built, e.g. by parsing on worker threads
   * (parse-pool.ts, which parses with FORMATS: inject it only with those formats).
   */
  readonly parseAhead?: ((history: AuditHistory, cache: RecordCache) => Promise<void>) | undefined;
}

export type AuditRun =
  | { readonly ok: true; readonly report: AuditReport; readonly failed: boolean }
  | { readonly ok: false; readonly message: string };

export async function runAudit(settings: AuditSettings, sources: AuditSources): Promise<AuditRun> {
  const history = await sources.readHistory();
  if (!history.ok) return history;
  if (settings.recordCache !== undefined && settings.parseAhead !== undefined)
    await settings.parseAhead(history.value, settings.recordCache);
  const now = settings.now();
  const ledger = buildLedger(history.value, {
    app: settings.app,
    formats: settings.formats,
    now,
    receiptGraceMs: settings.receiptGraceMs,
    recordCache: settings.recordCache,
  });
  const comparisons: ClusterComparison[] = [];
  const counts = new Map<string, number>();
  for (const target of settings.clusters) {
    const csrs = await sources.readCluster(target);
    if (!csrs.ok) return csrs;
    counts.set(target.name, csrs.value.length);
    comparisons.push(compareCluster(target.name, ledger.entries, csrs.value));
  }
  const report = buildReport({
    ledger,
    comparisons,
    clusterCsrCounts: counts,
    source: history.value.source,
    ref: history.value.ref,
    head: history.value.head,
    since: settings.since,
    now,
  });
  return { ok: true, report, failed: failsAudit(report.findings) };
}
