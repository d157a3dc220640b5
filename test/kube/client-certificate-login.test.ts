import { AuthenticationV1Api, KubeConfig } from "@kubernetes/client-node";
import { describe, expect, inject, it } from "vitest";
import { kubeClients, kubeServerCaPem } from "../support/kube-clients.ts";
import { approve, csrObject, newKeyPair, uniqueName } from "./csr-requests.ts";
import { asSelfSubjectReview } from "./kube-object.ts";
import { until } from "./until.ts";

// The end of the story for a kube-apiserver-client CSR: the certificate the signer issues really
// logs in to the cluster as the requested user and groups.
describe("a certificate issued for kubernetes.io/kube-apiserver-client", () => {
  it("authenticates as the subject's CN and O", async () => {
    const admin = kubeClients("admin").certificates;
    const name = uniqueName("frank");
    const keyPair = newKeyPair();
    await admin.createCertificateSigningRequest({
      body: csrObject({
        name,
        signerName: "kubernetes.io/kube-apiserver-client",
        usages: ["digital signature", "client auth"],
        expirationSeconds: 3600,
        csr: { key: "p256", keyPair, subject: { CN: "frank", O: ["developers"] } },
      }),
    });
    const pending = await admin.readCertificateSigningRequest({ name });
    await admin.replaceCertificateSigningRequestApproval({ name, body: approve(pending) });
    const certificate = await until("the signer to issue the certificate", async () => {
      const csr = await admin.readCertificateSigningRequest({ name });
      return csr.status?.certificate;
    });

    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [
        {
          name: "kube-server",
          server: inject("kubeServer").apiserverUrl,
          caData: Buffer.from(kubeServerCaPem()).toString("base64"),
        },
      ],
      users: [
        {
          name: "frank",
          certData: certificate,
          keyData: Buffer.from(
            keyPair.privateKey.export({ type: "pkcs8", format: "pem" }),
          ).toString("base64"),
        },
      ],
      contexts: [{ name: "frank", cluster: "kube-server", user: "frank" }],
      currentContext: "frank",
    });
    const review = await kc.makeApiClient(AuthenticationV1Api).createSelfSubjectReview({
      body: asSelfSubjectReview({
        apiVersion: "authentication.k8s.io/v1",
        kind: "SelfSubjectReview",
      }),
    });

    expect(review.status?.userInfo?.username).toBe("frank");
    expect(review.status?.userInfo?.groups).toContain("developers");
  });
});
