/**
 * One self-contained HTML file an auditor can open offline and pass on: inline CSS, no script, no
 * external resource (a Content-Security-Policy says so to the browser too). Summary, findings
 * first, the timeline of decisions, then the ledger. Every value goes through `inertHtml`.
 */
import type { AuditReport } from "../report.ts";
import { inertHtml as h } from "./inert.ts";

const CSS = `
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1f24;background:#fff}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#f6f8fa}
code{font:12px ui-monospace,monospace}
.alarm{background:#ffebe9}.warning{background:#fff8c5}.notice{background:#ddf4ff}
.sev{font-weight:600;text-transform:uppercase}
.summary span{display:inline-block;margin-right:1.5rem}
.muted{color:#57606a}
`;

function table(head: readonly string[], rows: readonly string[]): string {
  return `<table><thead><tr>${head.map((x) => `<th>${h(x)}</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

const c = (sha: string | undefined): string =>
  sha === undefined || sha === "" ? "" : `<code>${h(sha.slice(0, 12))}</code>`;
const td = (value: string): string => `<td>${value}</td>`;

export function renderHtml(report: AuditReport): string {
  const s = report.summary;
  const findings =
    report.findings.length === 0
      ? "<p>None.</p>"
      : table(
          ["severity", "code", "commit", "subject", "what", "why it matters", "when"],
          report.findings.map(
            (f) =>
              `<tr class="${f.severity}">${td(`<span class="sev">${h(f.severity)}</span>`)}${td(`<code>${h(f.code)}</code>`)}${td(c(f.commit))}${td(h(f.subject))}${td(h(f.detail))}${td(h(f.why))}${td(h(f.at ?? ""))}</tr>`,
          ),
        );
  const timeline = table(
    ["time", "event", "CSR", "who", "commit"],
    report.timeline.map(
      (e) =>
        `<tr>${td(h(e.at))}${td(h(e.event))}${td(h(e.subject))}${td(h(e.actor))}${td(c(e.commit))}</tr>`,
    ),
  );
  const ledger = table(
    [
      "CSR",
      "signer",
      "requester",
      "subject",
      "SANs",
      "verdict",
      "required",
      "decision",
      "approvers",
      "merged by",
      "closed by",
      "PR",
      "recorded",
      "decided",
      "certificate",
      "cluster",
      "notes",
    ],
    report.ledger.map(
      (r) =>
        `<tr${r.findings === "" ? "" : ' class="alarm"'}>${[
          h(r.id),
          h(r.signer),
          h(r.requester),
          h(r.subject),
          h(r.subjectAltNames),
          h(`${r.verdict}${r.reasons === "" ? "" : ` (${r.reasons})`}`),
          h(r.requiredApprovals === undefined ? "" : String(r.requiredApprovals)),
          h(
            r.decisionCounts
              ? r.decision
              : r.decision === "none"
                ? "none"
                : `${r.decision} (receipt does not count)`,
          ),
          h(r.approvers),
          h(r.mergedBy),
          h(r.closedBy),
          h(r.pullRequest === undefined ? "" : `#${r.pullRequest}`),
          h(r.recordedAt),
          h(r.decidedAt),
          h(
            r.certificateSerial === ""
              ? ""
              : `${r.certificateSerial} until ${r.certificateNotAfter}`,
          ),
          h(r.clusterPhase),
          h(r.notes),
        ]
          .map(td)
          .join("")}</tr>`,
    ),
  );
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<title>CSR audit: ${h(report.source)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>CSR audit: ${h(report.source)}</h1>
<p class="muted">Ref ${h(report.ref)} at ${c(report.head)}, generated ${h(report.generatedAt)}${report.since === undefined ? "" : `, since ${h(report.since)}`}${report.clusters.length === 0 ? "" : `; compared with ${report.clusters.map((x) => `${h(x.name)} (${x.csrs} CSRs)`).join(", ")}`}.</p>
<h2>Summary</h2>
<p class="summary"><span>${s.csrs} CSRs</span><span>${s.approved} approved</span><span>${s.denied} denied</span><span>${s.refused} refused</span><span>${s.undecided} without a decision that counts</span><span>${s.certificates} certificates</span></p>
<p class="summary"><span class="alarm">${s.alarms} alarms</span><span class="warning">${s.warnings} warnings</span><span class="notice">${s.notices} notices</span></p>
<h2>Findings</h2>
${findings}
<h2>Timeline</h2>
${timeline}
<h2>Ledger</h2>
${ledger}
</body>
</html>
`;
}
