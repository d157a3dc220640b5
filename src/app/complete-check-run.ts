/**
 * Completes the app's check run on a merged or closed PR with what the app decided, and keeps the
 * decision in its external_id (`!decided=...`, written only by the app). Idempotent: a check run
 * already completed with the same decision is left as it is, so a review or dismissal arriving
 * after the merge never rewrites it.
 */
import {
  parseExternalId,
  renderExternalId,
  type CheckRunText,
  type DecidedMark,
} from "../core/approval/index.ts";
import { updateCheckRun } from "../github/pull-feedback.ts";
import type { PullContext } from "./pull-context.ts";

function sameMark(a: DecidedMark | undefined, b: DecidedMark): boolean {
  if (a?.kind !== b.kind) return false;
  if (a.kind !== "refused" || b.kind !== "refused") return true;
  return [...a.codes].sort().join("+") === [...b.codes].sort().join("+");
}

export type CompleteStatus = "completed" | "unchanged" | "no-check-run" | "dry-run";

export async function completeCheckRun(
  ctx: PullContext,
  text: CheckRunText,
  mark: DecidedMark,
): Promise<CompleteStatus> {
  const run = ctx.snapshot.checkRun;
  if (run === undefined) return "no-check-run";
  const external = parseExternalId(run.externalId ?? "");
  const conclusion = text.conclusion ?? "neutral";
  if (
    run.status === "completed" &&
    run.conclusion === conclusion &&
    run.title === text.title &&
    external.ok &&
    sameMark(external.decided, mark)
  )
    return "unchanged";
  if (ctx.deps.dryRun === true) return "dry-run";
  await updateCheckRun(ctx.api, ctx.repo, run.id, {
    title: text.title,
    summary: text.summary,
    conclusion,
    // A check run that names no record keeps its external_id: the decision refused it already.
    ...(external.ok ? { externalId: renderExternalId({ ...external, decided: mark }) } : {}),
  });
  return "completed";
}

/** The decision the app's check run already holds for this PR, if any. */
export function decidedMarkOf(ctx: PullContext): DecidedMark | undefined {
  const external = parseExternalId(ctx.snapshot.facts.checkRunExternalId ?? "");
  return external.ok ? external.decided : undefined;
}
