import { describe, expect, it } from "vitest";
import { kubeClients } from "../support/kube-clients.ts";
import { apiRefusal } from "./api-status.ts";
import { approve, kubeletServingRequest, uniqueName } from "./csr-requests.ts";
import { until } from "./until.ts";

describe("approving a CSR that was deleted and re-created under the same name", () => {
  it("fails with 409 when built from the old object, and the new CSR stays pending", async () => {
    const admin = kubeClients("admin").certificates;
    const node = kubeClients("node").certificates;
    const app = kubeClients("app").certificates;
    const name = uniqueName("recreated");

    await node.createCertificateSigningRequest({ body: kubeletServingRequest(name).body });
    const old = await app.readCertificateSigningRequest({ name });

    await admin.deleteCertificateSigningRequest({ name });
    await until("the old CSR to be gone", async () => {
      const list = await admin.listCertificateSigningRequest({
        fieldSelector: `metadata.name=${name}`,
      });
      return list.items.length === 0;
    });
    const recreated = await node.createCertificateSigningRequest({
      body: kubeletServingRequest(name).body,
    });
    expect(recreated.metadata?.uid).not.toBe(old.metadata?.uid);

    const refusal = await apiRefusal(() =>
      app.replaceCertificateSigningRequestApproval({ name, body: approve(old) }),
    );

    expect(refusal.code).toBe(409);
    expect(refusal.reason).toBe("Conflict");
    const current = await app.readCertificateSigningRequest({ name });
    expect(current.metadata?.uid).toBe(recreated.metadata?.uid);
    expect(current.status?.conditions ?? []).toEqual([]);
    expect(current.status?.certificate).toBeUndefined();
  });
});
