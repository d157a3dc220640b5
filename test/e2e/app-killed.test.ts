/**
 * The app is killed (SIGKILL: nothing finished, the Lease not released) after the PR is opened;
 * the PR is approved and merged while no replica runs, so GitHub's webhook finds nobody. A new
 * replica's catch-up at start-up finds the merged PR without a receipt and approves the CSR.
 */
import { describe, expect, it } from "vitest";
import { until } from "../kube/until.ts";
import { readCsr } from "./harness/actors.ts";
import {
  codeOwnersApprove,
  conditionsOf,
  csrWith,
  gitLogWith,
  merge,
  openedPr,
  startingWith,
  subject,
} from "./harness/flow.ts";
import { E2E_TIMEOUT, nameOf, startE2e, uidOf } from "./e2e-fixture.ts";

describe("app killed between merge and approval", E2E_TIMEOUT, () => {
  it("a new replica approves the merged PR at start-up", async () => {
    const { stack, servingCsr, replica } = await startE2e();
    const csr = await servingCsr();
    const opened = await openedPr(stack, uidOf(csr));
    const first = replica(0);
    await first.kill();
    stack.unroute(first);

    await codeOwnersApprove(stack, opened.pr.number);
    await merge(stack, opened.pr.number, "carol");
    // GitHub delivered the merge to nobody: the delivery failed, and the CSR is still pending.
    const closed = await until("the merge's webhook delivery", () => {
      const found = (stack.github.sim.webhooks?.deliveries ?? []).filter(
        (d) => d.event === "pull_request" && d.action === "closed",
      );
      return found.length > 0 ? found : undefined;
    });
    expect(closed.map((d) => d.status)).toEqual([502]);
    expect(conditionsOf(await readCsr(stack.kube, nameOf(csr)))).toEqual([]);

    await stack.startReplica("csr-gitops-1");
    const done = await csrWith(stack, nameOf(csr), "Approved");
    expect(conditionsOf(done)).toEqual(["Approved"]);
    const log = await gitLogWith(stack, [
      subject.approved(nameOf(csr), opened.pr.number),
      subject.issued(nameOf(csr)),
    ]);
    expect(startingWith(log, "csr-gitops: approved ")).toHaveLength(1);
  });
});
