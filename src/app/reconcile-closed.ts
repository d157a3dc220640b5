/**
 * An app PR closed without merging: deny its CSR (unless the config says `onClose: ignore`, or
 * the app closed the PR itself), recording who closed it and their last comment. The CSR to deny
 * is named by the app's own check run, and only the very object read (uid precondition) is denied.
 */
import type { V1CertificateSigningRequest } from "@kubernetes/client-node";
import {
  closeCsrDecision,
  closedCheckRun,
  closeTargets,
  type GitHubUser,
} from "../core/approval/index.ts";
import { decisionPath, recordPath, type CsrKey } from "../core/record/layout.ts";
import { parseReceipt, type DecisionReceipt } from "../core/record/receipt.ts";
import { parseExternalId } from "../core/approval/index.ts";
import { lastCommentBy } from "../github/pull-feedback.ts";
import { readFileAt } from "../github/read-file-at.ts";
import { readCsr } from "../kube/read-csr.ts";
import { writeCsrDecision } from "../kube/write-csr-decision.ts";
import { DENIED_REASON, deniedComment, deniedConditionMessage } from "./explain.ts";
import { displayText } from "./display.ts";
import { recordDecision } from "./record-decision.ts";
import { completeCheckRun } from "./complete-check-run.ts";
import { liveOf, repoName, type PullContext } from "./pull-context.ts";

export type ClosedOutcome =
  | { readonly kind: "skipped"; readonly reason: string }
  | {
      readonly kind: "denied";
      readonly keys: readonly CsrKey[];
      readonly written: number;
      /** Every receipt is recorded (false: the default branch refused one; retried later). */
      readonly settled: boolean;
    };

const MAX_ATTEMPTS = 3;

/** The CSR carries the Denied condition this app writes when this very PR is closed. */
function deniedByThisPull(ctx: PullContext, csr: V1CertificateSigningRequest): boolean {
  const prefix = `Denied by csr-gitops: ${repoName(ctx.repo)} PR #${String(ctx.number)} closed`;
  return (csr.status?.conditions ?? []).some(
    (c) =>
      c.type === "Denied" && c.reason === DENIED_REASON && (c.message ?? "").startsWith(prefix),
  );
}

async function denyOne(
  ctx: PullContext,
  key: CsrKey,
  closedBy: GitHubUser | null,
  reason: string | null,
): Promise<string | undefined> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const read = await readCsr(ctx.kube.certificates, key.name);
    const live = liveOf(read);
    // The receipt records the digest of the very request denied.
    const digest =
      live.present && live.decoded.ok ? live.decoded.csr.request.requestSha256 : "0".repeat(64);
    // This PR's own earlier denial whose receipt was refused or lost: the receipt is still owed.
    if (read.present && read.object.metadata?.uid === key.uid && deniedByThisPull(ctx, read.object))
      return digest;
    const decision = closeCsrDecision(key, live);
    if (!decision.deny || !read.present) return undefined;
    if (ctx.deps.dryRun === true) return digest;
    const result = await writeCsrDecision(
      ctx.kube.certificates,
      read.object,
      {
        type: "Denied",
        reason: DENIED_REASON,
        message: deniedConditionMessage(repoName(ctx.repo), ctx.number, closedBy, reason),
      },
      ctx.deps.now(),
    );
    if (result.ok) return digest;
  }
  throw new Error(`the CSR kept changing during ${String(MAX_ATTEMPTS)} attempts; retry later`);
}

export async function reconcileClosed(ctx: PullContext): Promise<ClosedOutcome> {
  const { snapshot, deps } = ctx;
  if (snapshot.config === undefined)
    return { kind: "skipped", reason: "the repository config is invalid: nothing runs on a guess" };
  const targets = closeTargets({
    app: deps.identity,
    pull: snapshot.facts.pull,
    labels: snapshot.labels,
    checkRunExternalId: snapshot.facts.checkRunExternalId,
    onClose: snapshot.config.onClose,
  });
  if (!targets.deny) {
    await completeCheckRun(ctx, closedCheckRun([], targets.message), { kind: "closed" });
    return { kind: "skipped", reason: targets.skip };
  }
  const external = parseExternalId(snapshot.facts.checkRunExternalId ?? "");
  const closedBy = targets.closedBy;
  const raw =
    closedBy === null ? null : await lastCommentBy(ctx.api, ctx.repo, ctx.number, closedBy.id);
  const reason = raw === null ? null : displayText(raw, 300);
  const denied: CsrKey[] = [];
  /** Every CSR this PR's close denied, now or before (for the check run). */
  const deniedNames: string[] = [];
  let written = 0;
  let settled = true;
  for (const key of targets.keys) {
    const path = decisionPath(key);
    if (!path.ok) continue;
    const existing = await readFileAt(ctx.api, ctx.repo, path.value, snapshot.facts.defaultBranch);
    if (existing !== undefined) {
      const parsed = parseReceipt(existing.text);
      if (
        parsed.ok &&
        parsed.receipt.kind === "DecisionReceipt" &&
        parsed.receipt.decision === "denied" &&
        parsed.receipt.pullRequest === ctx.number
      )
        deniedNames.push(`${key.cluster}/${key.name}`);
      continue;
    }
    const digest = await denyOne(ctx, key, closedBy, reason);
    if (digest === undefined) continue;
    written++;
    denied.push(key);
    deniedNames.push(`${key.cluster}/${key.name}`);
    const record = recordPath(key);
    const blob = external.ok
      ? external.records.find((r) => record.ok && r.path === record.value)
      : undefined;
    const receipt: DecisionReceipt = {
      kind: "DecisionReceipt",
      decision: "denied",
      cluster: key.cluster,
      csrName: key.name,
      csrUid: key.uid,
      requestSha256: digest,
      record: record.ok ? record.value : "",
      recordBlob: blob?.blobSha ?? "0".repeat(40),
      pullRequest: ctx.number,
      mergeCommit: null,
      mergedBy: null,
      approvedBy: [],
      requiredApprovals: 2,
      policyBlob: snapshot.facts.policyAtBase.ok
        ? (snapshot.facts.policyAtBase.blobSha ?? "builtin")
        : "builtin",
      closedBy: closedBy === null ? null : { login: closedBy.login, id: closedBy.id },
      reason,
      refused: [],
      decidedAt: deps.now().toISOString(),
    };
    const status = await recordDecision(ctx, {
      key,
      receipt,
      comment: deniedComment(key, closedBy, reason),
      label: "denied",
      event: {
        type: "Normal",
        reason: "Denied",
        message: deniedConditionMessage(repoName(ctx.repo), ctx.number, closedBy, reason),
      },
    });
    if (status === "refused") settled = false;
  }
  await completeCheckRun(
    ctx,
    closedCheckRun(deniedNames, "no CSR of this PR was pending any more"),
    deniedNames.length > 0 ? { kind: "denied" } : { kind: "closed" },
  );
  return { kind: "denied", keys: denied, written, settled };
}
