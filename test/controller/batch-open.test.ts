import { describe, expect, it } from "vitest";
import { parseExternalId } from "../../src/core/approval/external-id.ts";
import type { ControllerWrites } from "../../src/controller/writes.ts";
import { kubeClients } from "../support/kube-clients.ts";
import { uniqueName } from "../kube/csr-requests.ts";
import { until } from "../kube/until.ts";
import { checkRunsOf, reviewer } from "./assertions.ts";
import {
  BATCH_CONFIG,
  pullsPerUid,
  pullsWithUids,
  untilEachInCompletePull,
} from "./batch-support.ts";
import {
  controllerSeed,
  ensureWorker1,
  harness,
  REPO_REF,
  servingCsr,
  type Harness,
} from "./harness.ts";
import type { MakeCsrOptions } from "../support/make-csr.ts";

async function createCsrs(h: Harness, count: number, csr: MakeCsrOptions = {}): Promise<string[]> {
  const node = kubeClients("node").certificates;
  const created = await Promise.all(
    Array.from({ length: count }, () =>
      node.createCertificateSigningRequest({ body: servingCsr(h.run, uniqueName("batch"), csr) }),
    ),
  );
  return created.map((c) => c.metadata?.uid ?? "");
}

/** Writes that work `count` times, then the process "dies" (as in idempotency.test.ts). */
function crashAfter(count: number, state: { crashed: boolean }) {
  return (writes: ControllerWrites): ControllerWrites => {
    let done = 0;
    const guard =
      <A extends unknown[], R>(write: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        if (state.crashed) throw new Error("the process is gone");
        const result = await write(...args);
        done += 1;
        if (done >= count) {
          state.crashed = true;
          throw new Error(`crash after write ${String(done)}`);
        }
        return result;
      };
    return {
      createBranch: guard(writes.createBranch),
      createFile: guard(writes.createFile),
      ensureCheckRun: guard(writes.ensureCheckRun),
      createPull: guard(writes.createPull),
      addLabels: guard(writes.addLabels),
      addComment: guard(writes.addComment),
      closePull: guard(writes.closePull),
      denyCsr: guard(writes.denyCsr),
    };
  };
}

describe("batches: CSRs that arrive together share one PR", () => {
  it("three allowed CSRs get one PR: one record file each, one commit, one check run naming every record", async () => {
    await ensureWorker1();
    const h = await harness(controllerSeed({ ".github/csr-gitops.yml": BATCH_CONFIG }));
    const controller = h.controller();
    await controller.start();
    const uids = await createCsrs(h, 3);
    const gh = reviewer(h.sim);
    const pulls = await untilEachInCompletePull(gh, uids);
    await controller.idle();

    expect(pulls).toHaveLength(1);
    const [batch] = pulls;
    if (batch === undefined) throw new Error("no PR");
    expect([...batch.uids].sort()).toEqual([...uids].sort());
    expect(batch.files).toHaveLength(3);
    expect(batch.pull.head.ref).toMatch(/^csr-gitops\/test\/batch-[0-9a-f]{16}$/);
    expect(batch.pull.labels.map((l) => l.name)).toEqual(
      expect.arrayContaining(["csr-gitops", "verdict: allow", "batch"]),
    );
    const commits = await gh.rest.pulls.listCommits({
      ...REPO_REF,
      pull_number: batch.pull.number,
    });
    expect(commits.data).toHaveLength(1);
    expect(commits.data[0]?.commit.verification?.verified).toBe(true);
    const runs = await checkRunsOf(gh, batch.pull.head.sha);
    expect(runs).toHaveLength(1);
    const external = parseExternalId(runs[0]?.external_id ?? "");
    expect(external.ok && external.records.map((r) => r.path).sort()).toEqual(
      [...batch.files].sort(),
    );
    const files = await gh.rest.pulls.listFiles({ ...REPO_REF, pull_number: batch.pull.number });
    for (const f of files.data)
      expect(external.ok && external.records.find((r) => r.path === f.filename)?.blobSha).toBe(
        f.sha,
      );
    // The body is a table with a row per CSR.
    expect(
      (batch.pull.body ?? "")
        .split("\n")
        .filter((l) => l.startsWith("| ") && /\| \d+ \|/.test(l.slice(0, 8))),
    ).toHaveLength(3);
    // One commit of every file: no contents API writes.
    expect(h.requests.requests.filter((r) => r.method === "PUT")).toEqual([]);
  }, 60_000);

  it("a policy-denied CSR gets its own PR; the allowed ones share one", async () => {
    await ensureWorker1();
    const h = await harness(controllerSeed({ ".github/csr-gitops.yml": BATCH_CONFIG }));
    const controller = h.controller();
    await controller.start();
    const allowed = await createCsrs(h, 2);
    const [denied = ""] = await createCsrs(h, 1, { ips: ["10.9.9.9"] });
    const gh = reviewer(h.sim);
    const pulls = await untilEachInCompletePull(gh, [...allowed, denied]);
    await controller.idle();
    expect(pulls).toHaveLength(2);
    const single = pulls.find((p) => p.uids.includes(denied));
    expect(single?.uids).toEqual([denied]);
    expect(single?.pull.head.ref).toBe(`csr-gitops/test/${denied}`);
    expect(single?.pull.labels.map((l) => l.name)).toContain("verdict: deny");
    const batch = pulls.find((p) => p.uids.includes(allowed[0] ?? ""));
    expect([...(batch?.uids ?? [])].sort()).toEqual([...allowed].sort());
  }, 60_000);

  it("after a crash between any two steps of opening a batch, a restarted controller completes the same PR", async () => {
    await ensureWorker1();
    const h = await harness(controllerSeed({ ".github/csr-gitops.yml": BATCH_CONFIG }));
    const gh = reviewer(h.sim);
    // The writes of opening a batch after its commit: branch, check run, PR, labels.
    for (const step of [1, 2, 3]) {
      const state = { crashed: false };
      const first = h.controller({ wrapWrites: crashAfter(step, state) });
      await first.start();
      const uids = await createCsrs(h, 3);
      await until(
        `the controller to crash after step ${String(step)}`,
        () => state.crashed,
        60_000,
      );
      await first.stop();

      const restarted = h.controller();
      await restarted.start();
      const pulls = await untilEachInCompletePull(gh, uids);
      await restarted.idle();
      await restarted.stop();
      expect(pullsPerUid(pulls, uids)).toEqual([1, 1, 1]);
      const mine = pulls.filter((p) => p.uids.some((u) => uids.includes(u)));
      expect(mine).toHaveLength(1);
      expect(await checkRunsOf(gh, mine[0]?.pull.head.sha ?? "")).toHaveLength(1);
    }
  }, 400_000);

  it("a burst of several batches opens them one after another when one may open at a time, each CSR in one PR", async () => {
    await ensureWorker1();
    const config = "apiVersion: csr-gitops/config-v1\nbatch:\n  maxSize: 2\n  windowSeconds: 3\n";
    const h = await harness(controllerSeed({ ".github/csr-gitops.yml": config }));
    // Which batch branch each write of opening a PR went to, in order.
    const order: string[] = [];
    const controller = h.controller({
      maxBatchesOpening: 1,
      wrapWrites: (writes) => ({
        ...writes,
        createBranch: async (branch, sha) => {
          order.push(branch);
          return writes.createBranch(branch, sha);
        },
        createPull: async (args) => {
          order.push(args.branch);
          return writes.createPull(args);
        },
      }),
    });
    await controller.start();
    const uids = await createCsrs(h, 8);
    // One batch at a time on a loaded machine: give them the time of several openings.
    const pulls = await untilEachInCompletePull(reviewer(h.sim), uids, 120_000);
    await controller.idle();
    await controller.stop();

    expect(pullsPerUid(pulls, uids)).toEqual(uids.map(() => 1));
    // One at a time: each batch's branch, then its PR, before the next batch begins. (A CSR
    // that the loaded machine created in a later window may get a single PR of its own.)
    const batchWrites = order.filter((b) => b.includes("/batch-"));
    const batches = new Set(batchWrites).size;
    expect(batches).toBeGreaterThanOrEqual(2);
    expect(batchWrites).toHaveLength(2 * batches);
    for (let i = 0; i < batchWrites.length; i += 2) expect(batchWrites[i + 1]).toBe(batchWrites[i]);
  }, 200_000);

  it("two replicas running at once put each CSR in exactly one PR", async () => {
    await ensureWorker1();
    const h = await harness(controllerSeed({ ".github/csr-gitops.yml": BATCH_CONFIG }));
    const replicas = [h.controller(), h.controller()];
    await Promise.all(replicas.map((r) => r.start()));
    const uids = await createCsrs(h, 4);
    const gh = reviewer(h.sim);
    await untilEachInCompletePull(gh, uids);
    await Promise.all(replicas.map((r) => r.idle()));
    const pulls = await pullsWithUids(gh);
    expect(pullsPerUid(pulls, uids)).toEqual([1, 1, 1, 1]);
  }, 60_000);
});
