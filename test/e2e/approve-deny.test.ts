/**
 * The flow end to end, the app a separate `csr-gitops serve` process receiving real signed HTTP
 * webhooks from the GitHub simulator: an allowed CSR approved by two code owners and merged by a
 * third person is Approved and issued; a denied CSR whose PR is closed is Denied. Each ends with
 * its receipts on the audit repository's main branch.
 */
import { describe, expect, it } from "vitest";
import { CLUSTER } from "./harness/stack.ts";
import {
  approve,
  close,
  conditionsOf,
  csrWith,
  gitLogWith,
  merge,
  openedPr,
} from "./harness/flow.ts";
import { E2E_TIMEOUT, nameOf, startE2e, uidOf } from "./e2e-fixture.ts";

describe("end to end", E2E_TIMEOUT, () => {
  it("approve path: two code-owner approvals and a merge approve the CSR; the signer issues", async () => {
    const { stack, servingCsr } = await startE2e();
    const csr = await servingCsr();
    const opened = await openedPr(stack, uidOf(csr));
    expect(opened.verdict).toBe("allow");
    await approve(stack, opened.pr.number, "alice");
    await approve(stack, opened.pr.number, "bob");
    await merge(stack, opened.pr.number, "carol");

    const done = await csrWith(stack, nameOf(csr), "Approved");
    expect(conditionsOf(done)).toEqual(["Approved"]);
    const log = await gitLogWith(stack, [
      `csr-gitops: approved ${CLUSTER}/${nameOf(csr)} (PR #${String(opened.pr.number)})`,
      `csr-gitops: certificate issued for ${CLUSTER}/${nameOf(csr)}`,
    ]);
    expect(log.filter((l) => l.startsWith("Merge pull request #"))).toHaveLength(1);
    // Exactly one decision receipt, written after the merge.
    expect(log.filter((l) => l.startsWith("csr-gitops: approved "))).toHaveLength(1);
    expect(log.indexOf(`csr-gitops: approved ${CLUSTER}/${nameOf(csr)} (PR #1)`)).toBeLessThan(
      log.findIndex((l) => l.startsWith("Merge pull request #1")),
    );
  });

  it("deny path: closing the PR of a policy-denied CSR denies it", async () => {
    const { stack, adminCsr } = await startE2e();
    const csr = await adminCsr();
    const opened = await openedPr(stack, uidOf(csr));
    expect(opened.verdict).toBe("deny");
    expect(opened.check.conclusion).toBe("failure");
    await close(stack, opened.pr.number, "dave");

    const done = await csrWith(stack, nameOf(csr), "Denied");
    expect(conditionsOf(done)).toEqual(["Denied"]);
    expect(done.status?.certificate ?? "").toBe("");
    const log = await gitLogWith(stack, [`csr-gitops: denied ${CLUSTER}/${nameOf(csr)}`]);
    expect(log.some((l) => l.startsWith("Merge pull request"))).toBe(false);
    expect(log.some((l) => l.startsWith("csr-gitops: approved"))).toBe(false);
  });
});
