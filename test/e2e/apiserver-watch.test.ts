/**
 * The apiserver drops the app's watch mid-stream and its history is compacted, so the resumed
 * watch gets 410 Gone and must list again: a server of its own with --min-request-timeout=2 ends
 * every watch within 2-4 s, and etcd is compacted while CSRs keep arriving. The process restart
 * itself (same cluster, same address) is apiserver-restart.test.ts; this file is the one where a
 * resumed watch meets a compacted history while serve keeps leading.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { compactEtcd } from "../support/kube-clients.ts";
import {
  auditRepo,
  codeOwnersApprove,
  conditionsOf,
  csrWith,
  gitLogWith,
  merge,
  openedPr,
  startingWith,
  subject,
} from "./harness/flow.ts";
import { dedicatedServerForFile, E2E_TIMEOUT, nameOf, startE2e, uidOf } from "./e2e-fixture.ts";

const { server, kube } = dedicatedServerForFile({ minRequestTimeoutSeconds: 2 });

describe("apiserver ends and expires the watch", E2E_TIMEOUT, () => {
  it("CSRs created across watch ends and a compaction each get their PR, and merges approve", async () => {
    const { stack, servingCsr } = await startE2e({ kube: kube() });
    const before = await servingCsr();
    await openedPr(stack, uidOf(before));
    // Let watches end and resume, then make the resume point history.
    await sleep(5_000);
    await compactEtcd(server().state);
    const after = await servingCsr();
    await sleep(5_000);
    await compactEtcd(server().state);
    const third = await servingCsr();
    const opened = await openedPr(stack, uidOf(after));
    await openedPr(stack, uidOf(third));

    await codeOwnersApprove(stack, opened.pr.number);
    await merge(stack, opened.pr.number, "carol");
    const done = await csrWith(stack, nameOf(after), "Approved");
    expect(conditionsOf(done)).toEqual(["Approved"]);
    await gitLogWith(stack, [subject.approved(nameOf(after), opened.pr.number)]);
    // One PR per CSR, whichever watch (or relist) saw it.
    const pulls = auditRepo(stack).pulls;
    expect(pulls.map((p) => p.headRef.split("/").at(-1)).sort()).toEqual(
      [before, after, third].map(uidOf).sort(),
    );
    expect(startingWith(stack.gitLog(), "csr-gitops: record ")).toEqual([
      subject.record(nameOf(after)),
    ]);
  });
});
