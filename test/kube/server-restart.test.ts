/**
 * A test server started with keepState comes back from a restart as the same cluster, at the same
 * address: the objects (same uid and resourceVersion, status kept), the CA, and the clients made
 * before the restart (their CA and client certificate are in memory) all still work.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubeClientsFor } from "../support/kube-clients.ts";
import { approve, kubeletServingRequest, uniqueName } from "./csr-requests.ts";
import { startDedicatedServer, type DedicatedServer } from "./dedicated-server.ts";
import { until } from "./until.ts";

let server: DedicatedServer;
beforeAll(async () => {
  server = await startDedicatedServer({ keepState: true });
}, 180_000);
afterAll(() => server.stop(), 60_000);

describe("restarting a test server that keeps its state", () => {
  it("serves the same CSRs, CA and address, and clients from before the restart still log in", async () => {
    const first = server.state;
    const caBefore = readFileSync(first.caFile, "utf8");
    // Clients built before the restart keep the old kubeconfig's CA and certificate in memory.
    const node = kubeClientsFor(first, "node").certificates;
    const admin = kubeClientsFor(first, "admin").certificates;
    const name = uniqueName("kept");
    const created = await node.createCertificateSigningRequest({
      body: kubeletServingRequest(name).body,
    });
    await admin.replaceCertificateSigningRequestApproval({ name, body: approve(created) });
    const issued = await until("the signer to issue the certificate", async () => {
      const csr = await admin.readCertificateSigningRequest({ name });
      return (csr.status?.certificate ?? "") === "" ? undefined : csr;
    });

    let downWhileStopped = false;
    const second = await server.restart(async () => {
      downWhileStopped = await node.listCertificateSigningRequest().then(
        () => false,
        () => true,
      );
    });

    expect(downWhileStopped).toBe(true);
    expect(second.pid).not.toBe(first.pid);
    expect(second.apiserverUrl).toBe(first.apiserverUrl);
    expect(readFileSync(second.caFile, "utf8")).toBe(caBefore);
    const kept = await node.readCertificateSigningRequest({ name });
    expect(kept.metadata?.uid).toBe(issued.metadata?.uid);
    expect(kept.metadata?.resourceVersion).toBe(issued.metadata?.resourceVersion);
    expect(kept.status?.certificate).toBe(issued.status?.certificate);
    expect((kept.status?.conditions ?? []).map((c) => c.type)).toEqual(["Approved"]);

    const after = uniqueName("after-restart");
    await node.createCertificateSigningRequest({ body: kubeletServingRequest(after).body });
    const names = (await admin.listCertificateSigningRequest()).items.map((c) => c.metadata?.name);
    expect(names).toEqual(expect.arrayContaining([name, after]));
  });
});
