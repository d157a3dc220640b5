/** Markdown for a PR comment or an issue: summary, findings, timeline and ledger as tables. */
import type { AuditReport } from "../report.ts";
import { inertMarkdown as m } from "./inert.ts";

function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [
    `| ${head.join(" | ")} |`,
    `| ${head.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ];
}

const code = (sha: string): string => (sha === "" ? "" : `\`${sha.slice(0, 12)}\``);

export function renderMarkdown(report: AuditReport): string {
  const s = report.summary;
  const out: string[] = [
    `# CSR audit: ${m(report.source)}`,
    "",
    `Ref ${m(report.ref)} at ${code(report.head)}, generated ${report.generatedAt}${report.since === undefined ? "" : `, since ${report.since}`}.`,
    "",
    "## Summary",
    "",
    `- ${s.csrs} CSRs: ${s.approved} approved, ${s.denied} denied, ${s.refused} refused, ${s.undecided} without a decision that counts`,
    `- ${s.certificates} certificates issued`,
    `- **${s.alarms} alarms**, ${s.warnings} warnings, ${s.notices} notices`,
    ...report.clusters.map((c) => `- cluster ${m(c.name)}: ${c.csrs} CSRs compared`),
    "",
    "## Findings",
    "",
  ];
  if (report.findings.length === 0) out.push("None.");
  else
    out.push(
      ...table(
        ["severity", "code", "commit", "subject", "what", "why it matters"],
        report.findings.map((f) => [
          f.severity,
          f.code,
          code(f.commit ?? ""),
          m(f.subject),
          m(f.detail),
          f.why,
        ]),
      ),
    );
  out.push("", "## Timeline", "");
  out.push(
    ...table(
      ["time", "event", "CSR", "who", "commit"],
      report.timeline.map((e) => [e.at, m(e.event), m(e.subject), m(e.actor), code(e.commit)]),
    ),
  );
  out.push("", "## Ledger", "");
  out.push(
    ...table(
      [
        "CSR",
        "signer",
        "requester",
        "subject",
        "SANs",
        "verdict",
        "decision",
        "approvers",
        "merged by",
        "PR",
        "decided",
        "certificate",
        "cluster",
      ],
      report.ledger.map((r) => [
        m(r.id),
        m(r.signer),
        m(r.requester),
        m(r.subject),
        m(r.subjectAltNames),
        r.verdict,
        r.decisionCounts ? r.decision : `${r.decision} (does not count)`,
        m(r.approvers),
        m(r.mergedBy),
        r.pullRequest === undefined ? "" : `#${r.pullRequest}`,
        r.decidedAt,
        m(r.certificateSerial),
        r.clusterPhase,
      ]),
    ),
  );
  return `${out.join("\n")}\n`;
}
