/**
 * Edges the mutation run found untested (docs/mutation.md): review times that do not parse,
 * policy counts that are not positive integers, the exact words of CSR and close findings, a
 * commit without a committer, and the warning for a repository without CODEOWNERS.
 */
import { describe, expect, it } from "vitest";
import { checkCsr } from "../../../src/core/approval/check-csr.ts";
import { closeTargets } from "../../../src/core/approval/decide-close.ts";
import { approvalProgress, decideApproval } from "../../../src/core/approval/decide.ts";
import { latestOpinions } from "../../../src/core/approval/latest-opinions.ts";
import type { ApprovalSnapshot } from "../../../src/core/approval/snapshot.ts";
import { approvalWarnings } from "../../../src/core/approval/warnings.ts";
import { decoded } from "../policy/decoded-csr.ts";
import {
  ALICE,
  approvable,
  BOB,
  BOT,
  DAVE,
  HEAD,
  liveCsr,
  MERGED_AT,
  OTHER_UID,
  policyWith,
  review,
  withFacts,
} from "./snapshot-fixture.ts";

const record = approvable().record;

function findings(s: ApprovalSnapshot): { code: string; message: string }[] {
  const d = decideApproval(s);
  return d.approve ? [] : d.refusals.map((r) => ({ code: r.code, message: r.message }));
}

describe("review times", () => {
  it("a review without a time, or with one that does not parse, never counts at merge", () => {
    const none = { ...review(ALICE, "APPROVED"), submittedAt: null };
    const garbage = { ...review(BOB, "APPROVED"), submittedAt: "yesterday" };
    const o = latestOpinions([none, garbage], MERGED_AT);
    expect(o.latest).toEqual([]);
    expect(o.afterMerge.map((u) => u.login).sort()).toEqual(["alice", "bob"]);
  });

  it("orders by review id when a time does not parse, whatever the list order", () => {
    const approve = { ...review(ALICE, "APPROVED"), id: 10, submittedAt: "not a time" };
    const block = { ...review(ALICE, "CHANGES_REQUESTED"), id: 11 };
    expect(latestOpinions([block, approve], null).latest.map((l) => l.state)).toEqual([
      "CHANGES_REQUESTED",
    ]);
  });
});

describe("required approvals from a policy object that is not a positive integer", () => {
  it.each([0, 1.5, -1])("%s falls back to two", (n) => {
    const odd = { ...policyWith(1), requiredApprovals: n };
    const at = { ok: true as const, policy: odd, source: "repository" as const, blobSha: null };
    expect(decideApproval(withFacts({ policyAtBase: at, policyAtTip: at })).required).toBe(2);
  });

  it("says which policy is invalid and why", () => {
    const s = withFacts({ policyAtTip: { ok: false, error: "line 3: bad" } });
    expect(findings(s)).toEqual([
      { code: "policy-invalid", message: "the policy at the tip of main is invalid: line 3: bad" },
    ]);
  });
});

describe("the words of the CSR findings", () => {
  it("names a CSR that no longer exists", () => {
    expect(checkCsr(record, { present: false })).toEqual([
      { code: "csr-missing", message: "CSR csr-test no longer exists" },
    ]);
  });

  it("refuses a live object that cannot be read as a CSR object", () => {
    const d = decoded({ bare: true });
    expect(checkCsr(record, { present: true, decoded: d })).toEqual([
      { code: "csr-undecodable", message: "the live CSR could not be read as an object" },
    ]);
  });

  it("says why the live request does not decode", () => {
    const live = liveCsr();
    if (!live.present || !live.decoded.ok) throw new Error("fixture");
    const broken = {
      present: true as const,
      decoded: {
        ok: false as const,
        error: { code: "not-base64" as const, message: "no PEM block" },
        object: live.decoded.csr.object,
      },
    };
    expect(checkCsr(record, broken)).toEqual([
      { code: "csr-undecodable", message: "the live CSR's request does not decode: no PEM block" },
    ]);
  });

  it("names both uids of a re-created CSR", () => {
    expect(checkCsr(record, liveCsr({}, OTHER_UID))).toEqual([
      {
        code: "csr-replaced",
        message: `CSR csr-test now has uid ${OTHER_UID}, the record is for ${record.ok ? record.csrUid : ""}: it was re-created`,
      },
    ]);
  });

  it("says what the CSR already is", () => {
    expect(checkCsr(record, liveCsr({ phase: "Denied" }))).toEqual([
      { code: "csr-already-decided", message: "the CSR is already Denied" },
    ]);
  });
});

describe("the app's commit", () => {
  it("a head commit with no linked committer is not the app's", () => {
    const s = withFacts({ commits: [{ sha: HEAD, author: BOT, committer: null, verified: true }] });
    expect(findings(s).map((f) => f.code)).toContain("head-not-app-commit");
  });
});

describe("close and warnings", () => {
  it("says why a merged or open PR denies nothing", () => {
    const s = approvable();
    const base = {
      app: s.app,
      labels: [],
      checkRunExternalId: s.checkRunExternalId,
      onClose: "deny" as const,
    };
    expect(closeTargets({ ...base, pull: s.pull })).toEqual({
      deny: false,
      skip: "merged",
      message: "the PR was merged",
    });
    expect(
      closeTargets({ ...base, pull: { ...s.pull, merged: false, state: "open", closedBy: DAVE } }),
    ).toEqual({ deny: false, skip: "still-open", message: "the PR is open" });
  });

  it("without CODEOWNERS, the warning names the CODEOWNERS file too", () => {
    const w = approvalWarnings(undefined, 2);
    expect(w.map((x) => x.message).join("\n")).toContain(".github/CODEOWNERS");
    expect(approvalWarnings(undefined, 1)[0]?.message).toBe(
      "single-approver policy: one code owner's approval is enough for this CSR, so one person alone can get it approved",
    );
    expect(approvalProgress(withFacts({ codeowners: undefined })).warnings.length).toBe(w.length);
  });
});
