/**
 * GitHub answers bursts of 5xx: while the controller opens the PR (every write to the audit
 * repository fails a few times), and while the app handles the merge (its reads of the PR fail).
 * Retries and the resync still bring the CSR to Approved, with one PR and one decision receipt.
 */
import { describe, expect, it } from "vitest";
import { approve, conditionsOf, csrWith, gitLogWith, merge, openedPr } from "./harness/flow.ts";
import { CLUSTER } from "./harness/stack.ts";
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
    await approve(stack, opened.pr.number, "alice");
    await approve(stack, opened.pr.number, "bob");
    faults.add({ method: "GET", path: "/repos/acme/csr-audit/pulls/*", status: 503, times: 4 });
    await merge(stack, opened.pr.number, "carol");

    const done = await csrWith(stack, nameOf(csr), "Approved");
    expect(conditionsOf(done)).toEqual(["Approved"]);
    expect(faults.log.filter((f) => f.status === 503).length).toBeGreaterThan(0);
    const log = await gitLogWith(stack, [
      `csr-gitops: approved ${CLUSTER}/${nameOf(csr)} (PR #${String(opened.pr.number)})`,
      `csr-gitops: certificate issued for ${CLUSTER}/${nameOf(csr)}`,
    ]);
    expect(log.filter((l) => l.startsWith("csr-gitops: approved "))).toHaveLength(1);
    expect(stack.github.sim.state.repos.get("acme/csr-audit")?.pulls).toHaveLength(1);
  });
});
