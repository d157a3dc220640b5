/**
 * One line of the preflight checklist, and how the list prints and decides the exit status.
 * A warning is printed but does not fail preflight (docs/preflight.md says why).
 */
import { displayText } from "../core/display/index.ts";

export type CheckStatus = "pass" | "fail" | "warn";

export interface CheckResult {
  /** "kubernetes test", "github", ...: the group the line prints under. */
  readonly section: string;
  readonly name: string;
  readonly status: CheckStatus;
  /** What was found, one line. */
  readonly detail?: string;
  /** For a failure or warning: what to change, one line. */
  readonly fix?: string;
}

const MARK: Readonly<Record<CheckStatus, string>> = { pass: "✓", fail: "✗", warn: "!" };

/** Text shown to a person: strips control characters and keeps it on one line. */
function oneLine(text: string): string {
  return displayText(text.replace(/\s+/g, " ").trim());
}

export function renderChecklist(results: readonly CheckResult[]): string {
  const out: string[] = [];
  let section: string | undefined;
  for (const r of results) {
    if (r.section !== section) {
      section = r.section;
      out.push(`${out.length === 0 ? "" : "\n"}${oneLine(section)}`);
    }
    const detail = r.detail === undefined ? "" : `: ${oneLine(r.detail)}`;
    out.push(`  ${MARK[r.status]} ${oneLine(r.name)}${detail}`);
    if (r.status !== "pass" && r.fix !== undefined) out.push(`      fix: ${oneLine(r.fix)}`);
  }
  const failed = results.filter((r) => r.status === "fail").length;
  const warned = results.filter((r) => r.status === "warn").length;
  out.push(
    "",
    `${String(results.length)} checks: ${String(failed)} failed, ${String(warned)} warnings.`,
    "",
  );
  return out.join("\n");
}

/** 0 when nothing failed (warnings included), 1 otherwise. */
export function exitStatus(results: readonly CheckResult[]): 0 | 1 {
  return results.some((r) => r.status === "fail") ? 1 : 0;
}
