/**
 * Condition 2: the live CSR has the record's uid and request digest and is still pending (no
 * Approved, Denied or Failed condition, whatever its status). Pure.
 */
import type { Finding } from "./finding.ts";
import type { RefusalCode } from "./reason-codes.ts";
import type { LiveCsr, RecordFacts } from "./snapshot.ts";

const DECISIONS: ReadonlySet<string> = new Set(["Approved", "Denied", "Failed"]);

export function checkCsr(record: RecordFacts, live: LiveCsr): Finding<RefusalCode>[] {
  if (!record.ok) return []; // reported by checkPull; there is nothing to compare with
  if (!live.present)
    return [{ code: "csr-missing", message: `CSR ${record.csrName} no longer exists` }];
  const object = live.decoded.ok ? live.decoded.csr.object : live.decoded.object;
  if (object === undefined)
    return [{ code: "csr-undecodable", message: "the live CSR could not be read as an object" }];
  if (object.uid !== record.csrUid)
    return [
      {
        code: "csr-replaced",
        message: `CSR ${record.csrName} now has uid ${object.uid}, the record is for ${record.csrUid}: it was re-created`,
      },
    ];
  const findings: Finding<RefusalCode>[] = [];
  if (!live.decoded.ok)
    findings.push({
      code: "csr-undecodable",
      message: `the live CSR's request does not decode: ${live.decoded.error.message}`,
    });
  else if (live.decoded.csr.request.requestSha256 !== record.requestSha256)
    findings.push({
      code: "request-digest-mismatch",
      message: `the live request's SHA-256 is ${live.decoded.csr.request.requestSha256}, the record's ${record.requestSha256}`,
    });
  const decided = object.conditions.find((c) => DECISIONS.has(c.type));
  if (object.phase !== "Pending" || decided !== undefined)
    findings.push({
      code: "csr-already-decided",
      message: `the CSR is already ${decided?.type ?? object.phase}`,
    });
  return findings;
}
