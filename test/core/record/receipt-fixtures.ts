/** Certificate receipts as the app writes them: a certificate issued, and a signer that failed. */
import type { CertificateReceipt } from "../../../src/core/record/receipt.ts";

const uid = "5b0c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3";

export const issued: CertificateReceipt = {
  kind: "CertificateReceipt",
  outcome: "issued",
  cluster: "prod-eu",
  csrName: "csr-8k2lq",
  csrUid: uid,
  record: `clusters/prod-eu/csr-8k2lq_${uid}/record.yaml`,
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
