/**
 * Record facts through the record format's own loader and schema (src/core/record/record.ts,
 * src/core/yaml/load-yaml.ts).
 */
import { formatYamlError, loadYaml } from "../core/yaml/load-yaml.ts";
import { MAX_RECORD_CHARS, RecordSchema, type CsrRecord } from "../core/record/record.ts";
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

/**
 * What `parseRecord` accepts, read with one YAML parse. `parseRecord` is `loadYaml` with these
 * options, then a second parse of the whole file only to keep a `__proto__` key of
 * `requester.extra`, which the audit does not read; that second parse would double the cost of the
 * first audit of a repository (docs/benchmarks.md). A test checks both accept and reject alike.
 */
export function parseRecordFacts(text: string): Parsed<RecordFacts> {
  const loaded = loadYaml(text, "record.yaml", RecordSchema, {
    maxChars: MAX_RECORD_CHARS,
    formatName: "the record format",
  });
  if (!loaded.ok) return { ok: false, message: loaded.errors.map(formatYamlError).join("; ") };
  return { ok: true, value: toRecordFacts(loaded.value) };
}
