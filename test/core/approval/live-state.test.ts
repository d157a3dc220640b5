/**
 * The live CSR's state as the merge-time decision and a close read it (a decision condition counts
 * whatever the phase says), the approvals required when only one policy can be read, and check
 * runs whose entries are not records.
 */
import { describe, expect, it } from "vitest";
import { checkCsr } from "../../../src/core/approval/check-csr.ts";
import { closeCsrDecision, closeTargets } from "../../../src/core/approval/decide-close.ts";
import { decideApproval } from "../../../src/core/approval/decide.ts";
import { renderExternalId } from "../../../src/core/approval/external-id.ts";
import type { ApprovalSnapshot, LiveCsr } from "../../../src/core/approval/snapshot.ts";
import type { CsrObjectInfo, CsrPhase } from "../../../src/core/csr/types.ts";
import {
  approvable,
  BLOB,
  DAVE,
  liveCsr,
  policyWith,
  RECORD_PATH,
  UID,
  withFacts,
} from "./snapshot-fixture.ts";

const record = approvable().record;
const key = { cluster: "prod", name: "csr-test", uid: UID };

/** The fixture's live CSR with its phase and conditions set by hand. */
function liveWith(phase: CsrPhase, conditionTypes: readonly string[]): LiveCsr {
  const live = liveCsr();
  if (!live.present || !live.decoded.ok || live.decoded.csr.object === undefined)
    throw new Error("fixture");
  const object: CsrObjectInfo = {
    ...live.decoded.csr.object,
    phase,
    conditions: conditionTypes.map((type) => ({ type, status: "True" })),
  };
  return { present: true, decoded: { ...live.decoded, csr: { ...live.decoded.csr, object } } };
}

function refusals(s: ApprovalSnapshot): { code: string; message: string }[] {
  const d = decideApproval(s);
  return d.approve ? [] : d.refusals.map((r) => ({ code: r.code, message: r.message }));
}

describe("a CSR already decided", () => {
  it.each(["Approved", "Denied", "Failed"])(
    "a %s condition decides it even while the phase says Pending",
    (type) => {
      expect(checkCsr(record, liveWith("Pending", [type]))).toEqual([
        { code: "csr-already-decided", message: `the CSR is already ${type}` },
      ]);
      expect(closeCsrDecision(key, liveWith("Pending", [type]))).toEqual({
        deny: false,
        skip: "csr-already-decided",
      });
    },
  );

  it("an issued CSR is named by its decision condition", () => {
    expect(checkCsr(record, liveCsr({ phase: "Issued" }))).toEqual([
      { code: "csr-already-decided", message: "the CSR is already Approved" },
    ]);
  });

  it("a phase other than Pending decides it even without a decision condition", () => {
    expect(checkCsr(record, liveWith("Issued", []))).toEqual([
      { code: "csr-already-decided", message: "the CSR is already Issued" },
    ]);
    expect(closeCsrDecision(key, liveWith("Issued", []))).toEqual({
      deny: false,
      skip: "csr-already-decided",
    });
  });

  it("a condition that is no decision leaves a pending CSR pending", () => {
    expect(checkCsr(record, liveWith("Pending", ["Progressing"]))).toEqual([]);
    expect(closeCsrDecision(key, liveWith("Pending", ["Progressing"]))).toEqual({ deny: true });
  });

  it("a live request with another digest names both digests", () => {
    const other = "9".repeat(64);
    const s = withFacts({ record: record.ok ? { ...record, requestSha256: other } : record });
    const live =
      s.live.present && s.live.decoded.ok ? s.live.decoded.csr.request.requestSha256 : "";
    expect(refusals(s)).toEqual([
      {
        code: "request-digest-mismatch",
        message: `the live request's SHA-256 is ${live}, the record's ${other}`,
      },
    ]);
  });
});

describe("approvals required when one policy cannot be read", () => {
  it("the readable policy's larger count applies", () => {
    const three = {
      ok: true as const,
      policy: policyWith(3),
      source: "repository" as const,
      blobSha: null,
    };
    const broken = { ok: false as const, error: "bad" };
    expect(decideApproval(withFacts({ policyAtBase: broken, policyAtTip: three })).required).toBe(
      3,
    );
  });

  it("a readable policy needing one still needs two while the other is unreadable", () => {
    const one = {
      ok: true as const,
      policy: policyWith(1),
      source: "repository" as const,
      blobSha: null,
    };
    const broken = { ok: false as const, error: "bad" };
    expect(decideApproval(withFacts({ policyAtBase: one, policyAtTip: broken })).required).toBe(2);
  });
});

describe("check run entries that are not records", () => {
  it("a check run naming a receipt instead of the record does not make the branch the app's", () => {
    const decision = `clusters/prod/csr-test_${UID}/decision.yaml`;
    const s = withFacts({
      checkRunExternalId: renderExternalId({
        records: [{ path: decision, blobSha: BLOB }],
        tampered: false,
      }),
    });
    expect(refusals(s).map((r) => r.code)).toEqual([
      "not-app-branch",
      "files-not-record",
      "record-path-mismatch",
    ]);
  });

  it("a close skips an entry whose path is no CSR file and denies the record beside it", () => {
    const s = approvable();
    const targets = closeTargets({
      app: s.app,
      pull: { ...s.pull, merged: false, mergedAt: null, mergeCommitSha: null, closedBy: DAVE },
      labels: [],
      checkRunExternalId: renderExternalId({
        records: [
          { path: "clusters/not-a-csr-file", blobSha: BLOB },
          { path: RECORD_PATH, blobSha: BLOB },
        ],
        tampered: false,
      }),
      onClose: "deny",
    });
    expect(targets).toEqual({ deny: true, keys: [key], closedBy: DAVE });
  });
});
