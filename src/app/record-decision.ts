/**
 * After a decision: the receipt commit (idempotent), the PR comment (once), the label, the Event
 * (once, with the comment) and metrics. A receipt refused by branch protection is said on the PR
 * and counted; the decision is not rolled back and the next resync retries the receipt.
 */
import type { DecisionReceipt } from "../core/record/receipt.ts";
import { renderReceiptMessage, renderReceiptYaml } from "../core/record/receipt.ts";
import { decisionPath, type CsrKey } from "../core/record/layout.ts";
import { addLabels } from "../github/pull-feedback.ts";
import { commentOnce } from "./comment-once.ts";
import { writeReceipt } from "../github/write-receipt.ts";
import { emitCsrEvent, type CsrEvent } from "../kube/csr-event.ts";
import { displayText } from "./display.ts";
import { receiptRefusedComment } from "./explain.ts";
import type { PullContext } from "./pull-context.ts";

export interface DecisionReport {
  readonly key: CsrKey;
  readonly receipt: DecisionReceipt;
  readonly comment: string;
  readonly label: string;
  readonly event: CsrEvent;
}

export type ReceiptStatus = "written" | "existed" | "refused" | "dry-run";

export async function recordDecision(
  ctx: PullContext,
  report: DecisionReport,
): Promise<ReceiptStatus> {
  const { api, repo, number, deps } = ctx;
  const path = decisionPath(report.key);
  let status: ReceiptStatus = "dry-run";
  if (path.ok && deps.dryRun !== true) {
    const written = await writeReceipt(
      api,
      repo,
      ctx.snapshot.facts.defaultBranch,
      path.value,
      renderReceiptYaml(report.receipt),
      renderReceiptMessage(report.receipt),
    );
    if (written.ok) status = written.created ? "written" : "existed";
    else {
      status = "refused";
      deps.metrics.receiptRefused("decision");
      deps.log.warn("receipt refused by the default branch", {
        pr: number,
        status: written.status,
      });
      await commentOnce(
        api,
        repo,
        number,
        `receipt-refused:${report.key.uid}`,
        receiptRefusedComment(written.status, written.message),
        deps.identity.botId,
      );
    }
  }
  const posted = await commentOnce(
    api,
    repo,
    number,
    `decision:${report.key.uid}`,
    report.comment,
    deps.identity.botId,
  );
  await addLabels(api, repo, number, [report.label]);
  if (posted) {
    // Logged once per decision (with the comment that says it on the PR); values are fields,
    // JSON-encoded by the logger, never part of the message.
    const r = report.receipt;
    const requested = ctx.snapshot.requested?.uid === r.csrUid ? ctx.snapshot.requested : undefined;
    deps.log.info("decision", {
      cluster: r.cluster,
      csr: r.csrName,
      uid: r.csrUid,
      requester: requested === undefined ? null : displayText(requested.requester),
      signer: requested === undefined ? null : displayText(requested.signer),
      pr: r.pullRequest,
      decision: r.decision,
      reasons: r.decision === "refused" ? r.refused : r.reason === null ? [] : [r.reason],
      approvedBy: r.approvedBy.map((p) => p.login),
      mergedBy: r.mergedBy?.login ?? null,
      closedBy: r.closedBy?.login ?? null,
      receipt: status,
    });
    deps.metrics.decision(report.receipt.decision, report.receipt.refused, requested);
    await emitCsrEvent(ctx.kube.core, report.key, report.event, deps.now());
  }
  return status;
}
