/**
 * A merged app PR: re-verify everything now (the snapshot was read at this moment, the CSR is
 * read last), then PUT the approval with the object just read. A 409 means the CSR changed: read
 * it again and decide again from the start; a replaced CSR (other uid) is refused by the decision.
 */
import type { V1CertificateSigningRequest } from "@kubernetes/client-node";
import {
  decideApproval,
  mergedCheckRun,
  mergedMark,
  parseExternalId,
  REFUSAL_MEANINGS,
  type ApprovalDecision,
  type DecidedMark,
  type LiveCsr,
  type MergedCsrOutcome,
  type RefusalCode,
} from "../core/approval/index.ts";
import { decodeCsrObject } from "../core/csr/decode.ts";
import { decisionPath, parseAppBranch, parseCsrPath, type CsrKey } from "../core/record/layout.ts";
import { parseReceipt, type DecisionReceipt, type GitHubPerson } from "../core/record/receipt.ts";
import { findAppCheckRun } from "../github/app-check-run.ts";
import { readFileAt } from "../github/read-file-at.ts";
import { readCsr } from "../kube/read-csr.ts";
import { writeCsrDecision } from "../kube/write-csr-decision.ts";
import { readNodeFor } from "./read-node-for.ts";
import { recordCertificate, type CertificateStep } from "./record-certificate.ts";
import { recordDecision } from "./record-decision.ts";
import {
  APPROVED_REASON,
  approvedComment,
  approvedConditionMessage,
  approversInConditionMessage,
  refusedComment,
} from "./explain.ts";
import { completeCheckRun, decidedMarkOf } from "./complete-check-run.ts";
import { displayText } from "./display.ts";
import { liveOf, repoName, type PullContext } from "./pull-context.ts";

/**
 * `settled`: nothing is left to record for this PR (the decision receipt is on the default
 * branch and, after an approval, the certificate receipt too, or the CSR is gone). The catch-up
 * looks again at every PR that is not settled, whether or not GitHub shows a change.
 */
export type MergedOutcome =
  | {
      readonly kind: "approved";
      readonly written: boolean;
      readonly decision: ApprovalDecision;
      readonly settled: boolean;
    }
  | { readonly kind: "refused"; readonly decision: ApprovalDecision; readonly settled: boolean }
  | { readonly kind: "already-recorded"; readonly settled: boolean }
  | { readonly kind: "no-record"; readonly settled: true };

const CERTIFICATE_SETTLED: ReadonlySet<CertificateStep> = new Set(["recorded", "existed", "gone"]);

const MAX_ATTEMPTS = 3;

/** The CSR the PR is about: from the record when readable, else from the app's check run. */
export function csrKeyOf(
  ctx: PullContext,
): (CsrKey & { recordBlob: string; path: string }) | undefined {
  const external =
    ctx.snapshot.facts.checkRunExternalId === null
      ? undefined
      : parseExternalId(ctx.snapshot.facts.checkRunExternalId);
  const first = external?.ok === true ? external.records[0] : undefined;
  const record = ctx.snapshot.facts.record;
  if (record.ok)
    return {
      cluster: record.cluster,
      name: record.csrName,
      uid: record.csrUid,
      path: record.path,
      recordBlob:
        external?.ok === true
          ? (external.records.find((r) => r.path === record.path)?.blobSha ?? "")
          : "",
    };
  if (first !== undefined) {
    const parsed = parseCsrPath(first.path);
    if (parsed.ok) return { ...parsed.value.key, path: first.path, recordBlob: first.blobSha };
  }
  // No usable check run: name the CSR by the app branch's uid and the PR's record file, only to
  // say on the PR and in the receipt why nothing was approved (the decision refuses already).
  const branch = parseAppBranch(ctx.snapshot.facts.pull.headRef);
  if (branch?.kind !== "single") return undefined;
  for (const file of ctx.snapshot.facts.files) {
    const parsed = parseCsrPath(file.filename);
    if (parsed.ok && parsed.value.kind === "record" && parsed.value.key.uid === branch.uid)
      return { ...parsed.value.key, path: file.filename, recordBlob: "" };
  }
  return undefined;
}

/**
 * Our own Approved condition for this very merge (a retry after a crash or a lost receipt): its
 * message, which names the approvers, or undefined.
 */
function approvedByThisMerge(
  object: V1CertificateSigningRequest,
  ctx: PullContext,
): string | undefined {
  const sha = ctx.snapshot.facts.pull.mergeCommitSha ?? "";
  return (object.status?.conditions ?? []).find(
    (c) =>
      c.type === "Approved" &&
      c.reason === APPROVED_REASON &&
      (c.message ?? "").includes(`${repoName(ctx.repo)} PR #${String(ctx.number)} `) &&
      sha !== "" &&
      (c.message ?? "").includes(sha),
  )?.message;
}

/**
 * The decision this merge already got, for its receipt: the approval is in the CSR, so a review
 * dismissed after the merge (which GitHub shows as if it had been dismissed all along) must not
 * turn it into a refusal. The approvers are those the condition names when today's reading no
 * longer finds them.
 */
function alreadyApproved(
  before: ApprovalDecision,
  conditionMessage: string,
): ApprovalDecision & { approve: true } {
  if (before.approve) return before;
  const named = approversInConditionMessage(conditionMessage);
  return {
    approve: true,
    approvers: named.length > 0 ? named : before.approvers,
    required: before.required,
    ignored: before.ignored,
    changesRequestedBy: [],
    warnings: before.warnings,
    policyBlob: before.policyBlob,
  };
}

/** A refusal the app already decided for this merge, kept whatever is read now. */
function refusedAtMerge(
  now: ApprovalDecision,
  codes: readonly RefusalCode[],
): ApprovalDecision & { approve: false } {
  const refusals = codes.map((code) => ({
    code,
    message: `${REFUSAL_MEANINGS[code]} (decided at the merge)`,
  }));
  return { ...now, approve: false, refusals };
}

/** The binding refusal in the app's check run on the head, read again now (another replica). */
async function refusedMark(
  ctx: PullContext,
): Promise<(DecidedMark & { kind: "refused" }) | undefined> {
  const known = decidedMarkOf(ctx);
  if (known?.kind === "refused") return known;
  const run = await findAppCheckRun(
    ctx.api,
    ctx.repo,
    ctx.snapshot.facts.pull.headSha,
    ctx.deps.appId,
  );
  const external = parseExternalId(run?.externalId ?? "");
  return external.ok && external.decided?.kind === "refused" ? external.decided : undefined;
}

/** The object as it was before our approval, to re-derive the approvers for the receipt. */
function withoutOurApproval(object: V1CertificateSigningRequest): LiveCsr {
  const decoded = decodeCsrObject(object);
  if (!decoded.ok || decoded.csr.object === undefined) return { present: true, decoded };
  const obj = decoded.csr.object;
  const conditions = obj.conditions.filter((c) => c.reason !== APPROVED_REASON);
  return {
    present: true,
    decoded: {
      ...decoded,
      csr: { ...decoded.csr, object: { ...obj, conditions, phase: "Pending" } },
    },
  };
}

function person(u: { login: string; id: number } | null): GitHubPerson | null {
  return u === null ? null : { login: u.login, id: u.id };
}

function receiptOf(
  ctx: PullContext,
  key: CsrKey & { recordBlob: string; path: string },
  decision: ApprovalDecision,
): DecisionReceipt {
  const pull = ctx.snapshot.facts.pull;
  const record = ctx.snapshot.facts.record;
  return {
    kind: "DecisionReceipt",
    decision: decision.approve ? "approved" : "refused",
    cluster: key.cluster,
    csrName: key.name,
    csrUid: key.uid,
    requestSha256: record.ok ? record.requestSha256 : "0".repeat(64),
    record: key.path,
    recordBlob: /^[0-9a-f]{40}$/.test(key.recordBlob) ? key.recordBlob : "0".repeat(40),
    pullRequest: ctx.number,
    mergeCommit: pull.mergeCommitSha,
    mergedBy: person(pull.mergedBy),
    approvedBy: decision.approvers.map((a) => ({ login: a.login, id: a.id })),
    requiredApprovals: decision.required,
    policyBlob: decision.policyBlob ?? "builtin",
    closedBy: null,
    reason: null,
    refused: decision.approve ? [] : decision.refusals.map((r) => r.code),
    decidedAt: ctx.deps.now().toISOString(),
  };
}

async function decideAndWrite(
  ctx: PullContext,
): Promise<{ decision: ApprovalDecision; written: boolean }> {
  const facts = ctx.snapshot.facts;
  const name = facts.record.ok ? facts.record.csrName : "";
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const read =
      name === "" ? ({ present: false } as const) : await readCsr(ctx.kube.certificates, name);
    // The Node is read fresh after the CSR, every attempt: the controller's cluster-aware checks
    // run again now (the Node may be gone or have other addresses since the PR was opened).
    const live = liveOf(read);
    const node = await readNodeFor(ctx.kube.core, facts.configAtBase, live);
    const decision = decideApproval({ ...facts, live, node });
    if (!decision.approve) {
      const ours = read.present ? approvedByThisMerge(read.object, ctx) : undefined;
      if (read.present && ours !== undefined) {
        const before = decideApproval({ ...facts, live: withoutOurApproval(read.object), node });
        return { decision: alreadyApproved(before, ours), written: false };
      }
      const refused = decidedMarkOf(ctx);
      if (refused?.kind === "refused")
        return { decision: refusedAtMerge(decision, refused.codes), written: false };
      return { decision, written: false };
    }
    if (!read.present) return { decision, written: false }; // unreachable: decided csr-missing
    // Refused once, refused for good: what changed on GitHub since (a review dismissed after the
    // merge) cannot approve it. Read again just before writing, in case another replica decided.
    const refused = await refusedMark(ctx);
    if (refused !== undefined)
      return { decision: refusedAtMerge(decision, refused.codes), written: false };
    if (ctx.deps.dryRun === true) return { decision, written: false };
    const message = approvedConditionMessage(
      repoName(ctx.repo),
      ctx.number,
      facts.pull.mergeCommitSha ?? "",
      facts.pull.mergedBy,
      decision.approvers,
    );
    const result = await writeCsrDecision(
      ctx.kube.certificates,
      read.object,
      { type: "Approved", reason: APPROVED_REASON, message },
      ctx.deps.now(),
    );
    if (result.ok) return { decision, written: true };
    ctx.deps.log.warn("approval not written; re-reading and re-verifying", {
      pr: ctx.number,
      kind: result.kind,
      attempt,
    });
  }
  throw new Error(`the CSR kept changing during ${String(MAX_ATTEMPTS)} attempts; retry later`);
}

/** The CSR a merged PR names, with its record's path and blob. */
export type MergedKey = CsrKey & { recordBlob: string; path: string };

export interface MergedDecision {
  readonly kind: "decided";
  readonly decision: ApprovalDecision;
  readonly written: boolean;
}

export type AlreadyRecorded = Extract<MergedOutcome, { kind: "already-recorded" }> & {
  /** The decision receipt on the default branch (undefined when it does not parse). */
  readonly receipt: DecisionReceipt | undefined;
};

function isRefusalCode(code: string): code is RefusalCode {
  return Object.hasOwn(REFUSAL_MEANINGS, code);
}

/** What the check run says about one CSR of a merged PR; undefined when nothing can be said. */
export function csrOutcomeOf(
  key: MergedKey,
  decided: MergedDecision | AlreadyRecorded,
  pullRequest: number,
): MergedCsrOutcome | undefined {
  const csr = `${key.cluster}/${key.name}`;
  if (decided.kind === "decided") {
    const d = decided.decision;
    const approvers = d.approvers.map((a) => a.login);
    return d.approve
      ? { kind: "approved", csr, approvers, required: d.required }
      : {
          kind: "refused",
          csr,
          codes: d.refusals.map((r) => r.code),
          approvers,
          required: d.required,
        };
  }
  const r = decided.receipt;
  if (r === undefined) return undefined;
  const approvers = r.approvedBy.map((p) => p.login);
  const ours = r.pullRequest === pullRequest;
  if (ours && r.decision === "approved")
    return { kind: "approved", csr, approvers, required: r.requiredApprovals };
  // A receipt that is not this merge's approval: a refusal, or a CSR decided by another PR.
  const codes = ours && r.decision === "refused" ? r.refused.filter(isRefusalCode) : [];
  return {
    kind: "refused",
    csr,
    codes: codes.length > 0 ? codes : ["csr-already-decided"],
    approvers,
    required: r.requiredApprovals,
  };
}

/** Completes the check run of a merged PR with what was decided for its CSR(s). */
export async function completeMerged(
  ctx: PullContext,
  outcomes: readonly (MergedCsrOutcome | undefined)[],
): Promise<void> {
  const known = outcomes.flatMap((o) => (o === undefined ? [] : [o]));
  if (known.length === 0) return;
  const mergedBy = ctx.snapshot.facts.pull.mergedBy?.login ?? null;
  await completeCheckRun(ctx, mergedCheckRun(known, mergedBy), mergedMark(known));
}

export async function reconcileMerged(
  ctx: PullContext,
  key: MergedKey | undefined = csrKeyOf(ctx),
): Promise<MergedOutcome> {
  if (key === undefined) return { kind: "no-record", settled: true };
  const decided = await decideMerged(ctx, key);
  // The check run says the decision before the receipt is written: it keeps a refusal binding
  // even when the default branch refuses the receipt.
  await completeMerged(ctx, [csrOutcomeOf(key, decided, ctx.number)]);
  if (decided.kind === "already-recorded") return { kind: decided.kind, settled: decided.settled };
  return recordMerged(ctx, key, decided);
}

/**
 * The first half of a merge: unless a decision receipt exists already, decide and write the
 * approval in Kubernetes. A batch decides every CSR before it writes any receipt.
 */
export async function decideMerged(
  ctx: PullContext,
  key: MergedKey,
): Promise<MergedDecision | AlreadyRecorded> {
  const path = decisionPath(key);
  const defaultBranch = ctx.snapshot.facts.defaultBranch;
  const recorded = path.ok
    ? await readFileAt(ctx.api, ctx.repo, path.value, defaultBranch)
    : undefined;
  if (recorded !== undefined) {
    const step = await recordCertificate(ctx, key);
    // A refused decision waits for no certificate.
    const parsed = parseReceipt(recorded.text);
    const approved =
      parsed.ok &&
      parsed.receipt.kind === "DecisionReceipt" &&
      parsed.receipt.decision === "approved";
    return {
      kind: "already-recorded",
      settled: !approved || CERTIFICATE_SETTLED.has(step),
      receipt: parsed.ok && parsed.receipt.kind === "DecisionReceipt" ? parsed.receipt : undefined,
    };
  }
  return { kind: "decided", ...(await decideAndWrite(ctx)) };
}

/** The second half: the decision receipt, comment, label and Event, then the certificate. */
export async function recordMerged(
  ctx: PullContext,
  key: MergedKey,
  { decision, written }: MergedDecision,
): Promise<MergedOutcome> {
  const pull = ctx.snapshot.facts.pull;
  const receipt = receiptOf(ctx, key, decision);
  if (decision.approve) {
    const status = await recordDecision(ctx, {
      key,
      receipt,
      comment: approvedComment(decision, key, pull.mergedBy, pull.headSha),
      label: "approved",
      event: {
        type: "Normal",
        reason: "Approved",
        message: `Approved: ${repoName(ctx.repo)} PR #${String(ctx.number)} merged by ${displayText(pull.mergedBy?.login ?? "unknown")}; approvals: ${decision.approvers.map((a) => displayText(a.login)).join(", ")}`,
      },
    });
    const step = await recordCertificate(ctx, key);
    return {
      kind: "approved",
      written,
      decision,
      settled: status !== "refused" && CERTIFICATE_SETTLED.has(step),
    };
  }
  const status = await recordDecision(ctx, {
    key,
    receipt,
    comment: refusedComment(decision, key),
    label: "refused",
    event: {
      type: "Warning",
      reason: "ApprovalRefused",
      message: `Not approved: ${repoName(ctx.repo)} PR #${String(ctx.number)} was merged but ${decision.refusals.map((r) => r.code).join(", ")}`,
    },
  });
  return { kind: "refused", decision, settled: status !== "refused" };
}
