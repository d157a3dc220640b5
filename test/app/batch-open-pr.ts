/**
 * Opens a batch PR exactly as the controller does (docs/audit-repo.md, docs/controller.md
 * "Batches"): one app commit made through the git data API (a tree with every record inline),
 * the batch branch at that commit, the PR, and the app's check run whose external_id names every
 * record blob. No test-runner imports: the benchmark uses it too.
 */
import type { V1CertificateSigningRequest } from "@kubernetes/client-node";
import { renderExternalId } from "../../src/core/approval/index.ts";
import { decodeCsrObject } from "../../src/core/csr/decode.ts";
import { DEFAULT_POLICY, evaluate } from "../../src/core/policy/index.ts";
import { gitBlobSha } from "../../src/core/record/git-blob-sha.ts";
import { batchBranch, recordPath, type CsrKey } from "../../src/core/record/layout.ts";
import { buildRecord, renderRecord } from "../../src/core/record/record.ts";
import { renderBatchPr, type BatchEntry } from "../../src/core/record/render-batch.ts";
import type { GitHubApi } from "../../src/github/github-api.ts";
import { CLUSTER, OWNER, R } from "./app-seed.ts";

export interface OpenedBatch {
  readonly number: number;
  readonly keys: readonly CsrKey[];
  readonly branch: string;
  readonly headSha: string;
}

export async function openBatchPr(
  api: GitHubApi,
  csrs: readonly V1CertificateSigningRequest[],
): Promise<OpenedBatch> {
  const base = await api.rest.git.getRef({ ...R, ref: "heads/main" });
  const baseCommit = base.data.object.sha;
  const entries: BatchEntry[] = [];
  const keys: CsrKey[] = [];
  for (const csr of csrs) {
    const decoded = decodeCsrObject(csr);
    const object = decoded.ok ? decoded.csr.object : undefined;
    if (object === undefined) throw new Error("the CSR does not decode");
    const key = { cluster: CLUSTER, name: object.name, uid: object.uid };
    const path = recordPath(key);
    if (!path.ok) throw new Error(path.message);
    const built = buildRecord({
      cluster: CLUSTER,
      recordedAt: new Date(),
      decoded,
      specRequest: csr.spec.request,
      verdict: evaluate(DEFAULT_POLICY, decoded),
      policy: { source: "builtin", blobSha: null, configBlobSha: null, baseCommit },
      supersedes: [],
    });
    if (!built.ok) throw new Error(built.message);
    keys.push(key);
    entries.push({ path: path.value, record: built.record });
  }
  const branch = batchBranch(keys);
  if (!branch.ok) throw new Error(branch.message);
  const files = entries.map((e) => ({ path: e.path, text: renderRecord(e.record) }));
  const baseTree = await api.rest.git.getCommit({ ...R, commit_sha: baseCommit });
  const tree = await api.rest.git.createTree({
    ...R,
    base_tree: baseTree.data.tree.sha,
    tree: files.map((f) => ({ path: f.path, mode: "100644", type: "blob", content: f.text })),
  });
  const commit = await api.rest.git.createCommit({
    ...R,
    message: `csr-gitops: record ${String(files.length)} CSRs of ${CLUSTER}`,
    tree: tree.data.sha,
    parents: [baseCommit],
  });
  await api.rest.git.createRef({ ...R, ref: `refs/heads/${branch.value}`, sha: commit.data.sha });
  const rendered = renderBatchPr(entries);
  const pr = await api.rest.pulls.create({
    ...R,
    head: `${OWNER}:${branch.value}`,
    base: "main",
    title: rendered.title,
    body: rendered.body,
  });
  await api.rest.checks.create({
    ...R,
    name: "csr-gitops",
    head_sha: commit.data.sha,
    status: "in_progress",
    external_id: renderExternalId({
      records: files.map((f) => ({ path: f.path, blobSha: gitBlobSha(f.text) })),
      tampered: false,
    }),
    output: { title: "0 of 2 code owner approvals", summary: "waiting for reviews" },
  });
  return { number: pr.data.number, keys, branch: branch.value, headSha: commit.data.sha };
}
