/**
 * An open app PR: keep its check run current ("1 of 2 code owner approvals", with blockers and
 * warnings; for a batch, the most any record needs and which records are not yet satisfied), and
 * catch tampering: a push by anyone but the app marks the PR tampered for good
 * (`!tampered` in the external_id of the app's check runs, which only the app can write), fails
 * the check, labels and comments. A later merge is refused by the decision.
 */
import {
  approvalProgress,
  batchProgressCheckRun,
  parseExternalId,
  renderExternalId,
  type BatchRecordProgress,
  type Finding,
  type Progress,
  type RecordBlob,
  type RefusalCode,
  type WarningCode,
} from "../core/approval/index.ts";
import { parseAppBranch } from "../core/record/layout.ts";
import { findAppCheckRun, type AppCheckRun } from "../github/app-check-run.ts";
import {
  addLabels,
  createCheckRun,
  updateCheckRun,
  type CheckRunUpdate,
} from "../github/pull-feedback.ts";
import { emitCsrEvent } from "../kube/csr-event.ts";
import { commentOnce } from "./comment-once.ts";
import { readCsr } from "../kube/read-csr.ts";
import { displayMarkdown as md } from "./display.ts";
import { tamperedComment } from "./explain.ts";
import { csrKeyOf } from "./reconcile-merged.ts";
import { liveOf, type PullContext } from "./pull-context.ts";
import { readNodeFor } from "./read-node-for.ts";
import { batchProgress } from "./batch-progress.ts";

export type OpenOutcome =
  | { readonly kind: "progress"; readonly progress: Progress }
  | { readonly kind: "batch-progress"; readonly records: readonly BatchRecordProgress[] }
  | { readonly kind: "tampered" }
  | { readonly kind: "no-check-run" }
  | { readonly kind: "decided" };

const TAMPER_CODES: ReadonlySet<string> = new Set([
  "extra-commits",
  "head-not-app-commit",
  "files-not-record",
  "record-blob-mismatch",
  "tampered",
]);

function summary(p: Progress): string {
  const lines = [
    `Code-owner approvals on the head commit: ${p.approvers.map((a) => md(a.login)).join(", ") || "none yet"}.`,
  ];
  for (const i of p.ignored)
    lines.push(`- ${md(i.user.login)}: did not count (${i.codes.join(", ")})`);
  for (const b of p.blockers) lines.push(`- **${b.code}**: ${md(b.message, 300)}`);
  for (const w of p.warnings) lines.push(`- ⚠️ ${md(w.message, 300)}`);
  return lines.join("\n");
}

/** The app's original check run: on the head, or on one of the PR's commits, or on `before`. */
async function originalCheckRun(
  ctx: PullContext,
  before: string | undefined,
): Promise<AppCheckRun | undefined> {
  if (ctx.snapshot.checkRun !== undefined) return ctx.snapshot.checkRun;
  const shas = [
    ...ctx.snapshot.facts.commits.map((c) => c.sha),
    ...(before === undefined ? [] : [before]),
  ];
  for (const sha of shas) {
    const run = await findAppCheckRun(ctx.api, ctx.repo, sha, ctx.deps.appId);
    if (run?.externalId != null && parseExternalId(run.externalId).ok) return run;
  }
  return undefined;
}

async function markTampered(
  ctx: PullContext,
  original: AppCheckRun,
  pusher: string | null,
): Promise<void> {
  const { api, repo, deps, snapshot } = ctx;
  const parsed = parseExternalId(original.externalId ?? "");
  if (!parsed.ok) return;
  const externalId = renderExternalId({ records: parsed.records, tampered: true });
  const update: CheckRunUpdate = {
    title: "Tampered: someone other than the app pushed to this branch",
    summary: "The app will never approve this PR. Close it; the controller opens a fresh one.",
    conclusion: "failure",
    externalId,
  };
  if (deps.dryRun !== true) {
    await updateCheckRun(api, repo, original.id, update);
    const head = snapshot.facts.pull.headSha;
    const onHead = await findAppCheckRun(api, repo, head, deps.appId);
    if (onHead === undefined) await createCheckRun(api, repo, head, update);
    else if (onHead.id !== original.id) await updateCheckRun(api, repo, onHead.id, update);
  }
  await addLabels(api, repo, ctx.number, ["tampered"]);
  const key = csrKeyOf(ctx);
  const posted = await commentOnce(
    api,
    repo,
    ctx.number,
    `tampered:${key?.uid ?? ""}`,
    tamperedComment(snapshot.facts.pull.headSha, pusher),
    deps.identity.botId,
  );
  if (posted) {
    deps.metrics.tampered();
    deps.log.warn("an app PR was pushed to by someone else", { pr: ctx.number });
    if (key !== undefined)
      await emitCsrEvent(
        ctx.kube.core,
        key,
        {
          type: "Warning",
          reason: "PullRequestTampered",
          message: `Someone other than the app pushed to PR #${String(ctx.number)}; it will not be approved`,
        },
        deps.now(),
      );
  }
}

interface OpenView {
  readonly blockers: readonly Finding<RefusalCode>[];
  readonly warnings: readonly Finding<WarningCode>[];
  readonly update: CheckRunUpdate;
  readonly outcome: OpenOutcome;
}

/** A single-record PR: its one record's progress. */
async function singleView(ctx: PullContext): Promise<OpenView> {
  const facts = ctx.snapshot.facts;
  const name = facts.record.ok ? facts.record.csrName : "";
  const read =
    name === "" ? ({ present: false } as const) : await readCsr(ctx.kube.certificates, name);
  const live = liveOf(read);
  const node = await readNodeFor(ctx.kube.core, facts.configAtBase, live);
  const progress = approvalProgress({ ...facts, live, node });
  const enough = progress.approvers.length >= progress.required;
  const update: CheckRunUpdate = {
    title: progress.blockers.length > 0 ? `${progress.text}; blocked` : progress.text,
    summary: summary(progress),
    ...(progress.blockers.length > 0
      ? { conclusion: "failure" as const }
      : enough
        ? { conclusion: "success" as const }
        : {}),
  };
  return {
    blockers: progress.blockers,
    warnings: progress.warnings,
    update,
    outcome: { kind: "progress", progress },
  };
}

/** A batch PR: every record judged as it will be at the merge; the check run shows the batch. */
async function batchView(ctx: PullContext, records: readonly RecordBlob[]): Promise<OpenView> {
  const progress = await batchProgress(ctx, records);
  const text = batchProgressCheckRun(progress);
  const warnings = new Map(
    progress.flatMap((r) => r.progress.warnings.map((w) => [w.code + w.message, w] as const)),
  );
  return {
    blockers: progress.flatMap((r) => r.progress.blockers),
    warnings: [...warnings.values()],
    update: {
      title: text.title,
      summary: text.summary,
      ...(text.conclusion === undefined ? {} : { conclusion: text.conclusion }),
    },
    outcome: { kind: "batch-progress", records: progress },
  };
}

export async function reconcileOpen(
  ctx: PullContext,
  hints: { readonly before?: string; readonly pusher?: string | null },
): Promise<OpenOutcome> {
  const facts = ctx.snapshot.facts;
  const external = parseExternalId(facts.checkRunExternalId ?? "");
  const batch =
    parseAppBranch(facts.pull.headRef)?.kind === "batch" && external.ok
      ? external.records
      : undefined;
  const view = batch === undefined ? await singleView(ctx) : await batchView(ctx, batch);
  if (view.blockers.some((b) => TAMPER_CODES.has(b.code))) {
    const original = await originalCheckRun(ctx, hints.before);
    if (original === undefined) return { kind: "no-check-run" };
    await markTampered(ctx, original, hints.pusher ?? null);
    return { kind: "tampered" };
  }
  const run = ctx.snapshot.checkRun;
  if (run === undefined) return { kind: "no-check-run" };
  // A PR reopened after the app decided it: the completed check run keeps the decision.
  if (external.ok && external.decided !== undefined) return { kind: "decided" };
  if (ctx.deps.dryRun !== true) await updateCheckRun(ctx.api, ctx.repo, run.id, view.update);
  if (view.warnings.some((w) => w.code !== "codeowners-errors"))
    await commentOnce(
      ctx.api,
      ctx.repo,
      ctx.number,
      "warnings",
      `### ⚠️ Before you approve\n\n${view.warnings.map((w) => `- ${md(w.message, 400)}`).join("\n")}`,
      ctx.deps.identity.botId,
    );
  return view.outcome;
}
