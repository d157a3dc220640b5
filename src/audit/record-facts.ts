/** Record facts through the record format's own parser (src/core/record/record.ts). */
import { formatYamlError } from "../core/yaml/load-yaml.ts";
import { parseRecord, type CsrRecord } from "../core/record/record.ts";
import type { Parsed, RecordFacts } from "./facts.ts";

function subjectOf(record: CsrRecord): string {
  const s = record.request.decoded?.subject;
  if (s === undefined) return "";
  return [
    ...(s.commonName === "" ? [] : [`CN=${s.commonName}`]),
    ...s.organizations.map((o) => `O=${o}`),
    ...s.organizationalUnits.map((o) => `OU=${o}`),
  ].join(", ");
}

export function toRecordFacts(record: CsrRecord): RecordFacts {
  return {
    cluster: record.cluster,
    name: record.csr.name,
    uid: record.csr.uid,
    recordedAt: record.recordedAt,
    creationTimestamp: record.csr.creationTimestamp,
    signerName: record.csr.signerName,
    usages: record.csr.usages,
    expirationSeconds: record.csr.expirationSeconds,
    requester: { username: record.csr.requester.username, groups: record.csr.requester.groups },
    requestSha256: record.request.sha256,
    requestPem: record.request.pem,
    requestDecoded: record.request.decoded !== null,
    subject: subjectOf(record),
    subjectAltNames:
      record.request.decoded?.subjectAltNames.map((s) => `${s.type}:${s.value}`) ?? [],
    publicKeySha256: record.request.decoded?.publicKeySha256,
    verdict: {
      decision: record.verdict.decision,
      reasonCodes: record.verdict.reasons.map((r) => r.code),
      requiredApprovals: record.verdict.requiredApprovals,
    },
  };
}

/** A record file through the record format's own parser (one YAML parse), as facts. */
export function parseRecordFacts(text: string): Parsed<RecordFacts> {
  const parsed = parseRecord(text);
  if (!parsed.ok) return { ok: false, message: parsed.errors.map(formatYamlError).join("; ") };
  return { ok: true, value: toRecordFacts(parsed.record) };
}
