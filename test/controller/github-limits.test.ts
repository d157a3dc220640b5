import { describe, expect, it } from "vitest";
import { kubeClients } from "../support/kube-clients.ts";
import { uniqueName } from "../kube/csr-requests.ts";
import { completePull, pullsOf, reviewer } from "./assertions.ts";
import { ensureWorker1, harness, REPO_REF, servingCsr, type Harness } from "./harness.ts";

async function createCsrs(h: Harness, count: number): Promise<string[]> {
  const node = kubeClients("node").certificates;
  const out: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const csr = await node.createCertificateSigningRequest({
      body: servingCsr(h.run, uniqueName("burst")),
    });
    out.push(csr.metadata?.uid ?? "");
  }
  return out;
}

async function expectOnePullEach(h: Harness, uids: readonly string[]): Promise<void> {
  const gh = reviewer(h.sim);
  for (const uid of uids) await completePull(gh, uid, 30_000);
  for (const uid of uids) expect(await pullsOf(gh, uid)).toHaveLength(1);
  const all = await gh.rest.pulls.list({ ...REPO_REF, state: "all", per_page: 100 });
  expect(all.data).toHaveLength(uids.length);
}

describe("GitHub limits and failures", () => {
  it("5xx answers are retried without duplicating anything", async () => {
    await ensureWorker1();
    const h = await harness();
    for (const path of ["/repos/acme/csr-audit/pulls", "/repos/acme/csr-audit/git/refs"]) {
      h.sim.faults.add({ method: "POST", path, status: 502, times: 2 });
    }
    h.sim.faults.add({
      method: "PUT",
      path: "/repos/acme/csr-audit/contents/*",
      status: 503,
      times: 1,
    });
    await h.controller().start();
    await expectOnePullEach(h, await createCsrs(h, 2));
    expect(h.sim.faults.log.map((f) => f.status)).toEqual([502, 502, 503, 502, 502]);
    expect(h.events.counted("github_wait")).toBe(5);
  }, 60_000);

  it("a burst over the secondary rate limit waits the advised time and opens every PR once", async () => {
    await ensureWorker1();
    const h = await harness();
    h.sim.rateLimits.configure({ secondaryPerMinute: 4 });
    await h.controller().start();
    await expectOnePullEach(h, await createCsrs(h, 4));
    expect(h.events.counts).toContainEqual({
      metric: "github_wait",
      labels: { reason: "secondary-rate-limit" },
    });
  }, 90_000);
});
