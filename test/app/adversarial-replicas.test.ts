/**
 * Two (or three) replicas receiving the same webhook at once: one decision on the apiserver, one
 * receipt commit, one comment, one Event and one count, whatever the interleaving.
 */
import { describe, expect, it, vi } from "vitest";
import { CountingMetrics } from "../../src/app/metrics.ts";
import { reconcilePull } from "../../src/app/reconcile-pull.ts";
import { kubeClients } from "../support/kube-clients.ts";
import { R, type Harness, type OpenedPr } from "./harness.ts";
import { expectPending, setUp } from "./scenario.ts";

vi.setConfig({ testTimeout: 120_000 });

const REPLICAS = 3;

/** Each replica reconciles the PR at the same moment, with its own metrics. */
async function replicasHandle(h: Harness, pr: OpenedPr): Promise<CountingMetrics[]> {
  const metrics = Array.from({ length: REPLICAS }, () => new CountingMetrics());
  await Promise.all(
    metrics.map((m) =>
      reconcilePull(h.api, { ...R, number: pr.number }, { ...h.deps, metrics: m }),
    ),
  );
  return metrics;
}

function total(metrics: readonly CountingMetrics[], key: string): number {
  return metrics.reduce((sum, m) => sum + m.get(key), 0);
}

async function eventReasons(uid: string): Promise<string[]> {
  const list = await kubeClients("admin").core.listNamespacedEvent({
    namespace: "default",
    fieldSelector: `involvedObject.uid=${uid}`,
  });
  return list.items.map((e) => e.reason ?? "");
}

function receiptCommits(h: Harness, verb: string): string[] {
  return h
    .gitLog()
    .split("\n")
    .filter((l) => l.startsWith(`csr-gitops: ${verb}`));
}

describe("two replicas receiving the same webhook decide and say it once", () => {
  it("the same merge: one Approved condition, one receipt, one comment, one Event", async () => {
    const { h, pr, name } = await setUp();
    await h.approve(pr.number, "alice", "bob");
    h.sim.webhooks?.setFaults({ drop: 5 });
    await h.sim.actions.merge(R, pr.number, "carol");
    await h.deliver();
    const metrics = await replicasHandle(h, pr);

    const csr = await h.csr(name);
    expect((csr?.status?.conditions ?? []).filter((c) => c.type === "Approved")).toHaveLength(1);
    expect(receiptCommits(h, "approved")).toHaveLength(1);
    expect((await h.comments(pr.number)).filter((c) => c.includes("### ✅ Approved"))).toHaveLength(
      1,
    );
    expect(total(metrics, "decision:approved")).toBe(1);
    expect((await eventReasons(pr.key.uid)).filter((r) => r === "Approved")).toHaveLength(1);
  });

  it("the same refused merge: one refusal comment and one receipt, the CSR stays pending", async () => {
    const { h, pr, name } = await setUp();
    await h.approve(pr.number, "alice");
    h.sim.webhooks?.setFaults({ drop: 5 });
    await h.sim.actions.merge(R, pr.number, "carol");
    await h.deliver();
    const metrics = await replicasHandle(h, pr);

    await expectPending(h, name);
    expect(receiptCommits(h, "refused")).toHaveLength(1);
    expect(
      (await h.comments(pr.number)).filter((c) => c.includes("### ⛔ Not approved")),
    ).toHaveLength(1);
    expect(total(metrics, "decision:refused")).toBe(1);
  });

  it("the same close: one Denied condition, one receipt, one comment", async () => {
    const { h, pr, name } = await setUp();
    h.sim.webhooks?.setFaults({ drop: 5 });
    await h.sim.actions.close(R, pr.number, "alice");
    await h.deliver();
    const metrics = await replicasHandle(h, pr);

    expect(await h.conditions(name)).toEqual(["Denied"]);
    expect(receiptCommits(h, "denied")).toHaveLength(1);
    expect((await h.comments(pr.number)).filter((c) => c.includes("### 🛑 Denied"))).toHaveLength(
      1,
    );
    expect(total(metrics, "decision:denied")).toBe(1);
  });
});
