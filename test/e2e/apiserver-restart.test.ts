/**
 * The kube-apiserver restarts while `csr-gitops serve` (its own process) watches: the server of
 * this file keeps its cluster (keepState), so it goes away and comes back on the same address
 * with the same CA, the same CSRs (same uids) and the same Lease. While it is down, serve cannot
 * renew its Lease and steps down (its watch and controller stop); a PR merged meanwhile can only
 * be approved once the apiserver is back (a failed attempt is retried by the catch-up at the next
 * resync); CSRs created before and after the restart each get exactly one PR; serve leads again in
 * the same process.
 */
import { describe, expect, it } from "vitest";
import { until } from "../kube/until.ts";
import { readCsr } from "./harness/actors.ts";
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
  WAIT_MS,
} from "./harness/flow.ts";
import { dedicatedServerForFile, E2E_TIMEOUT, nameOf, startE2e, uidOf } from "./e2e-fixture.ts";

// Watches last 30-60 minutes here (the default --min-request-timeout): only the restart ends them.
const { server, kube } = dedicatedServerForFile({ keepState: true });

describe("apiserver restart mid-watch", E2E_TIMEOUT, () => {
  it("CSRs from before and after the restart each get one PR, and a merge made while it was down is approved", async () => {
    const { stack, servingCsr, replica } = await startE2e({ kube: kube() });
    const serve = replica(0);
    const servePid = serve.child.pid;

    const merged = await servingCsr();
    const opened = await openedPr(stack, uidOf(merged));
    await codeOwnersApprove(stack, opened.pr.number);
    // Created just before the restart: its PR may be opened before, during or after it.
    const racing = await servingCsr();
    const said = (msg: string): number => serve.lines.filter((l) => l.msg === msg).length;
    const stepDowns = said("lost the leader Lease: controller stopped");

    await server().restart(async () => {
      // Unable to renew its Lease for 10 s (renewDeadline), serve stops leading: the CSR watch
      // and the controller stop, to start afresh (a full list) when it leads again.
      await until(
        "serve to step down",
        () => said("lost the leader Lease: controller stopped") > stepDowns,
        WAIT_MS,
      );
      await merge(stack, opened.pr.number, "carol");
      await until("GitHub to send the merge's webhook", () =>
        stack.github.sim.webhooks?.deliveries.find(
          (d) => d.event === "pull_request" && d.action === "closed",
        ),
      );
    });

    // The same cluster came back: the CSR from before the restart, same uid, not yet approved.
    const kept = await readCsr(stack.kube, nameOf(merged));
    expect(kept?.metadata?.uid).toBe(uidOf(merged));
    const created = await servingCsr();
    await openedPr(stack, uidOf(racing));
    await openedPr(stack, uidOf(created));

    const done = await csrWith(stack, nameOf(merged), "Approved");
    expect(conditionsOf(done)).toEqual(["Approved"]);
    expect(done.metadata?.uid).toBe(uidOf(merged));
    const log = await gitLogWith(stack, [
      subject.approved(nameOf(merged), opened.pr.number),
      subject.issued(nameOf(merged)),
    ]);
    expect(startingWith(log, "csr-gitops: approved ")).toHaveLength(1);
    expect(startingWith(log, "csr-gitops: record ")).toEqual([subject.record(nameOf(merged))]);
    expect(startingWith(log, "Merge pull request #")).toHaveLength(1);

    // One PR per CSR, whichever side of the restart it was created or opened on.
    const heads = auditRepo(stack).pulls.map((p) => p.headRef.split("/").at(-1));
    expect(heads.sort()).toEqual([merged, racing, created].map(uidOf).sort());
    for (const csr of [racing, created])
      expect(conditionsOf(await readCsr(stack.kube, nameOf(csr)))).toEqual([]);

    // serve rode it out in the same process.
    expect(serve.exited()).toBe(false);
    expect(serve.child.pid).toBe(servePid);
    expect(stack.replicas).toHaveLength(1);
    expect(serve.lines.filter((l) => l.msg === "serving")).toHaveLength(1);
    // ...and leads again, on the Lease kept across the restart.
    expect(said("leading: starting the controller")).toBe(
      said("lost the leader Lease: controller stopped") + 1,
    );
  });
});
