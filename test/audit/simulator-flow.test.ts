/**
 * The audit of a repository made through the GitHub simulator the way the product makes it: the
 * app opens a one-file PR with the record (rendered by src/core/record), code owners approve, a
 * person merges, the app commits the receipt on the default branch through the contents API.
 * Audited through the GitHub API (the simulator over HTTP) and from the simulator's bare repository.
 */
import { randomUUID } from "node:crypto";
import type { Octokit } from "@octokit/rest";
import { describe, expect, it } from "vitest";
import { decodeCsrObject } from "../../src/core/csr/decode.ts";
import { DEFAULT_POLICY, evaluate } from "../../src/core/policy/index.ts";
import { decisionPath, recordPath } from "../../src/core/record/layout.ts";
import { buildRecord, renderRecord } from "../../src/core/record/record.ts";
import {
  renderReceiptMessage,
  renderReceiptYaml,
  type DecisionReceipt,
} from "../../src/core/record/receipt.ts";
import { startServer } from "../github-sim/server.ts";
import type { GitHubSimulator } from "../github-sim/simulator.ts";
import {
  appOctokit,
  newSim,
  openRecordPr,
  OWNER,
  REPO,
  TOKENS,
  userOctokit,
} from "../github-sim/tests/sim-fixture.ts";
import { kubeletServing, makeCsrObject } from "../support/make-csr.ts";
import { runCli } from "../support/run-cli.ts";

const CLUSTER = "prod-eu";

async function userId(sim: GitHubSimulator, login: string): Promise<{ login: string; id: number }> {
  const user = await userOctokit(sim, TOKENS.alice).rest.users.getByUsername({ username: login });
  return { login, id: user.data.id };
}

/** One CSR through the flow; returns the receipt commit. */
async function flow(
  sim: GitHubSimulator,
  app: Octokit,
  node: string,
  receiptBy: Octokit = app,
): Promise<{ receipt: string; merge: string; uid: string }> {
  const uid = randomUUID();
  const object = makeCsrObject({
    ...kubeletServing(node),
    name: `${node}-serving`,
    uid,
    creationTimestamp: "2026-11-29T16:19:58Z",
  });
  const decoded = decodeCsrObject(object);
  const base = await app.rest.git.getRef({ owner: OWNER, repo: REPO, ref: "heads/main" });
  const built = buildRecord({
    cluster: CLUSTER,
    recordedAt: new Date(),
    decoded,
    specRequest: (object.spec as { request: string }).request,
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
  const key = { cluster: CLUSTER, name: `${node}-serving`, uid };
  const path = recordPath(key);
  const receiptPath = decisionPath(key);
  if (!path.ok || !receiptPath.ok) throw new Error("layout");
  const number = await openRecordPr(
    app,
    `csr-gitops/${CLUSTER}/${uid}`,
    path.value,
    renderRecord(built.record),
  );
  const r = { owner: OWNER, repo: REPO };
  await sim.actions.review(r, number, "alice", "APPROVE");
  await sim.actions.review(r, number, "bob", "APPROVE");
  const merge = await sim.actions.merge(r, number, "carol");
  const file = await app.rest.repos.getContent({ ...r, path: path.value, ref: "main" });
  const recordBlob = (file.data as { sha: string }).sha;
  const receipt: DecisionReceipt = {
    kind: "DecisionReceipt",
    decision: "approved",
    cluster: CLUSTER,
    csrName: key.name,
    csrUid: uid,
    requestSha256: built.record.request.sha256,
    record: path.value,
    recordBlob,
    pullRequest: number,
    mergeCommit: merge,
    mergedBy: await userId(sim, "carol"),
    approvedBy: [await userId(sim, "alice"), await userId(sim, "bob")],
    requiredApprovals: 2,
    policyBlob: "builtin",
    closedBy: null,
    reason: null,
    refused: [],
    decidedAt: new Date().toISOString(),
  };
  const written = await receiptBy.rest.repos.createOrUpdateFileContents({
    ...r,
    path: receiptPath.value,
    message: renderReceiptMessage(receipt),
    content: Buffer.from(renderReceiptYaml(receipt)).toString("base64"),
  });
  return { receipt: written.data.commit.sha ?? "", merge, uid };
}

interface Report {
  findings: { code: string; commit?: string; subject: string }[];
  ledger: { id: string; decision: string; decisionCounts: boolean; notes: string }[];
}

describe("audit of a repository made through the GitHub simulator", () => {
  it("through the GitHub API: clean for the app's receipts, an alarm for a receipt a person wrote by hand", async () => {
    const sim = await newSim();
    const app = appOctokit(sim);
    const good = await flow(sim, app, "worker-1");
    const server = await startServer(sim, { port: 0 });
    try {
      const args = [
        "audit",
        "--repo",
        `https://github.com/${OWNER}/${REPO}`,
        "--github-api-url",
        server.url,
        "--output",
        "json",
        // The merges happened seconds ago: no grace for a missing receipt.
        "--receipt-grace",
        "0",
      ];
      const env = { GITHUB_TOKEN: TOKENS.alice };
      const clean = await runCli(args, "", env);
      expect(clean.stderr).toBe("");
      const report = JSON.parse(clean.stdout) as Report;
      expect(report.findings).toEqual([]);
      expect(clean.status).toBe(0);
      expect(report.ledger.map((e) => [e.id, e.decision, e.decisionCounts])).toEqual([
        [`${CLUSTER}/worker-1-serving_${good.uid}`, "approved", true],
      ]);
      // CODEOWNERS names a team: git history cannot show membership, so the ledger says so.
      expect(report.ledger[0]?.notes).toContain("counted as a member of @acme/csr-approvers");

      // carol (write access) commits a receipt with hand-written trailers.
      const forged = await flow(sim, app, "worker-2", userOctokit(sim, TOKENS.carol));
      const after = await runCli(args, "", env);
      const found = (JSON.parse(after.stdout) as Report).findings.map((f) => [f.code, f.commit]);
      expect(found).toContainEqual(["receipt-not-app", forged.receipt]);
      expect(found).toContainEqual(["record-merged-without-receipt", forged.merge]);
      expect(after.status).toBe(1);
    } finally {
      await server.close();
    }
  });

  it("from the simulator's repository: the same ledger, clean with the web-flow key, unchecked without it", async () => {
    const sim = await newSim();
    const app = appOctokit(sim);
    const { receipt, uid } = await flow(sim, app, "worker-3");
    const repoPath = sim.repoPath(OWNER, REPO);
    const keyFile = sim.webFlowKey().allowedSignersPath;
    const run = await runCli([
      "audit",
      "--repo",
      repoPath,
      "--signing-key",
      keyFile,
      "--output",
      "json",
    ]);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.ledger.map((e) => [e.id, e.decision, e.decisionCounts])).toEqual([
      [`${CLUSTER}/worker-3-serving_${uid}`, "approved", true],
    ]);
    expect(report.findings).toEqual([]);
    expect(run.status).toBe(0);

    // Without the key nothing can tell the app's receipt from a forgery: a warning, exit 1.
    const unchecked = await runCli(["audit", "--repo", repoPath, "--output", "json"]);
    expect(
      (JSON.parse(unchecked.stdout) as Report).findings.map((f) => [f.code, f.commit]),
    ).toEqual([["receipt-signature-unchecked", receipt]]);
    expect(unchecked.status).toBe(1);
  });
});
