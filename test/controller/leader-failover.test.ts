import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import type { CsrController } from "../../src/controller/csr-controller.ts";
import { runAsLeader } from "../../src/controller/run-as-leader.ts";
import { kubeClients } from "../support/kube-clients.ts";
import { uniqueName } from "../kube/csr-requests.ts";
import { until } from "../kube/until.ts";
import { completePull, pullsOf, reviewer } from "./assertions.ts";
import { ensureWorker1, harness, servingCsr } from "./harness.ts";

describe("leader election", () => {
  it("when the leader dies, the standby takes over and opens the PRs of CSRs created meanwhile", async () => {
    await ensureWorker1();
    const h = await harness();
    const lease = uniqueName("csr-gitops-leader");
    const leaseDurationMs = 3000;
    const started: string[] = [];
    const elector = (identity: string) =>
      runAsLeader(
        {
          // The app's own identity: its Role allows get, create and update on Leases in csr-gitops.
          coordination: kubeClients("app").coordination,
          namespace: "csr-gitops",
          name: lease,
          identity,
          leaseDurationMs,
          renewDeadlineMs: 2000,
          retryPeriodMs: 300,
          now: () => Date.now(),
          sleep: (ms) => sleep(ms),
        },
        (): CsrController => {
          started.push(identity);
          return h.controller();
        },
        h.events,
      );
    const a = elector("replica-a");
    a.start();
    await until("replica-a to lead", () => a.isLeader);
    const b = elector("replica-b");
    b.start();
    try {
      const node = kubeClients("node").certificates;
      const first = await node.createCertificateSigningRequest({
        body: servingCsr(h.run, uniqueName("before")),
      });
      const gh = reviewer(h.sim);
      await completePull(gh, first.metadata?.uid ?? "");
      expect(b.isLeader).toBe(false);

      // The leader dies without releasing its Lease (a crash, a partition).
      await a.kill();
      const meanwhile = await Promise.all(
        [1, 2].map(() =>
          node.createCertificateSigningRequest({
            body: servingCsr(h.run, uniqueName("meanwhile")),
          }),
        ),
      );
      await until("replica-b to lead", () => b.isLeader, 10_000);
      // Stopping is not losing the Lease: no warning that would send an operator looking.
      const said = (identity: string) =>
        h.events.logs
          .filter((l) => l.fields.identity === identity && /lead/i.test(l.message))
          .map((l) => `${l.level} ${l.message}`);
      expect(said("replica-a")).toEqual([
        "info leading: starting the controller",
        "info stopped leading: controller stopped",
      ]);
      for (const csr of meanwhile) await completePull(gh, csr.metadata?.uid ?? "");
      expect(started).toEqual(["replica-a", "replica-b"]);
      for (const csr of [first, ...meanwhile]) {
        expect(await pullsOf(gh, csr.metadata?.uid ?? "")).toHaveLength(1);
      }
    } finally {
      await b.stop();
      await a.kill();
    }
  }, 60_000);
});
