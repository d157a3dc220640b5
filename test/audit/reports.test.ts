/**
 * The report formats an auditor reads: CSR-derived strings are inert in every human format, the
 * HTML report is one self-contained file, CSV cells cannot run as spreadsheet formulas.
 */
import { describe, expect, it } from "vitest";
import { finding } from "../../src/audit/finding.ts";
import type { AuditReport, LedgerRow } from "../../src/audit/report.ts";
import { csvCell } from "../../src/audit/render/render-csv.ts";
import { renderReport, OUTPUT_FORMATS } from "../../src/audit/render/render-report.ts";
import { renderedText, renderGfm, tagsOf, textOutsideCode } from "../support/render-gfm.ts";

const HOSTILE =
  "alice\u001b[2J\u001b[1;32m verdict: ALLOW\u001b[0m\r\n<script>alert(1)</script> @security [x](https://evil.example) | \u202eevil\u200b";

function row(over: Partial<LedgerRow> = {}): LedgerRow {
  return {
    id: "prod-eu/worker-1_5b0c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3",
    cluster: "prod-eu",
    name: "worker-1",
    uid: "5b0c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3",
    signer: "kubernetes.io/kube-apiserver-client",
    requester: HOSTILE,
    subject: `CN=${HOSTILE}`,
    subjectAltNames: "DNS:a.example",
    verdict: "allow",
    reasons: "",
    requiredApprovals: 2,
    decision: "approved",
    decisionCounts: true,
    approvers: "alice (id 1001), bob (id 1002)",
    mergedBy: "carol (id 1003)",
    closedBy: "",
    pullRequest: 12,
    recordedAt: "2026-11-29T16:20:00.000Z",
    mergedAt: "2026-11-29T16:30:00.000Z",
    decidedAt: "2026-11-29T16:31:00.000Z",
    certificateSerial: "",
    certificateNotAfter: "",
    clusterPhase: "",
    recordCommit: "a".repeat(40),
    decisionCommit: "b".repeat(40),
    findings: "",
    notes: "",
    ...over,
  };
}

function report(): AuditReport {
  return {
    generatedAt: "2026-11-29T17:00:00.000Z",
    source: "/srv/audit",
    ref: "HEAD",
    head: "c".repeat(40),
    since: undefined,
    clusters: [],
    summary: {
      csrs: 1,
      approved: 1,
      denied: 0,
      refused: 0,
      undecided: 0,
      certificates: 0,
      alarms: 1,
      warnings: 0,
      notices: 0,
    },
    findings: [
      finding("approved-out-of-band", {
        subject: `prod-eu/${HOSTILE}`,
        detail: `CSR of ${HOSTILE} approved`,
        at: "2026-11-29T16:40:00.000Z",
      }),
    ],
    timeline: [
      {
        at: "2026-11-29T16:31:00.000Z",
        event: "approved",
        subject: "prod-eu/worker-1",
        actor: HOSTILE,
        commit: "b".repeat(40),
      },
    ],
    ledger: [row()],
  };
}

describe("audit reports", () => {
  it("never carry a raw control, bidi or invisible character in a format for people", () => {
    for (const format of OUTPUT_FORMATS) {
      if (format === "json") continue;
      const text = renderReport(report(), format);
      expect(text, format).not.toMatch(
        // eslint-disable-next-line no-control-regex -- asserting their absence
        /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b\u202e]/,
      );
      // Shown as escapes (markdown escapes the backslash and brackets once more).
      expect(text, format).toMatch(/\\{1,2}x1b\\?\[2J/);
      expect(text, format).toMatch(/U\\?\+202E/);
    }
  });

  it("HTML: one self-contained file, findings before the ledger, markup shown as text", () => {
    const html = renderReport(report(), "html");
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toMatch(/\b(src|href)\s*=/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    const order = [
      "<h2>Summary</h2>",
      "<h2>Findings</h2>",
      "<h2>Timeline</h2>",
      "<h2>Ledger</h2>",
    ].map((h) => html.indexOf(h));
    expect(order.every((at, i) => at > 0 && (i === 0 || at > (order[i - 1] ?? 0)))).toBe(true);
    expect(html).toContain(
      "a credential was approved in the cluster without the review this repository records",
    );
  });

  it("markdown: rendered as GitHub does, a CSR's strings make no link, mention, tag or extra cell", () => {
    const md = renderReport(report(), "markdown");
    const html = renderGfm(md);
    expect(tagsOf(html)).not.toContain("a");
    expect(tagsOf(html)).not.toContain("script");
    const outside = textOutsideCode(html);
    expect(outside).not.toContain("@security");
    expect(outside).not.toContain("https://evil.example");
    // The ledger table keeps its columns: a CSR's "|" cannot add a cell.
    const ledger = html.slice(html.indexOf("<h2>Ledger</h2>"));
    const headerCells = (ledger.match(/<th>/g) ?? []).length;
    const firstRow = /<tr>\s*<td>[\s\S]*?<\/tr>/.exec(ledger)?.[0] ?? "";
    expect((firstRow.match(/<td>/g) ?? []).length).toBe(headerCells);
    expect(renderedText(firstRow)).toContain("worker-1");
  });

  it("CSV: quoted as RFC 4180 says, formulas defused", () => {
    expect(csvCell('a "quoted", value')).toBe('"a ""quoted"", value"');
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("-1+1")).toBe("'-1+1");
    expect(csvCell(12)).toBe("12");
    const csv = renderReport(report(), "csv");
    const [header, first] = csv.split("\r\n");
    expect(header?.split(",")[0]).toBe("id");
    expect(first).toContain("prod-eu/worker-1_5b0c1d2e");
  });

  it("JSON is exact data: the strings as they are", () => {
    const parsed = JSON.parse(renderReport(report(), "json")) as AuditReport;
    expect(parsed.ledger[0]?.requester).toBe(HOSTILE);
  });
});
