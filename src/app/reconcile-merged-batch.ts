/**
 * A merged batch PR (docs/approval.md, docs/controller.md "Batches"): every CSR of the batch is
 * decided as if it stood alone, on the PR's one snapshot with that CSR's own record facts (its
 * request digest, path and code owners) and its live object read just before deciding. The
 * approvals are written first, for every CSR that passes, then one decision receipt (one commit)
 * per CSR, approved or refused, so a slow receipt never delays another CSR's approval.
 */
import { parseExternalId } from "../core/approval/index.ts";
import { parseCsrPath } from "../core/record/layout.ts";
import { readBatchRecords, type BatchRecord } from "../github/read-batch-records.ts";
import type { PullContext } from "./pull-context.ts";
import {
  completeMerged,
  csrOutcomeOf,
  decideMerged,
  recordMerged,
  type AlreadyRecorded,
  type MergedDecision,
  type MergedKey,
  type MergedOutcome,
} from "./reconcile-merged.ts";

export interface BatchMergedOutcome {
  readonly kind: "batch";
  /** Every CSR of the batch is settled (nothing left for catch-up to record). */
  readonly settled: boolean;
  /** One outcome per record the app's check run names, in its order. */
  readonly outcomes: readonly MergedOutcome[];
}

/** The PR as it would look if this record were its only one (the rest of the snapshot is shared). */
export function standingAlone(ctx: PullContext, member: BatchRecord): PullContext {
  const facts = {
    ...ctx.snapshot.facts,
    record: member.record,
    teams: [...ctx.snapshot.facts.teams, ...member.teams],
  };
  return { ...ctx, snapshot: { ...ctx.snapshot, facts } };
}

function keyOf(member: BatchRecord): MergedKey | undefined {
  const record = member.record;
  if (record.ok)
    return {
      cluster: record.cluster,
      name: record.csrName,
      uid: record.csrUid,
      path: record.path,
      recordBlob: member.blobSha,
    };
  // An unreadable record is still named by its path: the receipt says why nothing was approved.
  const parsed = parseCsrPath(member.path);
  return parsed.ok
    ? { ...parsed.value.key, path: member.path, recordBlob: member.blobSha }
    : undefined;
}

export async function reconcileMergedBatch(ctx: PullContext): Promise<BatchMergedOutcome> {
  const external = parseExternalId(ctx.snapshot.facts.checkRunExternalId ?? "");
  // Without the app's check run nothing names the batch's records: nothing is approved.
  if (!external.ok)
    return { kind: "batch", settled: true, outcomes: [{ kind: "no-record", settled: true }] };
  const members = await readBatchRecords(ctx.api, ctx.repo, ctx.snapshot, external.records);
  const decided: {
    ctx: PullContext;
    key: MergedKey;
    decision: MergedDecision | AlreadyRecorded;
  }[] = [];
  const outcomes: MergedOutcome[] = [];
  for (const member of members) {
    const key = keyOf(member);
    if (key === undefined) continue;
    const alone = standingAlone(ctx, member);
    decided.push({ ctx: alone, key, decision: await decideMerged(alone, key) });
  }
  // The check run names every CSR's outcome before any receipt is written.
  await completeMerged(
    ctx,
    decided.map((d) => csrOutcomeOf(d.key, d.decision, ctx.number)),
  );
  for (const d of decided) {
    outcomes.push(
      d.decision.kind === "already-recorded"
        ? d.decision
        : await recordMerged(d.ctx, d.key, d.decision),
    );
  }
  return { kind: "batch", settled: outcomes.every((o) => o.settled), outcomes };
}
