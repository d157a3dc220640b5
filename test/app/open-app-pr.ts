/**
 * Opens a PR exactly as the controller does (docs/audit-repo.md): a branch from main, one app
 * commit adding the record rendered by record.ts, the PR, and the app's check run whose
 * external_id names the record blob. No test-runner imports: the benchmark uses it too.
 */
import type { V1CertificateSigningRequest } from "@kubernetes/client-node";
import { renderExternalId } from "../../src/core/approval/index.ts";
import { decodeCsrObject } from "../../src/core/csr/decode.ts";
import { DEFAULT_POLICY, evaluate } from "../../src/core/policy/index.ts";
import { recordPath, singleBranch, type CsrKey } from "../../src/core/record/layout.ts";
import { buildRecord, renderRecord } from "../../src/core/record/record.ts";
import type { GitHubApi } from "../../src/github/github-api.ts";
import { CLUSTER, OWNER, R } from "./app-seed.ts";

export interface OpenedPr {
  readonly number: number;
  readonly key: CsrKey;
  readonly path: string;
  readonly branch: string;
  readonly blobSha: string;
  readonly headSha: string;
  readonly checkRunId: number;
}

export async function openAppPr(
  api: GitHubApi,
  csr: V1CertificateSigningRequest,
): Promise<OpenedPr> {
  const decoded = decodeCsrObject(csr);
  const object = decoded.ok ? decoded.csr.object : undefined;
  if (object === undefined) throw new Error("the CSR does not decode");
  const key = { cluster: CLUSTER, name: object.name, uid: object.uid };
  const branch = singleBranch(key);
  const path = recordPath(key);
  if (!branch.ok || !path.ok) throw new Error("bad key");
  const base = await api.rest.git.getRef({ ...R, ref: "heads/main" });
  const built = buildRecord({
    cluster: CLUSTER,
    recordedAt: new Date(),
    decoded,
    specRequest: csr.spec.request,
    verdict: evaluate(DEFAULT_POLICY, decoded),
    policy: {
      source: "builtin",
      blobSha: null,
      configBlobSha: null,
      baseCommit: base.data.object.sha,
    },
    supersedes: [],
  });
  if (!built.ok) throw new Error(built.message);
  await api.rest.git.createRef({
    ...R,
    ref: `refs/heads/${branch.value}`,
    sha: base.data.object.sha,
  });
  const put = await api.rest.repos.createOrUpdateFileContents({
    ...R,
    path: path.value,
    branch: branch.value,
    message: `csr-gitops: record ${CLUSTER}/${key.name}`,
    content: Buffer.from(renderRecord(built.record)).toString("base64"),
  });
  const blobSha = put.data.content?.sha ?? "";
  const headSha = put.data.commit.sha ?? "";
  const pr = await api.rest.pulls.create({
    ...R,
    head: `${OWNER}:${branch.value}`,
    base: "main",
    title: `Approve CSR ${key.name}`,
  });
  const run = await api.rest.checks.create({
    ...R,
    name: "csr-gitops",
    head_sha: headSha,
    status: "in_progress",
    external_id: renderExternalId({
      records: [{ path: path.value, blobSha }],
      tampered: false,
    }),
    output: { title: "0 of 2 code owner approvals", summary: "waiting for reviews" },
  });
  return {
    number: pr.data.number,
    key,
    path: path.value,
    branch: branch.value,
    blobSha,
    headSha,
    checkRunId: run.data.id,
  };
}
