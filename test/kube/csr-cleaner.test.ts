import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubeClientsFor } from "../support/kube-clients.ts";
import { apiRefusal } from "./api-status.ts";
import { kubeletServingRequest, uniqueName } from "./csr-requests.ts";
import { startDedicatedServer, type DedicatedServer } from "./dedicated-server.ts";
import { until } from "./until.ts";

// Upstream deletes pending CSRs after 24 h; this server's cleaner does it after 3 s.
let server: DedicatedServer;
beforeAll(async () => {
  server = await startDedicatedServer({
    cleaner: { pendingExpiration: "3s", interval: "1s" },
  });
}, 180_000);
afterAll(async () => {
  await server.stop();
}, 60_000);

describe("the CSR cleaner", () => {
  it("deletes a CSR left pending past the pending expiration", async () => {
    const node = kubeClientsFor(server.state, "node").certificates;
    const name = uniqueName("forgotten");
    const created = await node.createCertificateSigningRequest({
      body: kubeletServingRequest(name).body,
    });
    expect(created.metadata?.name).toBe(name);

    const gone = await until("the cleaner to delete the pending CSR", async () => {
      const list = await node.listCertificateSigningRequest({
        fieldSelector: `metadata.name=${name}`,
      });
      return list.items.length === 0;
    });
    expect(gone).toBe(true);
    const refusal = await apiRefusal(() => node.readCertificateSigningRequest({ name }));
    expect(refusal.code).toBe(404);
  });
});
