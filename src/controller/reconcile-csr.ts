/**
 * reconcile(key) for one CSR: level-triggered. It reads the CSR (cache, then the apiserver when
 * the cache has no such uid) and the state of its pull request, and takes the next steps towards
 * "exactly one PR that tells the truth about the CSR". Every step is idempotent, so a crash between
 * any two steps, a duplicate event or a second replica leads to the same single PR:
 * - the branch and record path derive from the cluster and the CSR uid;
 * - "Reference already exists", an existing record file and "A pull request already exists" are
 *   read back and completed, never duplicated;
 * - labels are the last step of opening a PR, so a PR with the `csr-gitops` label is complete.
 */
import type { V1CertificateSigningRequest } from "@kubernetes/client-node";
import { clusterCheckReasons, nodeToRead } from "../core/cluster/cluster-checks.ts";
import { combineVerdict } from "../core/cluster/combine-verdict.ts";
import { decodeCsrObject } from "../core/csr/decode.ts";
import type { DecodeResult } from "../core/csr/types.ts";
import { evaluate } from "../core/policy/index.ts";
import { displayMarkdown, displayText } from "../core/record/display.ts";
import {
  decisionPath,
  parseCsrPath,
  recordPath,
  singleBranch,
  type CsrKey,
} from "../core/record/layout.ts";
import {
  renderReceiptMessage,
  renderReceiptYaml,
  type DecisionReceipt,
} from "../core/record/receipt.ts";
import { buildRecord, parseRecord, renderRecord, type CsrRecord } from "../core/record/record.ts";
import { renderCheckRun, renderPr, type Superseded } from "../core/record/render-pr.ts";
import { formatYamlError, type YamlFileError } from "../core/yaml/load-yaml.ts";
import { branchHead } from "../github/branches.ts";
import { readFile } from "../github/files.ts";
import { listCommentBodies } from "../github/issues.ts";
import type { PullSummary } from "../github/pulls.ts";
import type { GitHub, RepoRef } from "../github/repo-ref.ts";
import type { AuditRepoSnapshot, SnapshotResult } from "./audit-repo-snapshot.ts";
import type { BatchPlanner } from "./batch-planner.ts";
import type { ClusterView } from "./cluster-view.ts";
import { parseCsrKey } from "./cluster-view.ts";
import type { ControllerEvents } from "./controller-events.ts";
import type { PullIndex } from "./pull-index.ts";
import { createdMs, csrUid, identityOf, supersededBy, supersedingOf } from "./supersedes.ts";
import type { ControllerWrites } from "./writes.ts";

export const CHECK_RUN_NAME = "csr-gitops";
export const APP_LABEL = "csr-gitops";

export interface ReconcileContext {
  readonly clusters: ReadonlyMap<string, ClusterView>;
  readonly gh: GitHub;
  readonly repo: RepoRef;
  /** The audit repo's snapshot, possibly up to the staleness bound old; `fresh` reads the head now. */
  readonly snapshot: (fresh?: boolean) => Promise<SnapshotResult>;
  readonly pulls: PullIndex;
  readonly writes: ControllerWrites;
  readonly events: ControllerEvents;
  readonly now: () => number;
  /** Uids of CSRs denied at once whose decision receipt is known to be on the default branch. */
  readonly denyReceipts: Set<string>;
  /** Groups batchable CSRs into batch PRs (docs/controller.md, "Batches"). */
  readonly batches?: BatchPlanner;
}

/** What one reconcile did, for logs and tests. */
export type ReconcileOutcome =
  | "opened"
  | "batched"
  | "completed"
  | "up-to-date"
  | "closed"
  | "denied-at-once"
  | "blocked-by-config"
  | "not-ours"
  | "nothing-to-do";

type PrClose = "decided-elsewhere" | "csr-deleted" | "superseded";

export async function reconcileCsr(ctx: ReconcileContext, key: string): Promise<ReconcileOutcome> {
  const parsedKey = parseCsrKey(key);
  const cluster = parsedKey === undefined ? undefined : ctx.clusters.get(parsedKey.cluster);
  if (parsedKey === undefined || cluster === undefined) return "not-ours";
  const { uid } = parsedKey;
  const branchResult = singleBranch({ cluster: cluster.name, name: "x", uid });
  if (!branchResult.ok) {
    ctx.events.log("warn", "CSR key outside the layout's alphabet; ignored", { key });
    return "not-ours";
  }
  const branch = branchResult.value;

  let csr = cluster.cachedByUid(uid);
  if (csr === undefined) return reconcileGone(ctx, cluster, uid, branch);

  const decoded = decodeCsrObject(csr);
  const object = decoded.ok ? decoded.csr.object : decoded.object;
  if (object === undefined) {
    ctx.events.log("error", "a CSR object the decoder cannot read; no PR", {
      cluster: cluster.name,
      uid,
      error: decoded.ok ? "" : decoded.error.message,
    });
    return "nothing-to-do";
  }

  const pull = await ctx.pulls.find(branch);
  if (object.phase !== "Pending") {
    if (pull?.state === "open") {
      await closePull(ctx, cluster, branch, "decided-elsewhere", decidedText(object.phase, csr));
      return "closed";
    }
    if (pull === undefined && object.phase === "Denied") {
      return ensureDenyReceipt(ctx, cluster, csr, object.name);
    }
    return "nothing-to-do";
  }
  // Never reopen or duplicate: a closed or merged PR means people (and the app) decide.
  if (pull?.state === "closed") return "nothing-to-do";
  if (pull?.labels.includes(APP_LABEL) === true) return "up-to-date";
  if (pull === undefined && ctx.batches !== undefined) {
    const member = await ctx.batches.reconcileMember(cluster.name, uid);
    if (member !== undefined) return member;
  }

  const snap = await ctx.snapshot();
  if (!snap.ok) {
    reportBrokenConfig(ctx, snap.errors);
    return "blocked-by-config";
  }
  let snapshot = snap.snapshot;

  if (pull !== undefined) {
    // Opened but not finished (labels are the last step): finish from the record on the branch.
    const record = await recordOnBranch(ctx, branch, {
      cluster: cluster.name,
      name: object.name,
      uid,
    });
    if (record === undefined) return "nothing-to-do";
    await finishPull(ctx, snapshot, record.record, record.blobSha, pull, false);
    return "completed";
  }

  // The CSR may have changed since the cache saw it; decide on the object as it is now.
  const live = await cluster.readCsr(object.name);
  if (live === undefined || csrUid(live) !== uid) return reconcileGone(ctx, cluster, uid, branch);
  csr = live;
  const liveDecoded = decodeCsrObject(csr);
  const liveObject = liveDecoded.ok ? liveDecoded.csr.object : liveDecoded.object;
  if (liveObject?.phase !== "Pending") return "nothing-to-do";

  let { policyVerdict, verdict } = await judge(cluster, snapshot, liveDecoded);
  if (verdict.decision === "deny" && snapshot.config.policyDenied === "deny") {
    // Denying at once is final: decide on the default branch as it is now, not as cached.
    const current = await ctx.snapshot(true);
    if (!current.ok) {
      reportBrokenConfig(ctx, current.errors);
      return "blocked-by-config";
    }
    if (current.snapshot.baseCommit !== snapshot.baseCommit) {
      snapshot = current.snapshot;
      ({ policyVerdict, verdict } = await judge(cluster, snapshot, liveDecoded));
    }
  }
  if (policyVerdict.reasons.some((r) => r.code === "unknown-signer")) {
    ctx.events.log("warn", "CSR for a signer the policy has no rule for", {
      cluster: cluster.name,
      csr: liveObject.name,
      signer: displayText(liveObject.signerName),
    });
    ctx.events.count("unknown_signer", {
      cluster: cluster.name,
      signer: displayText(liveObject.signerName, { maxLength: 60 }),
    });
  }

  const identity = identityOf(liveDecoded);
  const earlier = identity === undefined ? [] : supersededBy(cluster, csr, identity);
  const built = buildRecord({
    cluster: cluster.name,
    recordedAt: new Date(ctx.now()),
    decoded: liveDecoded,
    specRequest: csr.spec.request,
    verdict,
    policy: {
      source: snapshot.policySource,
      blobSha: snapshot.policyBlobSha,
      configBlobSha: snapshot.configBlobSha,
      baseCommit: snapshot.baseCommit,
    },
    supersedes: earlier.map(csrUid),
  });
  if (!built.ok) {
    ctx.events.log("error", "cannot build the record; no PR", { uid, error: built.message });
    return "nothing-to-do";
  }
  const csrKey: CsrKey = { cluster: cluster.name, name: liveObject.name, uid };

  if (verdict.decision === "deny" && snapshot.config.policyDenied === "deny") {
    return denyAtOnce(ctx, snapshot, csr, csrKey, built.record);
  }
  if (ctx.batches?.offer(snapshot, csrKey, built.record, createdMs(csr)) === true) return "batched";
  return (await openPull(ctx, snapshot, csrKey, branch, built.record)) ? "opened" : "nothing-to-do";
}

function reportBrokenConfig(ctx: ReconcileContext, errors: readonly YamlFileError[]): void {
  for (const error of errors) {
    ctx.events.log(
      "error",
      `audit repo config is broken; no pull requests until it is fixed: ${formatYamlError(error)}`,
      { file: error.file, line: error.line, field: error.field },
    );
    ctx.events.count("config_error", { file: error.file });
  }
}

/** The policy's verdict, and with the cluster-aware checks added. */
async function judge(cluster: ClusterView, snapshot: AuditRepoSnapshot, decoded: DecodeResult) {
  const policyVerdict = evaluate(snapshot.policy, decoded);
  const nodeName = nodeToRead(decoded, snapshot.config.clusterChecks);
  const node = nodeName === undefined ? undefined : await cluster.readNode(nodeName);
  const verdict = combineVerdict(
    policyVerdict,
    clusterCheckReasons(decoded, node, snapshot.config.clusterChecks),
  );
  return { policyVerdict, verdict };
}

function decidedText(phase: string, csr: V1CertificateSigningRequest): string {
  const condition = (csr.status?.conditions ?? []).find((c) =>
    ["Approved", "Denied", "Failed"].includes(c.type),
  );
  const detail =
    condition === undefined
      ? ""
      : ` (condition ${displayMarkdown(condition.type)}, reason ${displayMarkdown(condition.reason ?? "")}, message ${displayMarkdown(condition.message ?? "", { maxLength: 300 })})`;
  return `The CSR is now **${phase}**: it was decided outside csr-gitops${detail}. This pull request can no longer approve it, so csr-gitops closes it.`;
}

async function recordOnBranch(
  ctx: ReconcileContext,
  ref: string,
  key: CsrKey,
): Promise<{ record: CsrRecord; blobSha: string } | undefined> {
  const path = recordPath(key);
  if (!path.ok) return undefined;
  const file = await readFile(ctx.gh, ctx.repo, path.value, ref);
  if (file === undefined) return undefined;
  const parsed = parseRecord(file.text, path.value);
  if (!parsed.ok || parsed.record.csr.uid !== key.uid || parsed.record.cluster !== key.cluster) {
    ctx.events.log(
      "error",
      "the record on the app's branch is not the one the app writes; leaving it for people",
      {
        branch: ref,
        path: path.value,
      },
    );
    ctx.events.count("reconcile_error", { reason: "tampered-branch" });
    return undefined;
  }
  return { record: parsed.record, blobSha: file.sha };
}

export async function openPull(
  ctx: ReconcileContext,
  snapshot: AuditRepoSnapshot,
  key: CsrKey,
  branch: string,
  fresh: CsrRecord,
): Promise<boolean> {
  const path = recordPath(key);
  if (!path.ok) throw new Error(path.message);
  let record = fresh;
  let blobSha: string;
  let headSha: string;
  let checkRunKnownAbsent = true;

  const made = await ctx.writes.createBranch(branch, snapshot.baseCommit);
  if (made === "exists") {
    // The pull index knows this process's own PRs: another replica or an earlier process may have
    // opened one on this branch, and people may have closed it. Never open a second one.
    const existing = await ctx.pulls.fresh(branch);
    if (existing?.state === "closed") return false;
  }
  const fromBranch = made === "exists" ? await recordOnBranch(ctx, branch, key) : undefined;
  if (fromBranch !== undefined) {
    // An earlier attempt committed the record: keep it (it is the one the app wrote).
    record = fromBranch.record;
    blobSha = fromBranch.blobSha;
    headSha = await branchHead(ctx.gh, ctx.repo, branch);
    checkRunKnownAbsent = false;
  } else {
    if (made === "exists") {
      // The branch exists without the record: the record must start from the branch's own base.
      const base = await branchHead(ctx.gh, ctx.repo, branch);
      record = { ...record, policy: { ...record.policy, baseCommit: base } };
    }
    const put = await ctx.writes.createFile({
      path: path.value,
      branch,
      message: `csr-gitops: record ${key.cluster}/${key.name}\n\nCSR uid ${key.uid}, verdict ${record.verdict.decision}.`,
      text: renderRecord(record),
    });
    if (put.kind === "exists") {
      // Another replica wrote it between our two calls: read back what is there.
      const again = await recordOnBranch(ctx, branch, key);
      if (again === undefined) return false;
      record = again.record;
      blobSha = again.blobSha;
      headSha = await branchHead(ctx.gh, ctx.repo, branch);
      checkRunKnownAbsent = false;
    } else {
      blobSha = put.blobSha;
      headSha = put.commitSha;
    }
  }

  await ensureCheckRun(ctx, record, path.value, blobSha, headSha, checkRunKnownAbsent);
  const rendered = renderPr(record, snapshot.templates, {
    recordPath: path.value,
    superseded: await supersededPulls(ctx, record),
  });
  const created = await ctx.writes.createPull({
    branch,
    base: snapshot.baseBranch,
    title: rendered.title,
    body: rendered.body,
  });
  let pull: PullSummary | undefined;
  if (created.kind === "created") {
    pull = created.pull;
    ctx.events.count("pull_request_opened", { cluster: key.cluster });
    ctx.events.log("info", "opened a pull request for a pending CSR", {
      cluster: key.cluster,
      csr: key.name,
      uid: key.uid,
      pull: pull.number,
      verdict: record.verdict.decision,
    });
  } else {
    pull = await ctx.pulls.fresh(branch);
    if (pull === undefined) throw new Error(`GitHub says a PR exists for ${branch} but lists none`);
  }
  ctx.pulls.remember(pull);
  await ctx.writes.addLabels(pull.number, rendered.labels);
  ctx.pulls.remember({ ...pull, labels: [...pull.labels, ...rendered.labels] });
  return true;
}

async function ensureCheckRun(
  ctx: ReconcileContext,
  record: CsrRecord,
  path: string,
  blobSha: string,
  headSha: string,
  knownAbsent: boolean,
): Promise<void> {
  const text = renderCheckRun(record, 0);
  const allow = record.verdict.decision === "allow";
  await ctx.writes.ensureCheckRun(
    {
      name: CHECK_RUN_NAME,
      headSha,
      externalId: `${path}=${blobSha}`,
      // Allowed: waiting for approvals (the app completes it). Denied: a failure merging cannot fix.
      status: allow ? "in_progress" : "completed",
      ...(allow ? {} : { conclusion: "failure" as const }),
      title: text.title,
      summary: text.summary,
    },
    knownAbsent,
  );
}

/** Finishes a PR whose labels are missing: the check run (if missing), then the labels. */
async function finishPull(
  ctx: ReconcileContext,
  snapshot: AuditRepoSnapshot,
  record: CsrRecord,
  blobSha: string,
  pull: PullSummary,
  checkRunKnownAbsent: boolean,
): Promise<void> {
  const key = { cluster: record.cluster, name: record.csr.name, uid: record.csr.uid };
  const path = recordPath(key);
  if (!path.ok) return;
  await ensureCheckRun(ctx, record, path.value, blobSha, pull.headSha, checkRunKnownAbsent);
  const labels = renderPr(record, snapshot.templates, {
    recordPath: path.value,
    superseded: [],
  }).labels;
  await ctx.writes.addLabels(pull.number, labels);
  ctx.pulls.remember({ ...pull, labels: [...pull.labels, ...labels] });
}

async function supersededPulls(ctx: ReconcileContext, record: CsrRecord): Promise<Superseded[]> {
  const out: Superseded[] = [];
  for (const uid of record.supersedes) {
    const branch = singleBranch({ cluster: record.cluster, name: "x", uid });
    const pull = branch.ok ? await ctx.pulls.find(branch.value) : undefined;
    out.push({ uid, pullRequest: pull?.number });
  }
  return out;
}

/** The CSR is not in the cache: confirm with the apiserver, then close its open PR if any. */
async function reconcileGone(
  ctx: ReconcileContext,
  cluster: ClusterView,
  uid: string,
  branch: string,
): Promise<ReconcileOutcome> {
  ctx.denyReceipts.delete(uid);
  const pull = await ctx.pulls.find(branch);
  if (pull?.state !== "open") return "nothing-to-do";
  const record = await readRecordOfPull(ctx, pull, cluster.name, uid);
  if (record !== undefined) {
    const live = await cluster.readCsr(record.csr.name);
    if (live !== undefined && csrUid(live) === uid) return "nothing-to-do"; // the cache lags
  }
  const newer = record === undefined ? [] : supersedingOf(cluster, record);
  const newerPulls: number[] = [];
  for (const csr of newer) {
    const b = singleBranch({ cluster: cluster.name, name: "x", uid: csrUid(csr) });
    const p = b.ok ? await ctx.pulls.find(b.value) : undefined;
    if (p !== undefined) newerPulls.push(p.number);
  }
  if (newer.length > 0) {
    const links = newerPulls.length > 0 ? ` by ${newerPulls.map((n) => `#${n}`).join(", ")}` : "";
    await closePull(
      ctx,
      cluster,
      branch,
      "superseded",
      `The CSR is gone from the cluster and a newer request of the same requester for the same identity supersedes it${links}. csr-gitops closes this pull request.`,
    );
  } else {
    await closePull(
      ctx,
      cluster,
      branch,
      "csr-deleted",
      "The CSR is gone from the cluster (deleted by hand, or by Kubernetes' garbage collection of pending CSRs after 24 hours). Nothing is left to approve, so csr-gitops closes this pull request.",
    );
  }
  return "closed";
}

/** The record the PR adds (its one file), read at the PR's head. */
async function readRecordOfPull(
  ctx: ReconcileContext,
  pull: PullSummary,
  cluster: string,
  uid: string,
): Promise<CsrRecord | undefined> {
  const files = await ctx.gh.rest.pulls.listFiles({
    ...ctx.repo,
    pull_number: pull.number,
    per_page: 10,
  });
  for (const file of files.data) {
    const parsed = parseCsrPath(file.filename);
    if (!parsed.ok || parsed.value.kind !== "record") continue;
    const { key } = parsed.value;
    if (key.cluster !== cluster || key.uid !== uid) continue;
    return (await recordOnBranch(ctx, pull.headSha, key))?.record;
  }
  return undefined;
}

async function closePull(
  ctx: ReconcileContext,
  cluster: ClusterView,
  branch: string,
  why: PrClose,
  text: string,
): Promise<void> {
  // The listing may be stale: act only on the PR as it is now.
  const pull = await ctx.pulls.fresh(branch);
  if (pull?.state !== "open") return;
  const marker = `<!-- csr-gitops:${why} -->`;
  await ctx.writes.addLabels(pull.number, [why]);
  const comments = await listCommentBodies(ctx.gh, ctx.repo, pull.number);
  if (!comments.some((c) => c.includes(marker))) {
    await ctx.writes.addComment(pull.number, `${marker}\n${text}`);
  }
  await ctx.writes.closePull(pull.number);
  ctx.pulls.remember({ ...pull, state: "closed" });
  ctx.events.count("pull_request_closed", { cluster: cluster.name, reason: why });
  ctx.events.log("info", "closed a pull request whose CSR went its own way", {
    cluster: cluster.name,
    pull: pull.number,
    reason: why,
  });
}

const POLICY_DENIED_REASON = "CsrGitopsPolicyDenied";

/**
 * `policyDenied: deny`: the record is committed to the default branch, the CSR is denied, and the
 * decision receipt (docs/audit-repo.md) is committed after it, so git shows the attempt and
 * `audit` a decision with its record. Each step is idempotent; a crash after the denial is
 * completed by `ensureDenyReceipt` when the Denied CSR is reconciled again.
 */
async function denyAtOnce(
  ctx: ReconcileContext,
  snapshot: AuditRepoSnapshot,
  csr: V1CertificateSigningRequest,
  key: CsrKey,
  fresh: CsrRecord,
): Promise<ReconcileOutcome> {
  const path = recordPath(key);
  if (!path.ok) throw new Error(path.message);
  // Recorded in git first, on the default branch, then denied in the cluster.
  const put = await ctx.writes.createFile({
    path: path.value,
    branch: snapshot.baseBranch,
    message: `csr-gitops: record ${key.cluster}/${key.name} (denied by policy)\n\nCSR uid ${key.uid}; policyDenied: deny, so the CSR is denied without a pull request.`,
    text: renderRecord(fresh),
  });
  let record = fresh;
  let blobSha: string;
  if (put.kind === "created") blobSha = put.blobSha;
  else {
    // An earlier attempt recorded it: deny on what that record says, and cite it.
    const existing = await recordOnBranch(ctx, snapshot.baseBranch, key);
    if (existing === undefined) return "nothing-to-do";
    if (existing.record.verdict.decision !== "deny") {
      ctx.events.log("error", "the default branch records this CSR as allowed; not denying it", {
        cluster: key.cluster,
        csr: key.name,
        path: path.value,
      });
      return "nothing-to-do";
    }
    record = existing.record;
    blobSha = existing.blobSha;
  }
  const codes = record.verdict.reasons.map((r) => r.code).join(", ");
  await ctx.writes.denyCsr({
    cluster: key.cluster,
    csr,
    reason: POLICY_DENIED_REASON,
    message: displayText(`Denied by the csr-gitops policy (${codes}); record ${path.value}`, {
      maxLength: 300,
    }),
  });
  await writeDenyReceipt(ctx, snapshot.baseBranch, key, record, blobSha, new Date(ctx.now()));
  const { signerName, requester, creationTimestamp } = record.csr;
  const unknownSigner = record.verdict.reasons.some((r) => r.code === "unknown-signer");
  ctx.events.count("csr_denied_at_once", {
    cluster: key.cluster,
    signer: unknownSigner ? "other" : signerName,
    createdAt: creationTimestamp,
  });
  // The one log line of this decision (the app logs its own decisions the same way).
  ctx.events.log("info", "decision", {
    cluster: key.cluster,
    csr: key.name,
    uid: key.uid,
    requester: displayText(requester.username),
    signer: displayText(signerName),
    pr: null,
    decision: "denied",
    reasons: record.verdict.reasons.map((r) => r.code),
    policyDenied: "deny",
  });
  return "denied-at-once";
}

/** The decision receipt of a CSR denied at once: no PR, no closer, the policy's reason codes. */
async function writeDenyReceipt(
  ctx: ReconcileContext,
  baseBranch: string,
  key: CsrKey,
  record: CsrRecord,
  recordBlob: string,
  decidedAt: Date,
): Promise<void> {
  const recordFile = recordPath(key);
  const receiptFile = decisionPath(key);
  if (!recordFile.ok || !receiptFile.ok) throw new Error("the layout refused a key it accepted");
  const receipt: DecisionReceipt = {
    kind: "DecisionReceipt",
    decision: "denied",
    cluster: key.cluster,
    csrName: key.name,
    csrUid: key.uid,
    requestSha256: record.request.sha256,
    record: recordFile.value,
    recordBlob,
    pullRequest: null,
    mergeCommit: null,
    mergedBy: null,
    approvedBy: [],
    requiredApprovals: record.verdict.requiredApprovals,
    policyBlob:
      record.policy.source === "builtin" ? "builtin" : (record.policy.blobSha ?? "builtin"),
    closedBy: null,
    reason: record.verdict.reasons.map((r) => r.code).join(", "),
    refused: [],
    decidedAt: decidedAt.toISOString(),
  };
  // Never overwritten: a receipt already there (an earlier attempt's) is the one that counts.
  await ctx.writes.createFile({
    path: receiptFile.value,
    branch: baseBranch,
    message: renderReceiptMessage(receipt),
    text: renderReceiptYaml(receipt),
  });
  ctx.denyReceipts.add(key.uid);
}

/**
 * A CSR this app denied at once (its Denied condition's reason) and that has no PR: makes sure its
 * decision receipt is on the default branch (a crash between the denial and the receipt). Checked
 * once per CSR per process.
 */
async function ensureDenyReceipt(
  ctx: ReconcileContext,
  cluster: ClusterView,
  csr: V1CertificateSigningRequest,
  name: string,
): Promise<ReconcileOutcome> {
  const uid = csrUid(csr);
  const denied = (csr.status?.conditions ?? []).find((c) => c.type === "Denied");
  if (denied?.reason !== POLICY_DENIED_REASON || ctx.denyReceipts.has(uid)) return "nothing-to-do";
  const snap = await ctx.snapshot();
  if (!snap.ok) return "nothing-to-do";
  const key: CsrKey = { cluster: cluster.name, name, uid };
  const receipt = decisionPath(key);
  if (!receipt.ok) return "nothing-to-do";
  const { baseBranch } = snap.snapshot;
  if ((await readFile(ctx.gh, ctx.repo, receipt.value, baseBranch)) !== undefined) {
    ctx.denyReceipts.add(uid);
    return "nothing-to-do";
  }
  const record = await recordOnBranch(ctx, baseBranch, key);
  // Only what this app recorded as denied gets a receipt saying so.
  if (record?.record.verdict.decision !== "deny") return "nothing-to-do";
  const at = denied.lastUpdateTime ?? denied.lastTransitionTime;
  await writeDenyReceipt(
    ctx,
    baseBranch,
    key,
    record.record,
    record.blobSha,
    at === undefined ? new Date(ctx.now()) : new Date(at),
  );
  return "completed";
}
