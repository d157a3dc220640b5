import { describe, expect, it } from "vitest";
import {
  batchProgressCheckRun,
  closedCheckRun,
  DECIDED_AT_MERGE,
  mergedCheckRun,
  mergedMark,
  type MergedCsrOutcome,
} from "../../../src/core/approval/check-run-text.ts";
import type { Progress } from "../../../src/core/approval/decide.ts";
import { REFUSAL_MEANINGS } from "../../../src/core/approval/reason-codes.ts";
import { displayMarkdown } from "../../../src/core/display/index.ts";

const approved = (csr: string): MergedCsrOutcome => ({
  kind: "approved",
  csr,
  approvers: ["alice", "bob"],
  required: 2,
});
const refused = (
  csr: string,
  ...codes: ["too-few-approvals"] | ["csr-missing"]
): MergedCsrOutcome => ({
  kind: "refused",
  csr,
  codes,
  approvers: ["alice"],
  required: 2,
});

describe("the check run of a merged PR", () => {
  it("one CSR approved", () => {
    const text = mergedCheckRun([approved("prod/a")], "carol");
    expect(text.title).toBe("Approved: 2 of 2 code owner approvals");
    expect(text.conclusion).toBe("success");
    expect(text.summary).toContain("Merged by `carol`.");
    expect(text.summary).toContain(
      "- ✅ CSR `prod/a`: approved; 2 of 2 code owner approvals (`alice`, `bob`).",
    );
    expect(text.summary).toContain(DECIDED_AT_MERGE);
    expect(mergedMark([approved("prod/a")])).toEqual({ kind: "approved" });
  });

  it("one CSR refused names every reason and what it means", () => {
    const text = mergedCheckRun([refused("prod/a", "too-few-approvals")], null);
    expect(text.title).toBe("Not approved: too-few-approvals");
    expect(text.conclusion).toBe("failure");
    expect(text.summary).toContain("Merged by unknown.");
    expect(text.summary).toContain(
      "- ⛔ CSR `prod/a`: not approved: **too-few-approvals** (Fewer distinct code-owner approvals than the policy requires.) 1 of 2 code owner approvals (`alice`).",
    );
    expect(mergedMark([refused("prod/a", "too-few-approvals")])).toEqual({
      kind: "refused",
      codes: ["too-few-approvals"],
    });
  });

  it("a batch: all approved, all refused, or partly", () => {
    expect(mergedCheckRun([approved("a"), approved("b")], "c")).toMatchObject({
      title: "Approved: all 2 CSRs of the batch",
      conclusion: "success",
    });
    expect(mergedCheckRun([approved("a"), refused("b", "csr-missing")], "c")).toMatchObject({
      title: "Not approved: 1 of 2 CSRs refused",
      conclusion: "failure",
    });
    expect(mergedMark([approved("a"), refused("b", "csr-missing")])).toEqual({ kind: "partial" });
    expect(mergedMark([refused("a", "csr-missing"), refused("b", "too-few-approvals")])).toEqual({
      kind: "refused",
      codes: ["csr-missing", "too-few-approvals"],
    });
    expect(mergedCheckRun([], "c")).toMatchObject({ conclusion: "failure" });
  });

  it("a merger's login is shown inert", () => {
    expect(mergedCheckRun([approved("a")], "@evil").summary).not.toContain("Merged by @evil");
  });
});

describe("the check run of a closed PR", () => {
  it("denied, or nothing denied and why", () => {
    expect(closedCheckRun(["prod/a"], null)).toEqual({
      title: "Closed without merging: CSR denied",
      summary:
        "- 🛑 CSR `prod/a`: denied.\n\nClosing the PR without merging denied it; nothing on GitHub can approve it now.",
      conclusion: "neutral",
    });
    expect(closedCheckRun(["a", "b"], null).title).toBe("Closed without merging: 2 CSRs denied");
    expect(closedCheckRun([], "the app closed this PR itself")).toEqual({
      title: "Closed without merging: nothing denied",
      summary: "The app denied nothing: `the app closed this PR itself`.",
      conclusion: "neutral",
    });
  });
});

function progress(approvers: string[], required: number, blocked = false): Progress {
  return {
    approvers: approvers.map((login, i) => ({ login, id: i + 1, type: "User" })),
    required,
    changesRequestedBy: [],
    ignored: [],
    blockers: blocked ? [{ code: "csr-missing", message: "the CSR is gone" }] : [],
    warnings: [],
    text: "",
  };
}

describe("the check run of an open batch PR reflects the whole batch", () => {
  it("requires the most any record needs and names the records not yet satisfied", () => {
    const text = batchProgressCheckRun([
      { path: "clusters/prod/csr/a/record.yaml", progress: progress(["alice"], 1) },
      { path: "clusters/prod/csr/b/record.yaml", progress: progress(["alice"], 2) },
      { path: "clusters/prod/csr/c/record.yaml", progress: progress([], 3) },
    ]);
    expect(text.title).toBe("0 of 3 code owner approvals; 2 of 3 records not yet satisfied");
    expect(text.conclusion).toBeUndefined();
    expect(text.summary).toContain("This batch holds 3 records");
    expect(text.summary).toContain(
      "- `clusters/prod/csr/b/record.yaml`: 1 of 2 code owner approvals (`alice`)",
    );
    expect(text.summary).toContain(
      "- `clusters/prod/csr/c/record.yaml`: 0 of 3 code owner approvals (none)",
    );
    expect(text.summary).not.toContain("csr/a/record.yaml");
  });

  it("every record with enough approvals for itself: success", () => {
    expect(
      batchProgressCheckRun([
        { path: "a", progress: progress(["alice"], 1) },
        { path: "b", progress: progress(["alice", "bob"], 2) },
      ]),
    ).toMatchObject({
      title: "2 of 2 code owner approvals; all 2 records satisfied",
      conclusion: "success",
    });
  });

  it("one record blocked fails the check and says why", () => {
    const text = batchProgressCheckRun([
      { path: "a", progress: progress(["alice", "bob"], 2) },
      { path: "b", progress: progress(["alice", "bob"], 2, true) },
    ]);
    expect(text.title).toBe(
      "2 of 2 code owner approvals; 1 of 2 records not yet satisfied; blocked",
    );
    expect(text.conclusion).toBe("failure");
    expect(text.summary).toContain("**csr-missing**: `the CSR is gone`");
  });

  it("no record: failure", () => {
    expect(batchProgressCheckRun([])).toMatchObject({ conclusion: "failure" });
  });
});

describe("the check run texts, whole", () => {
  const twoReasons: MergedCsrOutcome = {
    kind: "refused",
    csr: "b",
    codes: ["too-few-approvals", "csr-missing"],
    approvers: ["alice"],
    required: 2,
  };

  it("a merged batch: one line per CSR between the merger and the closing sentence", () => {
    expect(mergedCheckRun([approved("a"), twoReasons], "carol").summary).toBe(
      [
        "Merged by `carol`.",
        "",
        "- ✅ CSR `a`: approved; 2 of 2 code owner approvals (`alice`, `bob`).",
        `- ⛔ CSR \`b\`: not approved: **too-few-approvals** (${REFUSAL_MEANINGS["too-few-approvals"]}); **csr-missing** (${REFUSAL_MEANINGS["csr-missing"]}) 1 of 2 code owner approvals (\`alice\`).`,
        "",
        DECIDED_AT_MERGE,
      ].join("\n"),
    );
  });

  it("one CSR refused for two reasons names both in the title", () => {
    expect(mergedCheckRun([twoReasons], "carol").title).toBe(
      "Not approved: too-few-approvals, csr-missing",
    );
  });

  it("a merged PR with no CSR at all is marked refused, never approved", () => {
    expect(mergedMark([])).toEqual({ kind: "refused", codes: ["check-run-missing"] });
    expect(mergedCheckRun([], null)).toEqual({
      title: "Not approved: 0 of 0 CSRs refused",
      summary: ["Merged by unknown.", "", "", DECIDED_AT_MERGE].join("\n"),
      conclusion: "failure",
    });
  });

  it("closing a PR of two CSRs denies them both", () => {
    expect(closedCheckRun(["a", "b"], null)).toEqual({
      title: "Closed without merging: 2 CSRs denied",
      summary:
        "- 🛑 CSR `a`: denied.\n- 🛑 CSR `b`: denied.\n\nClosing the PR without merging denied them; nothing on GitHub can approve them now.",
      conclusion: "neutral",
    });
  });

  it("closing a PR with nothing pending says so", () => {
    expect(closedCheckRun([], null).summary).toBe(
      "The app denied nothing: `no CSR of this PR was pending`.",
    );
  });

  it("an open batch: the header, then each record not yet satisfied", () => {
    const text = batchProgressCheckRun([
      { path: "clusters/prod/csr/a/record.yaml", progress: progress(["alice"], 1) },
      { path: "clusters/prod/csr/b/record.yaml", progress: progress(["alice"], 2) },
      { path: "clusters/prod/csr/c/record.yaml", progress: progress([], 3) },
    ]);
    expect(text.summary).toBe(
      [
        "This batch holds 3 records; each is approved only with enough code-owner approvals for it (the most any record needs: 3).",
        "",
        "Not yet satisfied:",
        "- `clusters/prod/csr/b/record.yaml`: 1 of 2 code owner approvals (`alice`)",
        "- `clusters/prod/csr/c/record.yaml`: 0 of 3 code owner approvals (none)",
      ].join("\n"),
    );
  });

  it("an open batch with every record satisfied has no 'not yet satisfied' part", () => {
    expect(
      batchProgressCheckRun([
        { path: "a", progress: progress(["alice"], 1) },
        { path: "b", progress: progress(["alice", "bob"], 2) },
      ]).summary,
    ).toBe(
      "This batch holds 2 records; each is approved only with enough code-owner approvals for it (the most any record needs: 2).",
    );
  });

  it("no record: says so", () => {
    expect(batchProgressCheckRun([])).toEqual({
      title: "No record to approve",
      summary: "The app's check run names no record.",
      conclusion: "failure",
    });
  });

  it("a blocker's message and a warning are cut at 300 characters, each warning once", () => {
    const long = `${"x".repeat(250)} ${"y".repeat(150)}`;
    const cut = displayMarkdown(long, { maxLength: 300 });
    expect(cut).not.toBe(displayMarkdown(long));
    const warned: Progress = {
      ...progress(["alice"], 1, true),
      blockers: [{ code: "csr-missing", message: long }],
      warnings: [{ code: "single-approver-policy", message: long }],
    };
    const text = batchProgressCheckRun([
      { path: "a", progress: warned },
      { path: "b", progress: { ...warned, blockers: [] } },
    ]);
    expect(text.summary.split("\n").slice(1)).toEqual([
      "",
      "Not yet satisfied:",
      "- `a`: 1 of 1 code owner approval (`alice`)",
      `  - **csr-missing**: ${cut}`,
      `- ⚠️ ${cut}`,
    ]);
  });
});
