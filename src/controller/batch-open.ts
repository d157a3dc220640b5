/**
 * Opens the PR of one batch: every record in one commit (a tree with inline contents on the base
 * commit, then the branch at that commit), the check run naming every record blob, the PR and its
 * labels. Idempotent like the single path: the branch name derives from the uids, so a retry (or a
 * second replica) of the same batch finds the branch and continues from the records on it; "A pull
 * request already exists" is read back; labels are the last step.
 */
import { renderExternalId } from "../core/approval/external-id.ts";
import { gitBlobSha } from "../core/record/git-blob-sha.ts";
import { batchBranch, recordPath, type CsrKey } from "../core/record/layout.ts";
import { parseRecord, renderRecord, type CsrRecord } from "../core/record/record.ts";
import {
  renderBatchCheckRun,
  renderBatchPr,
  type BatchEntry,
} from "../core/record/render-batch.ts";
import { branchHead } from "../github/branches.ts";
import { readFile } from "../github/files.ts";
import { commitTree } from "../github/git-data.ts";
import type { PullSummary } from "../github/pulls.ts";
import type { AuditRepoSnapshot } from "./audit-repo-snapshot.ts";
import type { BatchCommitWrite } from "./batch-writes.ts";
import { APP_LABEL, CHECK_RUN_NAME, type ReconcileContext } from "./reconcile-csr.ts";

export interface BatchMember {
  readonly key: CsrKey;
  readonly record: CsrRecord;
}

export type BatchOpened =
  | { readonly ok: true; readonly pull: PullSummary; readonly branch: string }
  | { readonly ok: false; readonly reason: "tampered-branch" | "layout" };

function entriesOf(members: readonly BatchMember[], baseCommit: string): BatchEntry[] | undefined {
  const out: BatchEntry[] = [];
  for (const m of members) {
    const path = recordPath(m.key);
    if (!path.ok) return undefined;
    out.push({
      path: path.value,
      record: { ...m.record, policy: { ...m.record.policy, baseCommit } },
    });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The records the app wrote on an existing batch branch; undefined if any is not the app's. */
async function entriesOnBranch(
  ctx: ReconcileContext,
  ref: string,
  keys: readonly CsrKey[],
): Promise<{ entries: BatchEntry[]; blobs: Map<string, string> } | undefined> {
  const entries: BatchEntry[] = [];
  const blobs = new Map<string, string>();
  for (const key of keys) {
    const path = recordPath(key);
    if (!path.ok) return undefined;
    const file = await readFile(ctx.gh, ctx.repo, path.value, ref);
    if (file === undefined) return undefined;
    const parsed = parseRecord(file.text, path.value);
    if (!parsed.ok || parsed.record.csr.uid !== key.uid || parsed.record.cluster !== key.cluster)
      return undefined;
    entries.push({ path: path.value, record: parsed.record });
    blobs.set(path.value, file.sha);
  }
  return { entries, blobs };
}

/** The batch's check run, unless one is on the commit already. */
export async function ensureBatchCheckRun(
  ctx: ReconcileContext,
  entries: readonly BatchEntry[],
  blobs: ReadonlyMap<string, string>,
  headSha: string,
  knownAbsent: boolean,
): Promise<void> {
  const text = renderBatchCheckRun(entries, 0);
  await ctx.writes.ensureCheckRun(
    {
      name: CHECK_RUN_NAME,
      headSha,
      externalId: renderExternalId({
        records: entries.map((e) => ({ path: e.path, blobSha: blobs.get(e.path) ?? "" })),
        tampered: false,
      }),
      status: "in_progress",
      title: text.title,
      summary: text.summary,
    },
    knownAbsent,
  );
}

/** Tree and commit of the fresh records, then the branch; or the records an earlier attempt left. */
async function commitRecords(
  ctx: ReconcileContext,
  commit: BatchCommitWrite,
  snapshot: AuditRepoSnapshot,
  branch: string,
  fresh: readonly BatchEntry[],
): Promise<
  | { entries: readonly BatchEntry[]; blobs: Map<string, string>; headSha: string; made: boolean }
  | undefined
> {
  const files = fresh.map((e) => ({ path: e.path, text: renderRecord(e.record) }));
  const uids = fresh.map((e) => e.record.csr.uid);
  const headSha = await commit({
    baseCommit: snapshot.baseCommit,
    baseTree: await commitTree(ctx.gh, ctx.repo, snapshot.baseCommit),
    files,
    message: `csr-gitops: record ${String(fresh.length)} CSRs of ${fresh[0]?.record.cluster ?? ""}\n\nOne batch, verdict allow: ${uids.join(", ")}.`,
  });
  if ((await ctx.writes.createBranch(branch, headSha)) === "created") {
    const blobs = new Map(files.map((f) => [f.path, gitBlobSha(f.text)]));
    return { entries: fresh, blobs, headSha, made: true };
  }
  // An earlier attempt or another replica made this batch: continue from its records.
  const head = await branchHead(ctx.gh, ctx.repo, branch);
  const keys = fresh.map((e) => ({
    cluster: e.record.cluster,
    name: e.record.csr.name,
    uid: e.record.csr.uid,
  }));
  const on = await entriesOnBranch(ctx, head, keys);
  return on === undefined ? undefined : { ...on, headSha: head, made: false };
}

export async function openBatch(
  ctx: ReconcileContext,
  commit: BatchCommitWrite,
  snapshot: AuditRepoSnapshot,
  members: readonly BatchMember[],
): Promise<BatchOpened> {
  const branchResult = batchBranch(members.map((m) => m.key));
  const fresh = entriesOf(members, snapshot.baseCommit);
  if (!branchResult.ok || fresh === undefined) return { ok: false, reason: "layout" };
  const branch = branchResult.value;
  const existing = await ctx.pulls.find(branch);
  if (existing !== undefined)
    return completeBatch(
      ctx,
      existing,
      members.map((m) => m.key),
    );

  const committed = await commitRecords(ctx, commit, snapshot, branch, fresh);
  if (committed === undefined) return { ok: false, reason: "tampered-branch" };
  const { entries, blobs, headSha } = committed;
  await ensureBatchCheckRun(ctx, entries, blobs, headSha, committed.made);
  const rendered = renderBatchPr(entries);
  const created = await ctx.writes.createPull({
    branch,
    base: snapshot.baseBranch,
    title: rendered.title,
    body: rendered.body,
  });
  const pull = created.kind === "created" ? created.pull : await ctx.pulls.fresh(branch);
  if (pull === undefined) throw new Error(`GitHub says a PR exists for ${branch} but lists none`);
  if (created.kind === "created") {
    const cluster = members[0]?.key.cluster ?? "";
    ctx.events.count("pull_request_opened", { cluster });
    ctx.events.log("info", "opened a batch pull request for pending CSRs", {
      cluster,
      pull: pull.number,
      size: members.length,
      uids: members.map((m) => m.key.uid),
    });
  }
  ctx.pulls.remember(pull);
  await ctx.writes.addLabels(pull.number, rendered.labels);
  const labelled = { ...pull, labels: [...pull.labels, ...rendered.labels] };
  ctx.pulls.remember(labelled);
  return { ok: true, pull: labelled, branch };
}

/**
 * Finishes a batch PR whose labels are missing (opening was interrupted after the PR): the check
 * run if missing, then the labels, from the records on its branch.
 */
export async function completeBatch(
  ctx: ReconcileContext,
  pull: PullSummary,
  keys: readonly CsrKey[],
): Promise<BatchOpened> {
  if (pull.labels.includes(APP_LABEL)) return { ok: true, pull, branch: pull.headRef };
  const on = await entriesOnBranch(ctx, pull.headSha, keys);
  if (on === undefined) return { ok: false, reason: "tampered-branch" };
  await ensureBatchCheckRun(ctx, on.entries, on.blobs, pull.headSha, false);
  const labels = renderBatchPr(on.entries).labels;
  await ctx.writes.addLabels(pull.number, labels);
  const done = { ...pull, labels: [...pull.labels, ...labels] };
  ctx.pulls.remember(done);
  return { ok: true, pull: done, branch: pull.headRef };
}
