/**
 * GitHub never delivers the merge's webhook (the simulator drops it, as a network loss would).
 * The app's periodic catch-up (CSR_GITOPS_RESYNC_SECONDS=10) finds the merged PR without a
 * receipt and approves the CSR.
 */
import { describe, expect, it } from "vitest";
import { until } from "../kube/until.ts";
import {
  codeOwnersApprove,
  conditionsOf,
  csrWith,
  gitLogWith,
  merge,
  openedPr,
  subject,
} from "./harness/flow.ts";
import { E2E_TIMEOUT, nameOf, startE2e, uidOf } from "./e2e-fixture.ts";

describe("webhook lost", E2E_TIMEOUT, () => {
  it("the catch-up approves a merge whose webhook never arrived", async () => {
    const { stack, servingCsr } = await startE2e();
    const csr = await servingCsr();
    const opened = await openedPr(stack, uidOf(csr));
    await codeOwnersApprove(stack, opened.pr.number);
    const webhooks = stack.github.sim.webhooks;
    if (webhooks === undefined) throw new Error("the seed's app has a webhook");
    await until(
      "the approvals' webhooks to be delivered",
      () => webhooks.deliveries.filter((d) => d.event === "pull_request_review").length >= 2,
    );
    webhooks.setFaults({ drop: 1 });
    await merge(stack, opened.pr.number, "carol");
    const closed = await until("the merge's webhook", () =>
      webhooks.deliveries.find((d) => d.event === "pull_request" && d.action === "closed"),
    );
    expect(closed.status).toBe("dropped");

    const done = await csrWith(stack, nameOf(csr), "Approved");
    expect(conditionsOf(done)).toEqual(["Approved"]);
    await gitLogWith(stack, [
      subject.approved(nameOf(csr), opened.pr.number),
      subject.issued(nameOf(csr)),
    ]);
  });
});
