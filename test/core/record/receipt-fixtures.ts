/**
 * Receipts as the app writes them, shared by the receipt tests: decisions (an approval by two
 * owners, a close that denies, a refusal) and certificates (issued, and a signer that failed).
 */
import type { CertificateReceipt, DecisionReceipt } from "../../../src/core/record/receipt.ts";

export const uid = "5b0c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3";
export const record = `clusters/prod-eu/csr-8k2lq_${uid}/record.yaml`;

export const approved: DecisionReceipt = {
  kind: "DecisionReceipt",
  decision: "approved",
  cluster: "prod-eu",
  csrName: "csr-8k2lq",
  csrUid: uid,
  requestSha256: "c".repeat(64),
  record,
  recordBlob: "a".repeat(40),
  pullRequest: 12,
  mergeCommit: "b".repeat(40),
  mergedBy: { login: "carol", id: 1003 },
  approvedBy: [
    { login: "alice", id: 1001 },
    { login: "bob", id: 1002 },
  ],
  requiredApprovals: 2,
  policyBlob: "builtin",
  closedBy: null,
  reason: null,
  refused: [],
  decidedAt: "2026-11-29T16:40:00.000Z",
};

/** The PR closed unmerged by an owner, with a reason. */
export const denied: DecisionReceipt = {
  ...approved,
  decision: "denied",
  mergeCommit: null,
  mergedBy: null,
  approvedBy: [],
  closedBy: { login: "dave", id: 1004 },
  reason: "not ours",
};

/** Merged, but one owner's approval short and the head not the app's commit. */
export const refused: DecisionReceipt = {
  ...approved,
  decision: "refused",
  approvedBy: [{ login: "alice", id: 1001 }],
  refused: ["too-few-approvals", "head-not-app-commit"],
};

export const issued: CertificateReceipt = {
  kind: "CertificateReceipt",
  outcome: "issued",
  cluster: "prod-eu",
  csrName: "csr-8k2lq",
  csrUid: uid,
  record,
  serial: "01ab",
  notBefore: "2026-11-29T16:40:00.000Z",
  notAfter: "2027-11-29T16:40:00.000Z",
  issuer: "CN=kubernetes",
  certificateSha256: "e".repeat(64),
  matchesRequest: true,
  mismatches: [],
  failure: null,
  recordedAt: "2026-11-29T16:41:00.000Z",
};

export const failed: CertificateReceipt = {
  ...issued,
  outcome: "failed",
  serial: null,
  notBefore: null,
  notAfter: null,
  issuer: null,
  certificateSha256: null,
  matchesRequest: null,
  failure: "SignerValidationFailure: invalid usage",
};
