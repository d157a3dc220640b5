/**
 * Where an open batch PR stands, record by record: each record the app's check run names is read
 * at the head and judged as if it stood alone (its own record facts, code owners and live CSR,
 * read now), exactly as the merge will decide it (src/app/reconcile-merged-batch.ts).
 */
import {
  approvalProgress,
  type BatchRecordProgress,
  type RecordBlob,
} from "../core/approval/index.ts";
import { readBatchRecords } from "../github/read-batch-records.ts";
import { readCsr } from "../kube/read-csr.ts";
import { liveOf, type PullContext } from "./pull-context.ts";
import { readNodeFor } from "./read-node-for.ts";
import { standingAlone } from "./reconcile-merged-batch.ts";

export async function batchProgress(
  ctx: PullContext,
  records: readonly RecordBlob[],
): Promise<BatchRecordProgress[]> {
  const members = await readBatchRecords(ctx.api, ctx.repo, ctx.snapshot, records);
  const out: BatchRecordProgress[] = [];
  for (const member of members) {
    const facts = standingAlone(ctx, member).snapshot.facts;
    const read = member.record.ok
      ? await readCsr(ctx.kube.certificates, member.record.csrName)
      : ({ present: false } as const);
    const live = liveOf(read);
    const node = await readNodeFor(ctx.kube.core, facts.configAtBase, live);
    out.push({ path: member.path, progress: approvalProgress({ ...facts, live, node }) });
  }
  return out;
}
