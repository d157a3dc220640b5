/**
 * What each decision receipt must carry, and must not, with the exact words of each refusal, and
 * the receipt file's lines as a reviewer and an auditor's YAML tool read them. Written from the
 * survivors of the mutation run of src/core/record (docs/mutation.md).
 */
import { describe, expect, it } from "vitest";
import { approved, denied, refused as refusedTwice } from "./receipt-fixtures.ts";
import {
  parseReceipt,
  renderReceiptYaml,
  type DecisionReceipt,
} from "../../../src/core/record/receipt.ts";

const CAROL = { login: "carol", id: 1003 };
/** A refusal for one reason only. */
const refused: DecisionReceipt = { ...refusedTwice, refused: ["too-few-approvals"] };

/** The receipt written as its file and read back: the error a reader of the file gets. */
const readBack = (r: DecisionReceipt) => parseReceipt(renderReceiptYaml(r));

describe("the decision receipt's shape", () => {
  it("reads back each well-formed decision", () => {
    for (const r of [approved, refused, denied])
      expect(readBack(r)).toEqual({ ok: true, receipt: r });
  });

  it.each([
    ["without a PR number", { pullRequest: null }],
    ["without a merge commit", { mergeCommit: null }],
    ["without a merger", { mergedBy: null }],
  ])("refuses an approved receipt %s", (_, change) => {
    expect(readBack({ ...approved, ...change })).toEqual({
      ok: false,
      error: "(root): an approved receipt names the PR, its merge commit and its merger",
    });
  });

  it.each([
    ["refusals", { refused: ["tampered"] }],
    ["a closer", { closedBy: { login: "dave", id: 1004 } }],
  ])("refuses an approved receipt with %s", (_, change) => {
    expect(readBack({ ...approved, ...change })).toEqual({
      ok: false,
      error: "(root): an approved receipt has no refusals and no closer",
    });
  });

  it.each([
    ["without a PR number", { pullRequest: null }],
    ["without a merge commit", { mergeCommit: null }],
    ["without a merger", { mergedBy: null }],
  ])("refuses a refused receipt %s", (_, change) => {
    expect(readBack({ ...refused, ...change })).toEqual({
      ok: false,
      error: "(root): a refused receipt names the PR, its merge commit and its merger",
    });
  });

  it.each([
    ["approvers", { approvedBy: [CAROL] }],
    ["a merge commit", { mergeCommit: "b".repeat(40) }],
  ])("refuses a denied receipt with %s", (_, change) => {
    expect(readBack({ ...denied, ...change })).toEqual({
      ok: false,
      error: "(root): a denied receipt has no approvers and no merge commit",
    });
  });

  it("names the field of an error inside the receipt", () => {
    expect(readBack({ ...approved, requiredApprovals: 0 })).toEqual({
      ok: false,
      error: "requiredApprovals: Too small: expected number to be >=1",
    });
  });
});

describe("the receipt file", () => {
  it("refuses a receipt file that uses a YAML alias", () => {
    const text = renderReceiptYaml(approved)
      .replace("mergedBy:\n  login: carol", "mergedBy: &m\n  login: carol")
      .replace("closedBy: null", "closedBy: *m");
    expect(text).toContain("closedBy: *m");
    const read = parseReceipt(text);
    expect(read.ok ? "" : read.error).toMatch(/^not YAML: /);
  });

  it("reads back a receipt whose merger is the same object as an approver (no YAML alias)", () => {
    const both = { ...approved, approvedBy: [CAROL, { login: "alice", id: 1001 }] };
    const text = renderReceiptYaml(both);
    expect(text).not.toMatch(/[&*]a\d/);
    expect(parseReceipt(text)).toEqual({ ok: true, receipt: both });
  });

  it("keeps a long reason on its one line", () => {
    const reason = Array.from({ length: 30 }, (_, i) => `word${String(i)}`).join(" ");
    const lines = renderReceiptYaml({ ...denied, reason }).split("\n");
    expect(lines).toContain(`reason: ${reason}`);
  });
});
