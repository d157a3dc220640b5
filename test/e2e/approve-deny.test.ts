/**
 * The flow end to end, the app a separate `csr-gitops serve` process receiving real signed HTTP
 * webhooks from the GitHub simulator: an allowed CSR approved by two code owners and merged by a
 * third person is Approved and issued; a denied CSR whose PR is closed is Denied. Each ends with
 * its receipts on the audit repository's main branch.
 */
import { describe, expect, it } from "vitest";
import {
  close,
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

describe("end to end", E2E_TIMEOUT, () => {
  it("approve path: two code-owner approvals and a merge approve the CSR; the signer issues", async () => {
    const { stack, servingCsr } = await startE2e();
    const csr = await servingCsr();
    const opened = await openedPr(stack, uidOf(csr));
    expect(opened.verdict).toBe("allow");
    await codeOwnersApprove(stack, opened.pr.number);
    await merge(stack, opened.pr.number, "carol");

    const done = await csrWith(stack, nameOf(csr), "Approved");
    expect(conditionsOf(done)).toEqual(["Approved"]);
    const log = await gitLogWith(stack, [
      subject.approved(nameOf(csr), opened.pr.number),
      subject.issued(nameOf(csr)),
    ]);
    expect(startingWith(log, "Merge pull request #")).toHaveLength(1);
    // Exactly one decision receipt, written after the merge.
    expect(startingWith(log, "csr-gitops: approved ")).toHaveLength(1);
    expect(log.indexOf(subject.approved(nameOf(csr), 1))).toBeLessThan(
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
    const log = await gitLogWith(stack, [subject.denied(nameOf(csr))]);
    expect(startingWith(log, "Merge pull request")).toEqual([]);
    expect(startingWith(log, "csr-gitops: approved")).toEqual([]);
  });
});
