import { describe, expect, it } from "vitest";
import { kubeClients } from "../support/kube-clients.ts";
import { apiRefusal } from "./api-status.ts";
import { csrObject, uniqueName } from "./csr-requests.ts";

describe("CSRs the apiserver refuses at creation", () => {
  it("refuses O=system:masters for kube-apiserver-client (CertificateSubjectRestriction)", async () => {
    // Admission applies to everyone, cluster admins included.
    const admin = kubeClients("admin").certificates;
    const name = uniqueName("masters");
    const refusal = await apiRefusal(() =>
      admin.createCertificateSigningRequest({
        body: csrObject({
          name,
          signerName: "kubernetes.io/kube-apiserver-client",
          usages: ["digital signature", "client auth"],
          csr: { subject: { CN: "mallory", O: ["system:masters"] } },
        }),
      }),
    );

    expect(refusal.code).toBe(403);
    expect(refusal.message).toContain("system:masters");
    const list = await admin.listCertificateSigningRequest({
      fieldSelector: `metadata.name=${name}`,
    });
    expect(list.items).toEqual([]);
  });

  it("refuses expirationSeconds below 600", async () => {
    const admin = kubeClients("admin").certificates;
    const refusal = await apiRefusal(() =>
      admin.createCertificateSigningRequest({
        body: csrObject({
          name: uniqueName("short-lived"),
          signerName: "kubernetes.io/kube-apiserver-client",
          usages: ["digital signature", "client auth"],
          expirationSeconds: 599,
          csr: { subject: { CN: "dave" } },
        }),
      }),
    );

    expect(refusal.code).toBe(422);
    expect(refusal.message).toContain("spec.expirationSeconds");
    expect(refusal.message).toContain("600");
  });

  it("accepts expirationSeconds of exactly 600", async () => {
    const admin = kubeClients("admin").certificates;
    const created = await admin.createCertificateSigningRequest({
      body: csrObject({
        name: uniqueName("ten-minutes"),
        signerName: "kubernetes.io/kube-apiserver-client",
        usages: ["digital signature", "client auth"],
        expirationSeconds: 600,
        csr: { subject: { CN: "erin" } },
      }),
    });
    expect(created.spec.expirationSeconds).toBe(600);
  });
});
