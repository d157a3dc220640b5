/**
 * The audit's findings as Prometheus metrics, so an alert fires on an out-of-band approval as soon
 * as the next comparison sees it. One registry per watcher (no global state).
 *
 * Example alert: `max(csr_gitops_audit_findings{severity="alarm"}) > 0`, and
 * `time() - csr_gitops_audit_last_success_timestamp_seconds > 300` for an audit that stopped running.
 */
import { Counter, Gauge, Registry } from "prom-client";
import { FINDING_CODES, type FindingCode } from "../finding.ts";
import type { AuditRun } from "../run-audit.ts";

export class AuditMetrics {
  readonly registry = new Registry();
  private readonly findings = new Gauge({
    name: "csr_gitops_audit_findings",
    help: "Findings of the latest successful audit run, by severity and code.",
    labelNames: ["severity", "code"] as const,
    registers: [this.registry],
  });
  private readonly csrs = new Gauge({
    name: "csr_gitops_audit_ledger_csrs",
    help: "CSRs in the ledger of the latest successful run.",
    registers: [this.registry],
  });
  private readonly up = new Gauge({
    name: "csr_gitops_audit_up",
    help: "1 when the latest audit run could read the repository and every cluster, else 0.",
    registers: [this.registry],
  });
  private readonly lastSuccess = new Gauge({
    name: "csr_gitops_audit_last_success_timestamp_seconds",
    help: "When the latest successful audit run finished (Unix time).",
    registers: [this.registry],
  });
  private readonly runs = new Counter({
    name: "csr_gitops_audit_runs_total",
    help: "Audit runs by result: clean, findings, or error (could not run).",
    labelNames: ["result"] as const,
    registers: [this.registry],
  });

  constructor() {
    // Every code is present from the start (at 0), so alert rules see a series before the first finding.
    for (const [code, meta] of Object.entries(FINDING_CODES) as [
      FindingCode,
      { severity: string },
    ][])
      this.findings.set({ severity: meta.severity, code }, 0);
    this.up.set(0);
    for (const result of ["clean", "findings", "error"]) this.runs.inc({ result }, 0);
  }

  record(run: AuditRun, now: Date): void {
    if (!run.ok) {
      this.up.set(0);
      this.runs.inc({ result: "error" });
      return;
    }
    const counts = new Map<FindingCode, number>();
    for (const f of run.report.findings) counts.set(f.code, (counts.get(f.code) ?? 0) + 1);
    for (const [code, meta] of Object.entries(FINDING_CODES) as [
      FindingCode,
      { severity: string },
    ][])
      this.findings.set({ severity: meta.severity, code }, counts.get(code) ?? 0);
    this.csrs.set(run.report.summary.csrs);
    this.up.set(1);
    this.lastSuccess.set(now.getTime() / 1000);
    this.runs.inc({ result: run.failed ? "findings" : "clean" });
  }
}
