import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { kubeClients, kubeServerCaPem } from "../support/kube-clients.ts";
import { csrObject, newKeyPair, uniqueName } from "./csr-requests.ts";
import { until } from "./until.ts";

// What csr-gitops meets in a kubeadm-like cluster: kube-controller-manager approves a node's own
// client-certificate renewal before any pull request could, so "already Approved" is normal.
describe("a node's own kube-apiserver-client-kubelet CSR", () => {
  it("is approved by the controller manager and signed, without the app", async () => {
    const node = kubeClients("node").certificates;
    const name = uniqueName("worker-1-client");
    await node.createCertificateSigningRequest({
      body: csrObject({
        name,
        signerName: "kubernetes.io/kube-apiserver-client-kubelet",
        usages: ["digital signature", "client auth"],
        csr: {
          key: "p256",
          keyPair: newKeyPair(),
          subject: { CN: "system:node:worker-1", O: ["system:nodes"] },
        },
      }),
    });

    const csr = await until("the certificate of the auto-approved CSR", async () => {
      const current = await node.readCertificateSigningRequest({ name });
      return current.status?.certificate === undefined ? undefined : current;
    });
    expect(csr.status?.conditions?.map((c) => [c.type, c.reason])).toEqual([
      ["Approved", "AutoApproved"],
    ]);
    const cert = new X509Certificate(Buffer.from(csr.status?.certificate ?? "", "base64"));
    expect(cert.checkIssued(new X509Certificate(kubeServerCaPem()))).toBe(true);
  });
});
