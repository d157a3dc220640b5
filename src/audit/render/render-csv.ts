/**
 * CSV (RFC 4180): one row per CSR of the ledger, with the codes of its findings. Findings about
 * no single CSR get a row of their own (only `id` and `findings`). Cells that a spreadsheet would
 * run as a formula (starting with = + - @ or a tab) are prefixed with an apostrophe. People open
 * CSV in terminals and spreadsheets, so text goes through the display function as in the other
 * human formats; JSON is the exact-data format.
 */
import type { AuditReport, LedgerRow } from "../report.ts";
import { inertText } from "./inert.ts";

const COLUMNS: readonly (keyof LedgerRow)[] = [
  "id",
  "cluster",
  "name",
  "uid",
  "signer",
  "requester",
  "subject",
  "subjectAltNames",
  "verdict",
  "reasons",
  "requiredApprovals",
  "decision",
  "decisionCounts",
  "approvers",
  "mergedBy",
  "closedBy",
  "pullRequest",
  "recordedAt",
  "mergedAt",
  "decidedAt",
  "certificateSerial",
  "certificateNotAfter",
  "clusterPhase",
  "recordCommit",
  "decisionCommit",
  "findings",
  "notes",
];

export function csvCell(value: unknown): string {
  let text =
    typeof value === "string"
      ? inertText(value)
      : typeof value === "number" || typeof value === "boolean"
        ? String(value)
        : "";
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function renderCsv(report: AuditReport): string {
  const lines = [COLUMNS.join(",")];
  for (const row of report.ledger) lines.push(COLUMNS.map((c) => csvCell(row[c])).join(","));
  const ids = new Set(report.ledger.map((r) => r.id));
  const loose = new Map<string, Set<string>>();
  for (const f of report.findings) {
    if (ids.has(f.subject)) continue;
    const codes = loose.get(f.subject) ?? new Set<string>();
    codes.add(f.code);
    loose.set(f.subject, codes);
  }
  for (const [subject, codes] of loose)
    lines.push(
      COLUMNS.map((c) =>
        c === "id" ? csvCell(subject) : c === "findings" ? csvCell([...codes].join(", ")) : "",
      ).join(","),
    );
  return `${lines.join("\r\n")}\r\n`;
}
