/**
 * The receipt commit's message as an auditor reads it in `git log`: the subject and the one
 * sentence of each decision, word for word, and the exact errors of a receipt that does not read
 * back. Written from the survivors of the mutation run of src/core/record (docs/mutation.md).
 */
import { describe, expect, it } from "vitest";
import {
  parsePerson,
  parseReceipt,
  parseReceiptMessage,
  renderReceiptMessage,
  renderReceiptYaml,
  type CertificateReceipt,
  type DecisionReceipt,
} from "../../../src/core/record/receipt.ts";
import { approved as approvedByTwo, denied, failed, issued, refused } from "./receipt-fixtures.ts";
import { parseRecord, renderRecord } from "../../../src/core/record/record.ts";
import { userRecord } from "./record-fixtures.ts";

/** Approved by three owners where two are required. */
const approved: DecisionReceipt = {
  ...approvedByTwo,
  approvedBy: [...approvedByTwo.approvedBy, { login: "erin", id: 1005 }],
};
const closed = denied;
const byPolicy: DecisionReceipt = { ...closed, pullRequest: null, closedBy: null, reason: null };

/** The message's subject and its prose paragraph (the trailers are pinned in receipt.test.ts). */
function head(r: DecisionReceipt): string[] {
  return renderReceiptMessage(r).split("\n").slice(0, 3);
}

/** The trailer block, one "key: value" a line. */
function trailers(r: DecisionReceipt): string[] {
  return (renderReceiptMessage(r).trim().split("\n\n").at(-1) ?? "").split("\n");
}

describe("the decision commit message, word for word", () => {
  it("names three approvers as 'a, b and c'", () => {
    expect(head(approved)).toEqual([
      "csr-gitops: approved prod-eu/csr-8k2lq (PR #12)",
      "",
      "Three code owners (alice, bob and erin) approved and carol merged PR #12; the app approved the CSR.",
    ]);
  });

  it("a refusal names its merger and every failed check, and says nothing was written", () => {
    expect(head(refused)).toEqual([
      "csr-gitops: refused prod-eu/csr-8k2lq (PR #12)",
      "",
      "carol merged PR #12, but the app did not approve the CSR: too-few-approvals, head-not-app-commit. Nothing was written to Kubernetes.",
    ]);
  });

  it("a refusal whose merger is unknown says 'someone'", () => {
    expect(head({ ...refused, mergedBy: null })[2]).toBe(
      "someone merged PR #12, but the app did not approve the CSR: too-few-approvals, head-not-app-commit. Nothing was written to Kubernetes.",
    );
  });

  it("a denial by a closed PR names who closed it", () => {
    expect(head(closed)).toEqual([
      "csr-gitops: denied prod-eu/csr-8k2lq (PR #12)",
      "",
      "dave closed PR #12 without merging; the app denied the CSR.",
    ]);
    expect(trailers(closed)).toContain("Csr-Gitops-Pull-Request: 12");
  });

  it("a denial by a closed PR whose closer is not known (a lost webhook) says so, never 'the policy'", () => {
    const unknownCloser = { ...closed, closedBy: null };
    expect(head(unknownCloser)).toEqual([
      "csr-gitops: denied prod-eu/csr-8k2lq (PR #12)",
      "",
      "PR #12 was closed without merging (who closed it is not known); the app denied the CSR.",
    ]);
    expect(parseReceiptMessage(renderReceiptMessage(unknownCloser))).toEqual({
      ok: true,
      receipt: unknownCloser,
    });
  });

  it("a denial by the policy names no PR, in the subject, the sentence or the trailers", () => {
    expect(head(byPolicy)).toEqual([
      "csr-gitops: denied prod-eu/csr-8k2lq (policy)",
      "",
      "The policy denies this CSR and the configuration denies such CSRs at once; the app denied the CSR.",
    ]);
    expect(trailers(byPolicy).filter((t) => t.startsWith("Csr-Gitops-Pull-Request"))).toEqual([]);
    expect(parseReceiptMessage(renderReceiptMessage(byPolicy))).toEqual({
      ok: true,
      receipt: byPolicy,
    });
  });
});

describe("what does not read back, and the error that says so", () => {
  it("a person with anything after '(id N)' is not a person", () => {
    expect(parsePerson("carol (id 1003)")).toEqual({ login: "carol", id: 1003 });
    expect(parsePerson("carol (id 1003) and mallory")).toBeUndefined();
    const message = renderReceiptMessage(approved).replace(
      "Csr-Gitops-Merged-By: carol (id 1003)",
      "Csr-Gitops-Merged-By: carol (id 1003) and mallory",
    );
    expect(parseReceiptMessage(message)).toEqual({
      ok: false,
      error: 'Csr-Gitops-Merged-By: "carol (id 1003) and mallory" is not "login (id N)"',
    });
  });

  it("names a nested field by its dotted path and joins several errors with '; '", () => {
    const bad = { ...approved, requiredApprovals: 0, approvedBy: [{ login: "-x", id: 1 }] };
    expect(parseReceipt(renderReceiptYaml(bad))).toEqual({
      ok: false,
      error:
        "approvedBy.0.login: Invalid string: must match pattern /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\\[bot\\])?$/; requiredApprovals: Too small: expected number to be >=1",
    });
  });

  it("a record with a key it does not know names the record format", () => {
    const text = `${renderRecord(userRecord())}colour: blue\n`;
    const parsed = parseRecord(text, "clusters/prod-eu/x/record.yaml");
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.map((e) => `${e.field}: ${e.message}`)).toEqual([
      "colour: unknown key (not part of the record format; check the spelling)",
    ]);
  });
});

function certificateHead(r: CertificateReceipt): string[] {
  return renderReceiptMessage(r).split("\n").slice(0, 3);
}

describe("the certificate commit message, word for word", () => {
  it("a certificate that matches the approved request", () => {
    expect(certificateHead(issued)).toEqual([
      "csr-gitops: certificate issued for prod-eu/csr-8k2lq",
      "",
      "The signer issued the certificate; it matches the approved request.",
    ]);
  });

  it("a certificate that does not match names every difference", () => {
    const mismatched: CertificateReceipt = {
      ...issued,
      matchesRequest: false,
      mismatches: ["public key differs", "SAN evil.example.com was not requested"],
    };
    expect(certificateHead(mismatched)).toEqual([
      "csr-gitops: certificate issued for prod-eu/csr-8k2lq",
      "",
      "The signer issued a certificate that does NOT match the approved request: public key differs; SAN evil.example.com was not requested.",
    ]);
  });

  it("a signer that failed, with its reason or without one", () => {
    expect(certificateHead(failed)).toEqual([
      "csr-gitops: signer failed for prod-eu/csr-8k2lq",
      "",
      "The signer did not issue a certificate: SignerValidationFailure: invalid usage.",
    ]);
    expect(certificateHead({ ...failed, failure: null })[2]).toBe(
      "The signer did not issue a certificate: no reason given.",
    );
  });
});

describe("numbers in the trailers are plain decimal numbers", () => {
  const withTrailer = (key: string, value: string): string =>
    renderReceiptMessage(approved).replace(new RegExp(`^${key}: .*$`, "m"), `${key}: ${value}`);

  it("a PR number and an approval count of several digits read back", () => {
    const big = { ...approved, pullRequest: 1234, requiredApprovals: 12 };
    expect(parseReceiptMessage(renderReceiptMessage(big))).toEqual({ ok: true, receipt: big });
  });

  it.each(["1e3", "0x12", "012", "+12", "12.0"])("a PR number written %s is refused", (value) => {
    const parsed = parseReceiptMessage(withTrailer("Csr-Gitops-Pull-Request", value));
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? "" : parsed.error).toMatch(/^pullRequest: /);
  });

  it.each(["2e0", "0x2", "+2", "2.0"])("an approval count written %s is refused", (value) => {
    const parsed = parseReceiptMessage(withTrailer("Csr-Gitops-Required-Approvals", value));
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? "" : parsed.error).toMatch(/^requiredApprovals: /);
  });
});
