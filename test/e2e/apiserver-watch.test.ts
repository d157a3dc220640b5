/**
 * The apiserver drops the app's watch mid-stream and its history is compacted, so the resumed
 * watch gets 410 Gone and must list again: a server of its own with --min-request-timeout=2 ends
 * every watch within 2-4 s, and etcd is compacted while CSRs keep arriving. The process restart
 * itself (same cluster, same address) is apiserver-restart.test.ts; this file is the one where a
 * resumed watch meets a compacted history while serve keeps leading.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDedicatedServer, type DedicatedServer } from "../kube/dedicated-server.ts";
import { compactEtcd } from "../support/kube-clients.ts";
import {
  approve,
  auditRepo,
  conditionsOf,
  csrWith,
  gitLogWith,
  merge,
  openedPr,
} from "./harness/flow.ts";
import { testServerTarget } from "./harness/kube-target.ts";
import { CLUSTER } from "./harness/stack.ts";
import { E2E_TIMEOUT, nameOf, startE2e, uidOf } from "./e2e-fixture.ts";

let server: DedicatedServer;
beforeAll(async () => {
  server = await startDedicatedServer({ minRequestTimeoutSeconds: 2 });
}, 180_000);
afterAll(() => server.stop(), 60_000);

describe("apiserver ends and expires the watch", E2E_TIMEOUT, () => {
  it("CSRs created across watch ends and a compaction each get their PR, and merges approve", async () => {
    const { stack, servingCsr } = await startE2e({ kube: testServerTarget(server.state) });
    const before = await servingCsr();
    await openedPr(stack, uidOf(before));
    // Let watches end and resume, then make the resume point history.
    await sleep(5_000);
    await compactEtcd(server.state);
    const after = await servingCsr();
    await sleep(5_000);
    await compactEtcd(server.state);
    const third = await servingCsr();
    const opened = await openedPr(stack, uidOf(after));
    await openedPr(stack, uidOf(third));

    await approve(stack, opened.pr.number, "alice");
    await approve(stack, opened.pr.number, "bob");
    await merge(stack, opened.pr.number, "carol");
    const done = await csrWith(stack, nameOf(after), "Approved");
    expect(conditionsOf(done)).toEqual(["Approved"]);
    await gitLogWith(stack, [
      `csr-gitops: approved ${CLUSTER}/${nameOf(after)} (PR #${String(opened.pr.number)})`,
    ]);
    // One PR per CSR, whichever watch (or relist) saw it.
    const pulls = auditRepo(stack).pulls;
    expect(pulls.map((p) => p.headRef.split("/").at(-1)).sort()).toEqual(
      [before, after, third].map(uidOf).sort(),
    );
    expect(stack.gitLog().filter((l) => l.startsWith("csr-gitops: record "))).toEqual([
      `csr-gitops: record ${CLUSTER}/${nameOf(after)}`,
    ]);
  });
});
