/** The terminal output: summary, findings, then the ledger as aligned columns. */
import type { AuditReport } from "../report.ts";
import { inertText as t } from "./inert.ts";

function columns(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const r of rows)
    r.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, Array.from(cell).length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) =>
          i === r.length - 1 ? cell : cell + " ".repeat((widths[i] ?? 0) - Array.from(cell).length),
        )
        .join("  "),
    )
    .join("\n");
}

const short = (sha: string): string => sha.slice(0, 12);

export function renderTable(report: AuditReport): string {
  const s = report.summary;
  const out: string[] = [
    `Audit of ${t(report.source)} at ${t(report.ref)} (${short(report.head)}), ${report.generatedAt}`,
    ...(report.clusters.length === 0
      ? []
      : [`Clusters: ${report.clusters.map((c) => `${t(c.name)} (${c.csrs} CSRs)`).join(", ")}`]),
    `${s.csrs} CSRs: ${s.approved} approved, ${s.denied} denied, ${s.refused} refused, ${s.undecided} without a decision that counts; ${s.certificates} certificates`,
    `Findings: ${s.alarms} alarms, ${s.warnings} warnings, ${s.notices} notices`,
    "",
  ];
  if (report.findings.length > 0) {
    out.push("FINDINGS");
    for (const f of report.findings) {
      out.push(
        `${f.severity.toUpperCase()} ${f.code} ${f.commit === undefined ? "-" : short(f.commit)} ${t(f.subject)}`,
        `  ${t(f.detail)}`,
        `  why: ${f.why}`,
      );
    }
    out.push("");
  }
  out.push("LEDGER");
  out.push(
    columns([
      [
        "CSR",
        "SIGNER",
        "REQUESTER",
        "VERDICT",
        "DECISION",
        "APPROVERS",
        "PR",
        "DECIDED",
        "CLUSTER",
      ],
      ...report.ledger.map((r) => [
        t(r.id),
        t(r.signer),
        t(r.requester),
        r.verdict,
        r.decisionCounts ? r.decision : r.decision === "none" ? "none" : `${r.decision}?`,
        t(r.approvers.replace(/ \(id \d+\)/g, "")),
        r.pullRequest === undefined ? "" : `#${r.pullRequest}`,
        r.decidedAt,
        r.clusterPhase,
      ]),
    ]),
  );
  return `${out.join("\n")}\n`;
}
