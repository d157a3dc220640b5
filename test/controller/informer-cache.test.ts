/**
 * What the controller's informer cache holds, on the real apiserver: every CSR of a list read in
 * pages, none with managedFields, and reconcile still opens a PR from that cache.
 */
import { describe, expect, it } from "vitest";
import { kubeClients } from "../support/kube-clients.ts";
import { uniqueName } from "../kube/csr-requests.ts";
import { completePull, reviewer } from "./assertions.ts";
import { CLUSTER, ensureWorker1, harness, servingCsr } from "./harness.ts";

describe("the controller's CSR cache", () => {
  it("holds every CSR of a list longer than one page, without managedFields, and serves reconcile", async () => {
    await ensureWorker1();
    const h = await harness();
    const node = kubeClients("node").certificates;
    const before: string[] = [];
    for (let i = 0; i < 4; i++) {
      const created = await node.createCertificateSigningRequest({
        body: servingCsr(h.run, uniqueName("paged")),
      });
      before.push(created.metadata?.uid ?? "");
      // The apiserver itself keeps managedFields: only the cache drops them.
      expect(created.metadata?.managedFields?.length).toBeGreaterThan(0);
    }
    // Pages of 3: the 4 CSRs take two pages of the list.
    const controller = h.controller({ listPageSize: 3 });
    await controller.start();
    const listed = controller.cachedCsrs().get(CLUSTER) ?? [];
    expect(listed.map((c) => c.metadata?.uid).sort()).toEqual([...before].sort());

    const after = await node.createCertificateSigningRequest({
      body: servingCsr(h.run, uniqueName("watched")),
    });
    const uid = after.metadata?.uid ?? "";
    // Five PRs on a shared, loaded machine: a generous hang guard, not a speed assertion.
    const pull = await completePull(reviewer(h.sim), uid, 100_000);
    expect(pull.title).toContain(after.metadata?.name ?? "?");
    await controller.idle();

    const cached = controller.cachedCsrs().get(CLUSTER) ?? [];
    expect(cached.map((c) => c.metadata?.uid).sort()).toEqual([...before, uid].sort());
    for (const csr of cached) {
      expect(csr.metadata?.managedFields).toBeUndefined();
      // What reconcile and the pending gauges read is all there.
      expect(csr.spec.request).not.toBe("");
      expect(csr.spec.signerName).toBe("kubernetes.io/kubelet-serving");
      expect(csr.metadata?.creationTimestamp).toBeDefined();
    }
  });
});
