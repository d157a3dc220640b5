/**
 * The words of the app's check run once a PR is decided (merged: approved or refused per CSR;
 * closed: denied or not), and for an open batch PR (where the batch stands as a whole). Pure: the
 * app writes what this returns, with the decision mark for the external_id. Person- and
 * CSR-derived strings are shown inert (src/core/display).
 */
import { displayMarkdown } from "../display/index.ts";
import type { DecidedMark } from "./external-id.ts";
import type { Finding } from "./finding.ts";
import { REFUSAL_MEANINGS, type RefusalCode } from "./reason-codes.ts";
import type { Progress } from "./decide.ts";
import { progressText } from "./decide.ts";

export interface CheckRunText {
  readonly title: string;
  readonly summary: string;
  /** undefined: the check is still in progress. */
  readonly conclusion?: "success" | "failure" | "neutral";
}

/** One CSR of a merged PR, as the app decided it. */
export type MergedCsrOutcome =
  | {
      readonly kind: "approved";
      readonly csr: string;
      readonly approvers: readonly string[];
      readonly required: number;
    }
  | {
      readonly kind: "refused";
      readonly csr: string;
      readonly codes: readonly RefusalCode[];
      readonly approvers: readonly string[];
      readonly required: number;
    };

export const DECIDED_AT_MERGE =
  "Decided at the merge: reviews submitted, edited or dismissed after it change nothing.";

function md(value: string): string {
  return displayMarkdown(value, { maxLength: 200 });
}

function people(logins: readonly string[]): string {
  return logins.length === 0 ? "none" : logins.map(md).join(", ");
}

function outcomeLine(o: MergedCsrOutcome): string {
  const count = `${progressText(o.approvers.length, o.required)} (${people(o.approvers)})`;
  if (o.kind === "approved") return `- ✅ CSR ${md(o.csr)}: approved; ${count}.`;
  const why = o.codes.map((c) => `**${c}** (${REFUSAL_MEANINGS[c]})`).join("; ");
  return `- ⛔ CSR ${md(o.csr)}: not approved: ${why} ${count}.`;
}

/** The check run of a merged PR, one line per CSR; an empty list is read as nothing approved. */
export function mergedCheckRun(
  outcomes: readonly MergedCsrOutcome[],
  mergedBy: string | null,
): CheckRunText {
  const approved = outcomes.filter((o) => o.kind === "approved").length;
  const lines = [
    `Merged by ${mergedBy === null ? "unknown" : md(mergedBy)}.`,
    "",
    ...outcomes.map(outcomeLine),
    "",
    DECIDED_AT_MERGE,
  ];
  const summary = lines.join("\n");
  const only = outcomes.length === 1 ? outcomes[0] : undefined;
  if (only !== undefined)
    return only.kind === "approved"
      ? {
          title: `Approved: ${progressText(only.approvers.length, only.required)}`,
          summary,
          conclusion: "success",
        }
      : { title: `Not approved: ${only.codes.join(", ")}`, summary, conclusion: "failure" };
  if (outcomes.length > 0 && approved === outcomes.length)
    return {
      title: `Approved: all ${String(approved)} CSRs of the batch`,
      summary,
      conclusion: "success",
    };
  return {
    title: `Not approved: ${String(outcomes.length - approved)} of ${String(outcomes.length)} CSRs refused`,
    summary,
    conclusion: "failure",
  };
}

/** The decision mark a merged PR's check run keeps (binding when every CSR was refused). */
export function mergedMark(outcomes: readonly MergedCsrOutcome[]): DecidedMark {
  const refused = outcomes.flatMap((o) => (o.kind === "refused" ? [o] : []));
  if (outcomes.length > 0 && refused.length === 0) return { kind: "approved" };
  if (refused.length === outcomes.length) {
    const codes = [...new Set(refused.flatMap((o) => o.codes))];
    // Nothing named the refusal (no CSR at all): still a refusal.
    return { kind: "refused", codes: codes.length > 0 ? codes : ["check-run-missing"] };
  }
  return { kind: "partial" };
}

/** The check run of a PR closed without merging. */
export function closedCheckRun(denied: readonly string[], notDenied: string | null): CheckRunText {
  if (denied.length > 0)
    return {
      title: `Closed without merging: ${denied.length === 1 ? "CSR" : `${String(denied.length)} CSRs`} denied`,
      summary: `${denied.map((c) => `- 🛑 CSR ${md(c)}: denied.`).join("\n")}\n\nClosing the PR without merging denied ${denied.length === 1 ? "it" : "them"}; nothing on GitHub can approve ${denied.length === 1 ? "it" : "them"} now.`,
      conclusion: "neutral",
    };
  return {
    title: "Closed without merging: nothing denied",
    summary: `The app denied nothing: ${md(notDenied ?? "no CSR of this PR was pending")}.`,
    conclusion: "neutral",
  };
}

/** One record of an open batch PR and where it stands (the decision's own progress). */
export interface BatchRecordProgress {
  readonly path: string;
  readonly progress: Progress;
}

function findingLines(findings: readonly Finding<string>[]): string[] {
  return findings.map(
    (f) => `  - **${f.code}**: ${displayMarkdown(f.message, { maxLength: 300 })}`,
  );
}

/**
 * An open batch PR's check run: it asks for the highest number of approvals any record needs,
 * counts those of the record furthest from enough (a record with enough for itself counts as
 * complete), and names each record not yet satisfied (too few approvals for it, or something that
 * rules its approval out).
 */
export function batchProgressCheckRun(records: readonly BatchRecordProgress[]): CheckRunText {
  if (records.length === 0)
    return {
      title: "No record to approve",
      summary: "The app's check run names no record.",
      conclusion: "failure",
    };
  const required = Math.max(...records.map((r) => r.progress.required));
  const enough = (p: Progress): boolean => p.approvers.length >= p.required;
  // A record with enough approvals for itself counts as complete; otherwise its own count.
  const counted = Math.min(
    ...records.map((r) => (enough(r.progress) ? required : r.progress.approvers.length)),
  );
  const waiting = records.filter((r) => !enough(r.progress) || r.progress.blockers.length > 0);
  const blocked = records.some((r) => r.progress.blockers.length > 0);
  const count = progressText(counted, required);
  const n = String(records.length);
  const title =
    waiting.length === 0
      ? `${count}; all ${n} records satisfied`
      : `${count}; ${String(waiting.length)} of ${n} records not yet satisfied${blocked ? "; blocked" : ""}`;
  const lines = [
    `This batch holds ${n} records; each is approved only with enough code-owner approvals for it (the most any record needs: ${String(required)}).`,
  ];
  if (waiting.length > 0) lines.push("", "Not yet satisfied:");
  for (const r of waiting) {
    const p = r.progress;
    lines.push(
      `- ${md(r.path)}: ${progressText(p.approvers.length, p.required)} (${people(p.approvers.map((a) => a.login))})`,
      ...findingLines(p.blockers),
    );
  }
  const warnings = [...new Set(records.flatMap((r) => r.progress.warnings.map((w) => w.message)))];
  for (const w of warnings) lines.push(`- ⚠️ ${displayMarkdown(w, { maxLength: 300 })}`);
  return {
    title,
    summary: lines.join("\n"),
    ...(blocked
      ? { conclusion: "failure" as const }
      : waiting.length === 0
        ? { conclusion: "success" as const }
        : {}),
  };
}
