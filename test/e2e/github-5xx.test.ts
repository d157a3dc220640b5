/**
 * GitHub answers bursts of 5xx: while the controller opens the PR (every write to the audit
 * repository fails a few times), and while the app handles the merge (its reads of the PR fail).
 * Retries and the resync still bring the CSR to Approved, with one PR and one decision receipt.
 */
import { describe, expect, it } from "vitest";
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
import { E2E_TIMEOUT, nameOf, startE2e, uidOf } from "./e2e-fixture.ts";

describe("GitHub 5xx bursts", E2E_TIMEOUT, () => {
  it("the flow completes through bursts of 502 and 503", async () => {
    const { stack, servingCsr } = await startE2e();
    const { faults } = stack.github.sim;
    for (const method of ["POST", "PUT", "PATCH"])
      faults.add({ method, path: "/repos/acme/csr-audit/*", status: 502, times: 3 });
    const csr = await servingCsr();
    const opened = await openedPr(stack, uidOf(csr));
    // Some writes were answered 502 (how many depends on which writes the controller makes).
    expect(faults.log.filter((f) => f.status === 502).length).toBeGreaterThan(0);
    await codeOwnersApprove(stack, opened.pr.number);
    faults.add({ method: "GET", path: "/repos/acme/csr-audit/pulls/*", status: 503, times: 4 });
    await merge(stack, opened.pr.number, "carol");

    const done = await csrWith(stack, nameOf(csr), "Approved");
    expect(conditionsOf(done)).toEqual(["Approved"]);
    expect(faults.log.filter((f) => f.status === 503).length).toBeGreaterThan(0);
    const log = await gitLogWith(stack, [
      subject.approved(nameOf(csr), opened.pr.number),
      subject.issued(nameOf(csr)),
    ]);
    expect(startingWith(log, "csr-gitops: approved ")).toHaveLength(1);
    expect(auditRepo(stack).pulls).toHaveLength(1);
  });
});
