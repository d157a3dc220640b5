import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { kubeClients, kubeServerCaPem } from "../support/kube-clients.ts";
import { approve, kubeletServingRequest, uniqueName } from "./csr-requests.ts";
import { until } from "./until.ts";

describe("a kubelet-serving CSR approved by csr-gitops", () => {
  it("stays pending until the app approves it, then gets a certificate from the cluster CA", async () => {
    const node = kubeClients("node").certificates;
    const app = kubeClients("app").certificates;
    const name = uniqueName("worker-1-serving");
    const { body, keyPair } = kubeletServingRequest(name);

    const created = await node.createCertificateSigningRequest({ body });
    // The apiserver records the real requester, whatever the body said.
    expect(created.spec.username).toBe("system:node:worker-1");
    expect(created.spec.groups).toContain("system:nodes");
    expect(created.status?.conditions ?? []).toEqual([]);

    const pending = await app.readCertificateSigningRequest({ name });
    expect(pending.status?.certificate).toBeUndefined();

    const approved = await app.replaceCertificateSigningRequestApproval({
      name,
      body: approve(pending),
    });
    expect(approved.status?.conditions?.map((c) => [c.type, c.status])).toEqual([
      ["Approved", "True"],
    ]);

    const issued = await until("the kubelet-serving signer to issue a certificate", async () => {
      const csr = await node.readCertificateSigningRequest({ name });
      return csr.status?.certificate;
    });
    const cert = new X509Certificate(Buffer.from(issued, "base64"));
    const ca = new X509Certificate(kubeServerCaPem());
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.publicKey.export({ type: "spki", format: "der" })).toEqual(
      keyPair.publicKey.export({ type: "spki", format: "der" }),
    );
    expect(cert.subject.split("\n").sort()).toEqual(["CN=system:node:worker-1", "O=system:nodes"]);
    expect(cert.subjectAltName?.split(", ").sort()).toEqual([
      "DNS:worker-1",
      "DNS:worker-1.cluster.example",
      "IP Address:10.0.0.11",
    ]);
  });
});
