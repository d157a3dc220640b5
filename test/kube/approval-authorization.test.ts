import { describe, expect, it } from "vitest";
import { kubeClients } from "../support/kube-clients.ts";
import { apiRefusal } from "./api-status.ts";
import { approve, csrObject, uniqueName, withCertificate } from "./csr-requests.ts";

describe("the app's ClusterRole", () => {
  it("does not let the app approve for a signer it does not name", async () => {
    const admin = kubeClients("admin").certificates;
    const app = kubeClients("app").certificates;
    const name = uniqueName("custom-signer");
    await admin.createCertificateSigningRequest({
      body: csrObject({
        name,
        signerName: "example.com/custom",
        usages: ["digital signature", "client auth"],
        csr: { subject: { CN: "bob" } },
      }),
    });

    const csr = await app.readCertificateSigningRequest({ name });
    const refusal = await apiRefusal(() =>
      app.replaceCertificateSigningRequestApproval({ name, body: approve(csr) }),
    );

    expect(refusal.code).toBe(403);
    expect(refusal.message).toContain(
      'user not permitted to approve requests with signerName "example.com/custom"',
    );
    const after = await admin.readCertificateSigningRequest({ name });
    expect(after.status?.conditions ?? []).toEqual([]);
  });

  it("does not let the app sign or delete CSRs", async () => {
    const admin = kubeClients("admin").certificates;
    const app = kubeClients("app").certificates;
    const name = uniqueName("no-sign");
    const csr = await admin.createCertificateSigningRequest({
      body: csrObject({
        name,
        signerName: "kubernetes.io/kube-apiserver-client",
        usages: ["digital signature", "client auth"],
        csr: { subject: { CN: "carol" } },
      }),
    });

    const status = await apiRefusal(() =>
      app.replaceCertificateSigningRequestStatus({
        name,
        body: withCertificate(csr, Buffer.from("not a certificate").toString("base64")),
      }),
    );
    expect(status.code).toBe(403);
    const deletion = await apiRefusal(() => app.deleteCertificateSigningRequest({ name }));
    expect(deletion.code).toBe(403);
  });
});
