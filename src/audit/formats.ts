/**
 * The record and receipt formats as the audit reads them, through their owners' parsers in
 * src/core/record: receipt.ts (`parseReceiptMessage` for trailers, `parseReceipt` for the file)
 * and record.ts. This file only maps their results onto the facts the ledger uses.
 */
import {
  parseReceipt,
  parseReceiptMessage,
  TRAILER_KEYS,
  type Receipt,
} from "../core/record/receipt.ts";
import type { Formats, Parsed, ReceiptFacts } from "./facts.ts";
import { parseRecordFacts } from "./record-facts.ts";

function toFacts(receipt: Receipt): ReceiptFacts {
  if (receipt.kind === "DecisionReceipt")
    return {
      kind: "decision",
      decision: receipt.decision,
      cluster: receipt.cluster,
      csrName: receipt.csrName,
      csrUid: receipt.csrUid,
      requestSha256: receipt.requestSha256,
      recordPath: receipt.record,
      recordBlob: receipt.recordBlob,
      pullRequest: receipt.pullRequest ?? undefined,
      mergeCommit: receipt.mergeCommit ?? undefined,
      mergedBy: receipt.mergedBy ?? undefined,
      approvedBy: receipt.approvedBy,
      requiredApprovals: receipt.requiredApprovals,
      policyBlob: receipt.policyBlob,
      closedBy: receipt.closedBy ?? undefined,
      reason: receipt.reason ?? undefined,
      refused: receipt.refused,
      decidedAt: receipt.decidedAt,
    };
  return {
    kind: "certificate",
    outcome: receipt.outcome,
    cluster: receipt.cluster,
    csrName: receipt.csrName,
    csrUid: receipt.csrUid,
    recordPath: receipt.record,
    serial: receipt.serial ?? undefined,
    notBefore: receipt.notBefore ?? undefined,
    notAfter: receipt.notAfter ?? undefined,
    issuer: receipt.issuer ?? undefined,
    certificateSha256: receipt.certificateSha256 ?? undefined,
    matchesRequest: receipt.matchesRequest ?? undefined,
    mismatches: receipt.mismatches,
    failure: receipt.failure ?? undefined,
    recordedAt: receipt.recordedAt,
  };
}

const RECEIPT_KEY = new RegExp(`^${TRAILER_KEYS.receipt}:`, "im");

function fromResult(result: ReturnType<typeof parseReceipt>): Parsed<ReceiptFacts> {
  return result.ok
    ? { ok: true, value: toFacts(result.receipt) }
    : { ok: false, message: result.error };
}

export const FORMATS: Formats = {
  parseRecord: parseRecordFacts,
  parseReceipt: (message) =>
    RECEIPT_KEY.test(message) ? fromResult(parseReceiptMessage(message)) : undefined,
  parseReceiptFile: (text) => fromResult(parseReceipt(text)),
};
