/**
 * The audit of a repository produced by the real flow: the app (src/app, under Probot) reconciles
 * the PR that the controller's way of writing records opened (test/app/harness.ts), on the real
 * apiserver and the GitHub simulator with its web-flow signing key. Then someone approves another
 * CSR directly in the apiserver. The audit must find that one, and nothing about the app's.
 */
import { KubeConfig } from "@kubernetes/client-node";
import { describe, expect, inject, it } from "vitest";
import { R, CLUSTER, startHarness } from "../../app/harness.ts";
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

describe("audit of the real flow", () => {
  it("counts the app's decision and certificate receipts and finds the approval made in the apiserver", async () => {
    const h = await startHarness();
    // worker-1's serving CSR for its own name and address: what the default policy allows.
    const name = uniqueName("audit-flow");
    const csr = await kubeClients("node").certificates.createCertificateSigningRequest({
      body: csrObject({
        name,
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
    // Nothing about the app's own decision, nor about the history (the shared apiserver holds
    // other tests' CSRs, so only this test's subjects are judged).
    expect(report.findings.filter((f) => f.subject === mine || f.commit !== undefined)).toEqual([]);
    expect(
      report.findings
        .filter((f) => f.subject === `${CLUSTER}/${otherName}_${other.metadata?.uid ?? ""}`)
        .map((f) => [f.code, f.severity]),
    ).toEqual([["approved-out-of-band", "alarm"]]);
    expect(run.status).toBe(1);
  }, 180_000);
});
