/**
 * Checks one record's content: it parses (with the record format's own parser), it describes the
 * CSR its path names, and its request digest is the SHA-256 of its request's DER.
 */
import { pemToDer } from "../core/csr/pem.ts";
import { sha256Hex } from "../core/csr/hashes.ts";
import type { CsrKey } from "../core/record/layout.ts";
import type { Formats, RecordFacts } from "./facts.ts";
import type { FindingCode } from "./finding.ts";
import type { RecordCache } from "./record-cache.ts";

export type RecordCheck =
  | { readonly ok: true; readonly record: RecordFacts }
  | { readonly ok: false; readonly code: FindingCode; readonly detail: string };

export function checkRecord(
  key: CsrKey,
  blob: string,
  text: string | undefined,
  formats: Formats,
  cache: RecordCache | undefined,
): RecordCheck {
  let parsed = cache?.records.get(blob);
  if (parsed === undefined) {
    if (text === undefined)
      return { ok: false, code: "record-invalid", detail: "the record's blob could not be read" };
    parsed = formats.parseRecord(text);
    cache?.records.set(blob, parsed);
  }
  if (!parsed.ok) return { ok: false, code: "record-invalid", detail: parsed.message };
  const record = parsed.value;
  if (record.cluster !== key.cluster || record.name !== key.name || record.uid !== key.uid)
    return {
      ok: false,
      code: "record-path-mismatch",
      detail: `the record describes ${record.cluster}/${record.name}_${record.uid}`,
    };
  // A decoded request's digest is of its DER; an undecodable one's of spec.request's raw bytes,
  // which the record keeps as latin1 text.
  let digest: string;
  if (record.requestDecoded) {
    const der = pemToDer(record.requestPem);
    if (!der.ok)
      return { ok: false, code: "record-invalid", detail: `request: ${der.error.message}` };
    digest = sha256Hex(der.der);
  } else digest = sha256Hex(Buffer.from(record.requestPem, "latin1"));
  if (digest !== record.requestSha256)
    return {
      ok: false,
      code: "record-digest-invalid",
      detail: `request.sha256 is ${record.requestSha256} but the request hashes to ${digest}`,
    };
  return { ok: true, record };
}
