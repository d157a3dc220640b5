/**
 * The record and receipt formats as the audit reads them, through their owners' parsers in
 * src/core/record: receipt.ts (`parseReceiptMessage` for trailers, `parseReceipt` for the file)
 * and record.ts. This file only maps their results onto the facts the ledger uses.
 */
import { gitBlobSha } from "../core/record/git-blob-sha.ts";
import {
  parseReceipt,
  parseReceiptMessage,
  renderReceiptYaml,
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

/**
 * What `parseReceiptFile` gives for the blob `blobSha`, known without parsing it: when the receipt
 * in `message`'s trailers renders (`renderReceiptYaml`, as the app writes the file) to exactly
 * that blob, the file is that rendering, and a rendering parses back to the receipt it was
 * rendered from (tested in test/audit/parse-ahead.test.ts). undefined in every other case (no
 * trailers, other content, a SHA-256 repository): parse the file. Rendering costs less than half
 * of parsing, and a first audit reads one receipt file per decision.
 */
export function receiptFileFromTrailers(
  message: string,
  blobSha: string,
): Parsed<ReceiptFacts> | undefined {
  if (blobSha.length !== 40 || !RECEIPT_KEY.test(message)) return undefined;
  const trailers = parseReceiptMessage(message);
  if (!trailers.ok || gitBlobSha(renderReceiptYaml(trailers.receipt)) !== blobSha) return undefined;
  return fromResult(trailers);
}
