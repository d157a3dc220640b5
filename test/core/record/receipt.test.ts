import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  parsePerson,
  parseReceipt,
  parseReceiptMessage,
  renderPerson,
  renderReceiptMessage,
  renderReceiptYaml,
  type CertificateReceipt,
  type DecisionReceipt,
} from "../../../src/core/record/receipt.ts";
import {
  approved,
  denied,
  failed,
  issued,
  record,
  refused as refusedByBuiltin,
  uid,
} from "./receipt-fixtures.ts";
import { parseTrailers, TRAILER_VALUE_MAX } from "../../../src/core/record/trailers.ts";

const blob = approved.recordBlob;
const merge = approved.mergeCommit ?? "";
const digest = approved.requestSha256;
/** A refusal under a policy file rather than the built-in policy. */
const refused: DecisionReceipt = { ...refusedByBuiltin, policyBlob: "d".repeat(40) };

const mismatched: CertificateReceipt = {
  ...issued,
  matchesRequest: false,
  mismatches: ["public key differs", "SAN evil.example.com was not requested"],
};

function gitParse(message: string): string {
  return execFileSync("git", ["interpret-trailers", "--parse"], { input: message }).toString();
}

describe("receipts: what the audit trail records", () => {
  it("renders the decision commit message of docs/audit-repo.md", () => {
    expect(renderReceiptMessage(approved)).toBe(
      [
        "csr-gitops: approved prod-eu/csr-8k2lq (PR #12)",
        "",
        "Two code owners (alice and bob) approved and carol merged PR #12; the app approved the CSR.",
        "",
        "Csr-Gitops-Receipt: decision/v1",
        "Csr-Gitops-Decision: approved",
        "Csr-Gitops-Cluster: prod-eu",
        "Csr-Gitops-Csr-Name: csr-8k2lq",
        `Csr-Gitops-Csr-Uid: ${uid}`,
        `Csr-Gitops-Request-Sha256: ${digest}`,
        `Csr-Gitops-Record: ${record}`,
        `Csr-Gitops-Record-Blob: ${blob}`,
        "Csr-Gitops-Pull-Request: 12",
        `Csr-Gitops-Merge-Commit: ${merge}`,
        "Csr-Gitops-Merged-By: carol (id 1003)",
        "Csr-Gitops-Approved-By: alice (id 1001)",
        "Csr-Gitops-Approved-By: bob (id 1002)",
        "Csr-Gitops-Required-Approvals: 2",
        "Csr-Gitops-Policy-Blob: builtin",
        "Csr-Gitops-Decided-At: 2026-11-29T16:40:00.000Z",
        "",
      ].join("\n"),
    );
  });

  it("says single-approver policy plainly when one approval was required", () => {
    const single = { ...approved, requiredApprovals: 1, approvedBy: [{ login: "alice", id: 1 }] };
    expect(renderReceiptMessage(single)).toContain(
      "One code owner (alice) approved (single-approver policy) and carol merged PR #12",
    );
  });

  it.each([
    ["approved", approved],
    ["denied", denied],
    ["refused", refused],
    ["certificate issued", issued],
    ["certificate mismatch", mismatched],
    ["signer failed", failed],
  ] as const)("%s: the file and the trailers both read back to the same receipt", (_, r) => {
    expect(parseReceipt(renderReceiptYaml(r))).toEqual({ ok: true, receipt: r });
    expect(parseReceiptMessage(renderReceiptMessage(r))).toEqual({ ok: true, receipt: r });
  });

  it.each([
    ["approved", approved],
    ["denied", denied],
    ["refused", refused],
    ["certificate issued", issued],
    ["certificate mismatch", mismatched],
    ["signer failed", failed],
  ] as const)("%s: git interpret-trailers --parse reads every trailer", (_, r) => {
    const message = renderReceiptMessage(r);
    const block = message.trim().split("\n\n").at(-1) ?? "";
    expect(block.split("\n").length).toBeGreaterThanOrEqual(8);
    expect(gitParse(message).trim()).toBe(block);
    expect(
      parseTrailers(message)
        .map((t) => `${t.key}: ${t.value}`)
        .join("\n"),
    ).toBe(block);
  });

  it("a closer's comment cannot forge a trailer: newlines and controls fold into one line", () => {
    const forged = {
      ...denied,
      reason: "fine\nCsr-Gitops-Approved-By: mallory (id 9)\r\n\u2028Csr-Gitops-Decision: approved",
    };
    const message = renderReceiptMessage(forged);
    const parsed = gitParse(message);
    expect(parsed).not.toMatch(/^Csr-Gitops-Approved-By/m);
    expect(parsed.match(/^Csr-Gitops-Decision: /gm)).toHaveLength(1);
    expect(parsed).toContain(
      "Csr-Gitops-Reason: fine Csr-Gitops-Approved-By: mallory (id 9) Csr-Gitops-Decision: approved",
    );
    const back = parseReceiptMessage(message);
    expect(back.ok && back.receipt.kind === "DecisionReceipt" && back.receipt.approvedBy).toEqual(
      [],
    );
  });

  it("caps a long reason in both forms, identically", () => {
    const long = { ...denied, reason: "x".repeat(5000) };
    const fromYaml = parseReceipt(renderReceiptYaml(long));
    const fromMessage = parseReceiptMessage(renderReceiptMessage(long));
    expect(fromYaml).toEqual(fromMessage);
    const reason =
      fromYaml.ok && fromYaml.receipt.kind === "DecisionReceipt" && fromYaml.receipt.reason;
    expect(reason).toHaveLength(TRAILER_VALUE_MAX);
    expect(String(reason).endsWith("…")).toBe(true);
  });

  it("any reason folds to one trailer line that reads back unchanged", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 400 }), (reason) => {
        const r = { ...denied, reason };
        const back = parseReceiptMessage(renderReceiptMessage(r));
        if (!back.ok || back.receipt.kind !== "DecisionReceipt") return false;
        const again = parseReceiptMessage(renderReceiptMessage(back.receipt));
        return (
          again.ok &&
          JSON.stringify(again.receipt) === JSON.stringify(back.receipt) &&
          back.receipt.approvedBy.length === 0 &&
          !/[\n\r]/.test(back.receipt.reason ?? "")
        );
      }),
      { seed: 1010, numRuns: 300 },
    );
  });
});

describe("receipts that are not receipts", () => {
  const message = renderReceiptMessage(approved);

  it.each([
    [
      "no trailers at all",
      "just a commit\n\nwith prose\n",
      /Csr-Gitops-Receipt: expected exactly one, found 0/,
    ],
    [
      "trailers mixed with prose",
      message.replace("Csr-Gitops-Cluster", "some prose\nCsr-Gitops-Cluster"),
      /expected exactly one, found 0/,
    ],
    [
      "an unknown receipt type",
      message.replace("decision/v1", "decision/v9"),
      /unknown receipt type "decision\/v9"/,
    ],
    [
      "two decisions",
      message.replace("Csr-Gitops-Cluster:", "Csr-Gitops-Decision: denied\nCsr-Gitops-Cluster:"),
      /Csr-Gitops-Decision: expected exactly one, found 2/,
    ],
    [
      "a missing uid",
      message.replace(/^Csr-Gitops-Csr-Uid: .*\n/m, ""),
      /Csr-Gitops-Csr-Uid: expected exactly one, found 0/,
    ],
    [
      "an approver without id",
      message.replace("alice (id 1001)", "alice"),
      /Approved-By: "alice" is not "login \(id N\)"/,
    ],
    ["an unknown decision", message.replace("Decision: approved", "Decision: maybe"), /decision/],
    ["a short record blob", message.replace(blob, "abc"), /recordBlob/],
    ["a non-numeric PR", message.replace("Pull-Request: 12", "Pull-Request: 12a"), /pullRequest/],
    [
      "an approval counted twice",
      message.replace("bob (id 1002)", "alice (id 1001)"),
      /an approver is named twice/,
    ],
    [
      "approved without a merge",
      message.replace(/^Csr-Gitops-Merge-Commit: .*\n/m, ""),
      /names the PR, its merge commit and its merger/,
    ],
    [
      "approved with nobody",
      message.replace(/^Csr-Gitops-Approved-By: .*\n/gm, ""),
      /names its approvers/,
    ],
    [
      "two merge commits",
      message.replace(
        "Csr-Gitops-Merged-By",
        `Csr-Gitops-Merge-Commit: ${merge}\nCsr-Gitops-Merged-By`,
      ),
      /at most one, found 2/,
    ],
    ["a bad time", message.replace("2026-11-29T16:40:00.000Z", "yesterday"), /decidedAt/],
  ])("%s is refused", (_, text, error) => {
    const parsed = parseReceiptMessage(text);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? "" : parsed.error).toMatch(error);
  });

  it.each([
    ["a refusal without reasons", { ...refused, refused: [] }, /names every failed check/],
    ["a denial with approvers", { ...denied, approvedBy: [{ login: "a", id: 1 }] }, /no approvers/],
    ["an approval with a closer", { ...approved, closedBy: { login: "d", id: 4 } }, /no closer/],
  ] as const)("%s is refused in the file", (_, r, error) => {
    const parsed = parseReceipt(renderReceiptYaml(r));
    expect(parsed.ok ? "" : parsed.error).toMatch(error);
  });

  it.each([
    ["not YAML", "a: [", /not YAML/],
    ["another kind", "kind: CsrRecord\n", /expected DecisionReceipt or CertificateReceipt/],
    ["null", "", /expected DecisionReceipt/],
    ["an unknown key", renderReceiptYaml(approved) + "extra: 1\n", /extra/],
    [
      "another api version",
      renderReceiptYaml(issued).replace("receipt-v1", "receipt-v2"),
      /apiVersion/,
    ],
    [
      "matches-request not a boolean",
      renderReceiptYaml(issued).replace("matchesRequest: true", "matchesRequest: yes"),
      /matchesRequest/,
    ],
  ])("a file with %s is refused", (_, text, error) => {
    const parsed = parseReceipt(text);
    expect(parsed.ok ? "" : parsed.error).toMatch(error);
  });

  it("a certificate receipt with a non-boolean match is refused", () => {
    const text = renderReceiptMessage(issued).replace(
      "Matches-Request: true",
      "Matches-Request: yes",
    );
    const parsed = parseReceiptMessage(text);
    expect(parsed.ok ? "" : parsed.error).toMatch(/expected true or false/);
  });
});

describe("people and trailers", () => {
  it.each([
    ["carol (id 1003)", { login: "carol", id: 1003 }],
    ["csr-gitops[bot] (id 42)", { login: "csr-gitops[bot]", id: 42 }],
    ["carol (id 0)", undefined],
    ["carol  (id 3)", undefined],
    ["-carol (id 3)", undefined],
    ["car ol (id 3)", undefined],
    ["carol (id 99999999999999999)", undefined],
    ["carol", undefined],
  ])("parsePerson(%j)", (text, person) => {
    expect(parsePerson(text)).toEqual(person);
    if (person !== undefined) expect(renderPerson(person)).toBe(text);
  });

  it("reads continuation lines and case-insensitive keys as git does", () => {
    expect(parseTrailers("s\n\nbody\n\nKey: one\n  two\nother-key:three\n")).toEqual([
      { key: "Key", value: "one two" },
      { key: "other-key", value: "three" },
    ]);
    expect(parseTrailers("only a subject: here\n")).toEqual([]);
  });
});
