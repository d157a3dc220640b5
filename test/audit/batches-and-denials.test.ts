/**
 * Two shapes of history beside one PR per CSR (docs/audit-repo.md): a batch PR whose one merge
 * adds several records, followed by one receipt per CSR; and a CSR the policy denied at once
 * (`policyDenied: deny`), whose record and denial receipt the app commits to the default branch
 * with no PR and no approvers.
 */
import { describe, expect, it } from "vitest";
import { audit } from "./support/audit-json.ts";
import { PEOPLE, personIdentity } from "./support/audit-repo-builder.ts";
import { auditRepos, servingCsr as serving } from "./support/audit-repos.ts";

const repo = auditRepos();

describe("a batch PR: one merge adds several records, then one receipt per CSR", () => {
  it("gives each CSR its own counting decision and no finding", async () => {
    const r = repo();
    const batch = r.openBatchPr([serving("worker-1"), serving("worker-2"), serving("worker-3")]);
    expect(new Set(batch.map((p) => p.branch)).size).toBe(1);
    expect(batch[0]?.branch).toMatch(/^csr-gitops\/prod-eu\/batch-[0-9a-f]{16}$/);
    const [first, ...rest] = batch;
    if (first === undefined) throw new Error("empty batch");
    const merge = r.merge(first, ...rest);
    const receipts = batch.map((pr) => r.writeReceipt(r.decision(pr, merge)));
    const { status, report } = await audit(r);
    expect(report.findings).toEqual([]);
    expect(status).toBe(0);
    expect(report.summary).toMatchObject({ csrs: 3, approved: 3 });
    expect(
      report.ledger.map((e) => [
        e.id,
        e.decision,
        e.decisionCounts,
        e.decisionCommit,
        e.pullRequest,
      ]),
    ).toEqual(
      batch.map((pr, i) => [
        `prod-eu/${pr.key.name}_${pr.key.uid}`,
        "approved",
        true,
        receipts[i],
        first.number,
      ]),
    );
  });

  it("still checks each CSR of the batch on its own", async () => {
    const r = repo();
    const batch = r.openBatchPr([serving("worker-4"), serving("worker-5"), serving("worker-6")]);
    const [a, b, c] = batch;
    if (a === undefined || b === undefined || c === undefined) throw new Error("short batch");
    const merge = r.merge(a, b, c);
    r.writeReceipt(r.decision(a, merge));
    // b's receipt is forged by a person; c has none.
    const forged = r.writeReceipt(r.decision(b, merge), {
      author: personIdentity(PEOPLE.mallory),
      signer: "none",
    });
    const { status, report } = await audit(r);
    expect(status).toBe(1);
    expect(report.findings.map((f) => [f.code, f.subject, f.commit]).sort()).toEqual(
      [
        ["receipt-not-app", `prod-eu/${b.key.name}_${b.key.uid}`, forged],
        ["record-merged-without-receipt", `prod-eu/${b.key.name}_${b.key.uid}`, merge],
        ["record-merged-without-receipt", `prod-eu/${c.key.name}_${c.key.uid}`, merge],
      ].sort(),
    );
  });

  it("reports one receipt that names the batch's merge but another CSR's record blob", async () => {
    const r = repo();
    const batch = r.openBatchPr([serving("worker-7"), serving("worker-8")]);
    const [a, b] = batch;
    if (a === undefined || b === undefined) throw new Error("short batch");
    const merge = r.merge(a, b);
    r.writeReceipt(r.decision(a, merge));
    const wrong = r.writeReceipt(r.decision(b, merge, { recordBlob: a.recordBlob }));
    const { report } = await audit(r);
    expect(report.findings.map((f) => [f.code, f.commit])).toEqual([
      ["receipt-digest-mismatch", wrong],
    ]);
  });
});

describe("a CSR denied at once by the policy (policyDenied: deny)", () => {
  it.each([
    ["the record, then the receipt", false],
    ["the record and the receipt in one commit", true],
  ])("%s: a valid decision, not a finding", async (_, together) => {
    const r = repo();
    const denied = r.denyAtOnce(serving("worker-9", ["evil.example.com"]), together);
    expect(denied.record.record.verdict.decision).toBe("deny");
    const { status, report } = await audit(r);
    expect(report.findings).toEqual([]);
    expect(status).toBe(0);
    expect(report.summary).toMatchObject({ csrs: 1, denied: 1 });
    expect(report.ledger).toHaveLength(1);
    expect(report.ledger[0]).toMatchObject({
      decision: "denied",
      decisionCounts: true,
      approvers: "",
      decisionCommit: denied.commits.at(-1),
    });
    expect(report.ledger[0]?.pullRequest).toBeUndefined();
    expect(report.timeline.map((e) => e.event)).toEqual([
      "recorded",
      "committed to the default branch (denied by policy, no PR)",
      "denied",
    ]);
  });

  it("still refuses such a receipt when it is not the app's", async () => {
    const r = repo();
    const pr = r.openRecordPr(serving("worker-10", ["evil.example.com"]));
    const receipt = r.writeReceipt(
      r.decision(pr, undefined, { decision: "denied", pullRequest: null, closedBy: null }),
      { signer: "none" },
    );
    const { status, report } = await audit(r);
    expect(status).toBe(1);
    expect(report.findings.map((f) => [f.code, f.commit])).toEqual([
      ["receipt-signature-missing", receipt],
    ]);
  });
});
