/**
 * The audit of a repository produced by the real flow: the app (src/app, under Probot) reconciles
 * the PR that the controller's way of writing records opened (test/app/harness.ts), on the real
 * apiserver and the GitHub simulator with its web-flow signing key. Then what the audit exists to
 * find: a CSR approved directly in the apiserver, a record rewritten on the default branch, a
 * receipt a person wrote by hand (through the contents API, so GitHub signs it), and a merged PR
 * the app never wrote a receipt for. The audit must find each, and nothing about the app's own.
 */
import { KubeConfig } from "@kubernetes/client-node";
import type { V1CertificateSigningRequest } from "@kubernetes/client-node";
import { describe, expect, inject, it } from "vitest";
import {
  renderReceiptMessage,
  renderReceiptYaml,
  type DecisionReceipt,
} from "../../../src/core/record/receipt.ts";
import { decisionPath } from "../../../src/core/record/layout.ts";
import { ALICE_TOKEN, R, CLUSTER, startHarness, type Harness } from "../../app/harness.ts";
import { userOctokit } from "../../github-sim/tests/sim-fixture.ts";
import { approve, csrObject, newKeyPair, uniqueName } from "../../kube/csr-requests.ts";
import { until } from "../../kube/until.ts";
import { kubeClients } from "../../support/kube-clients.ts";
import { runCli } from "../../support/run-cli.ts";

interface Report {
  findings: { code: string; severity: string; subject: string; commit?: string }[];
  ledger: {
    id: string;
    decision: string;
    decisionCounts: boolean;
    clusterPhase: string;
    certificateSerial: string;
    approvers: string;
  }[];
}

/** A kubelet-serving CSR of worker-1 for its own name and address: what the default policy allows. */
async function servingCsr(prefix: string): Promise<V1CertificateSigningRequest> {
  return kubeClients("node").certificates.createCertificateSigningRequest({
    body: csrObject({
      name: uniqueName(prefix),
      signerName: "kubernetes.io/kubelet-serving",
      usages: ["digital signature", "server auth"],
      csr: {
        key: "p256",
        keyPair: newKeyPair(),
        subject: { CN: "system:node:worker-1", O: ["system:nodes"] },
        dns: ["worker-1"],
        ips: ["10.0.0.11"],
      },
    }),
  });
}

/** A PR opened by the app's way, approved by two code owners and merged; no webhook delivered. */
async function mergedWithoutTheApp(
  h: Harness,
  prefix: string,
): Promise<{ pr: Awaited<ReturnType<Harness["openPr"]>>; merge: string; id: string }> {
  const csr = await servingCsr(prefix);
  const pr = await h.openPr(csr);
  await h.approve(pr.number, "alice", "bob");
  const merge = await h.sim.actions.merge(R, pr.number, "carol");
  return { pr, merge, id: `${CLUSTER}/${csr.metadata?.name ?? ""}_${pr.key.uid}` };
}

describe("audit of the real flow", () => {
  it("counts the app's receipts and finds an out-of-band approval, a rewritten record, a forged receipt and a missing one", async () => {
    const h = await startHarness();
    const csr = await servingCsr("audit-flow");
    const name = csr.metadata?.name ?? "";
    const pr = await h.openPr(csr);
    await h.approve(pr.number, "alice", "bob");
    await h.sim.actions.merge(R, pr.number, "carol");
    await h.deliver();
    await until("the signer to issue", async () => (await h.csr(name))?.status?.certificate);
    await h.resync();

    const other = await h.createCsr("audit-oob");
    const otherName = other.metadata?.name ?? "";
    await kubeClients("admin").certificates.replaceCertificateSigningRequestApproval({
      name: otherName,
      body: approve(other),
    });

    // After the app's last look at the repository (no more deliveries nor resyncs from here on):
    // a merged PR whose receipt never came,
    const missing = await mergedWithoutTheApp(h, "audit-missing");
    // a merged PR whose receipt a person wrote by hand, with the app's trailers,
    const forgedFor = await mergedWithoutTheApp(h, "audit-forged");
    const people = await Promise.all(
      ["alice", "bob", "carol"].map(async (login) => {
        const user = await h.api.rest.users.getByUsername({ username: login });
        return { login, id: user.data.id };
      }),
    );
    const recordText = (await h.fileOnMain(forgedFor.pr.path)) ?? "";
    const receipt: DecisionReceipt = {
      kind: "DecisionReceipt",
      decision: "approved",
      cluster: CLUSTER,
      csrName: forgedFor.pr.key.name,
      csrUid: forgedFor.pr.key.uid,
      requestSha256: /sha256: ([0-9a-f]{64})/.exec(recordText)?.[1] ?? "",
      record: forgedFor.pr.path,
      recordBlob: forgedFor.pr.blobSha,
      pullRequest: forgedFor.pr.number,
      mergeCommit: forgedFor.merge,
      mergedBy: people[2] ?? null,
      approvedBy: people.slice(0, 2),
      requiredApprovals: 2,
      policyBlob: "builtin",
      closedBy: null,
      reason: null,
      refused: [],
      decidedAt: new Date().toISOString(),
    };
    const receiptPath = decisionPath(forgedFor.pr.key);
    if (!receiptPath.ok) throw new Error(receiptPath.message);
    const forged = await userOctokit(h.sim, ALICE_TOKEN).rest.repos.createOrUpdateFileContents({
      ...R,
      path: receiptPath.value,
      message: renderReceiptMessage(receipt),
      content: Buffer.from(renderReceiptYaml(receipt)).toString("base64"),
    });
    // and the app's approved record rewritten on the default branch.
    const original = (await h.fileOnMain(pr.path)) ?? "";
    const rewritten = original.replace("value: 10.0.0.11", "value: 10.0.0.99");
    expect(rewritten).not.toBe(original);
    const rewrite = await h.sim.actions.push(
      R,
      "main",
      "alice",
      { [pr.path]: rewritten },
      "Correct the record",
    );

    const kubeconfig = inject("kubeServer").kubeconfigs.app;
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    const run = await runCli([
      "audit",
      "--repo",
      h.sim.repoPath(R.owner, R.repo),
      "--signing-key",
      h.sim.webFlowKey().allowedSignersPath,
      "--cluster",
      CLUSTER,
      "--context",
      kc.getCurrentContext(),
      "--kubeconfig",
      kubeconfig,
      "--output",
      "json",
      "--receipt-grace",
      "0",
    ]);
    expect(run.stderr).toBe("");
    const report = JSON.parse(run.stdout) as Report;
    const mine = `${CLUSTER}/${name}_${pr.key.uid}`;
    const entry = report.ledger.find((e) => e.id === mine);
    expect(entry).toMatchObject({
      decision: "approved",
      decisionCounts: true,
      clusterPhase: "issued",
    });
    expect(entry?.approvers).toMatch(/^alice \(id \d+\), bob \(id \d+\)$/);
    expect(entry?.certificateSerial).toMatch(/^[0-9a-f]+$/);
    // Nothing about the app's own decision but the rewrite (the shared apiserver holds other
    // tests' CSRs, so only this test's subjects are judged).
    const about = (id: string): string[][] =>
      report.findings.filter((f) => f.subject === id).map((f) => [f.code, f.commit ?? ""]);
    expect(about(mine)).toEqual([["record-rewritten", rewrite]]);
    expect(
      report.findings
        .filter((f) => f.subject === `${CLUSTER}/${otherName}_${other.metadata?.uid ?? ""}`)
        .map((f) => [f.code, f.severity]),
    ).toEqual([["approved-out-of-band", "alarm"]]);
    expect(about(missing.id)).toEqual([["record-merged-without-receipt", missing.merge]]);
    expect(about(forgedFor.id).sort()).toEqual(
      [
        ["receipt-not-app", forged.data.commit.sha ?? ""],
        ["record-merged-without-receipt", forgedFor.merge],
      ].sort(),
    );
    expect(run.status).toBe(1);
  }, 180_000);
});
