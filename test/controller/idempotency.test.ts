import { describe, expect, it } from "vitest";
import { csrKey } from "../../src/controller/cluster-view.ts";
import { kubeClients } from "../support/kube-clients.ts";
import { uniqueName } from "../kube/csr-requests.ts";
import { until } from "../kube/until.ts";
import { crashAfter } from "./crash-after.ts";
import { branchOf, checkRunsOf, completePull, pullsOf, reviewer } from "./assertions.ts";
import { CLUSTER, ensureWorker1, harness, REPO_REF, servingCsr, type Harness } from "./harness.ts";

async function createServingCsr(h: Harness): Promise<string> {
  const created = await kubeClients("node").certificates.createCertificateSigningRequest({
    body: servingCsr(h.run, uniqueName("serving")),
  });
  return created.metadata?.uid ?? "";
}

/** Exactly one PR for the CSR, complete, whose branch holds one commit and one check run. */
async function expectOneCompletePull(h: Harness, uid: string): Promise<void> {
  const gh = reviewer(h.sim);
  const pull = await completePull(gh, uid);
  expect((await pullsOf(gh, uid)).map((p) => p.number)).toEqual([pull.number]);
  const compare = await gh.rest.repos.listCommits({ ...REPO_REF, sha: branchOf(uid), per_page: 5 });
  const main = await gh.rest.repos.listCommits({ ...REPO_REF, sha: "main", per_page: 5 });
  expect(compare.data[1]?.sha).toBe(main.data[0]?.sha);
  expect(await checkRunsOf(gh, pull.head.sha)).toHaveLength(1);
  expect(pull.labels.map((l) => l.name)).toContain("verdict: allow");
}

describe("exactly one PR per CSR", () => {
  it("after a crash between any two steps, a restarted controller completes the same PR", async () => {
    await ensureWorker1();
    const h = await harness();
    // The steps of opening a PR: branch, record commit, check run, PR, labels.
    for (const step of [1, 2, 3, 4]) {
      const state = { crashed: false };
      const first = h.controller({ wrapWrites: crashAfter(step, state) });
      await first.start();
      const uid = await createServingCsr(h);
      await until(`the controller to crash after step ${step}`, () => state.crashed);
      await first.stop();
      expect(await pullsOf(reviewer(h.sim), uid)).toHaveLength(step >= 4 ? 1 : 0);

      const restarted = h.controller();
      await restarted.start();
      await expectOneCompletePull(h, uid);
      await restarted.stop();
    }
  }, 120_000);

  it("duplicate events and concurrent reconciles of one key open one PR", async () => {
    await ensureWorker1();
    const h = await harness();
    const controller = h.controller();
    await controller.start();
    const uid = await createServingCsr(h);
    const key = csrKey(CLUSTER, uid);
    await until("the cache to hold the CSR", () => {
      controller.enqueue(key);
      return true;
    });
    for (let i = 0; i < 5; i += 1) controller.enqueue(key);
    await Promise.all([1, 2, 3, 4].map(() => controller.reconcile(key)));
    await controller.idle();
    await expectOneCompletePull(h, uid);
  }, 60_000);

  it("two controller replicas running at once open one PR per CSR", async () => {
    await ensureWorker1();
    const h = await harness();
    const replicas = [h.controller(), h.controller()];
    await Promise.all(replicas.map((r) => r.start()));
    const uids = await Promise.all([1, 2, 3].map(() => createServingCsr(h)));
    const gh = reviewer(h.sim);
    for (const uid of uids) await completePull(gh, uid);
    await Promise.all(replicas.map((r) => r.idle()));
    for (const uid of uids) {
      expect((await pullsOf(gh, uid)).length).toBe(1);
    }
    const all = await gh.rest.pulls.list({ ...REPO_REF, state: "all", per_page: 100 });
    expect(all.data).toHaveLength(uids.length);
  }, 60_000);
});
