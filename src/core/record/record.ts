/**
 * The audit record of one CSR: built from the decoded CSR and its verdict, rendered to YAML once
 * by the controller, parsed back by the app and `audit`. Pure; never throws on bad input.
 * Format and field meanings: docs/audit-repo.md and docs/schemas/record.schema.json.
 */
import { stringify } from "yaml";
import { decodeBase64Strict } from "../csr/base64.ts";
import { sha256Hex } from "../csr/hashes.ts";
import type { DecodeResult, DecodedRequest } from "../csr/types.ts";
import { loadYaml, type YamlFileError } from "../yaml/load-yaml.ts";
import {
  RECORD_API_VERSION,
  RECORD_KIND,
  RecordSchema,
  type CsrRecord,
  type RecordReason,
} from "./record-schema.ts";

export { RECORD_API_VERSION, RECORD_KIND, RecordSchema } from "./record-schema.ts";
export type { CsrRecord, RecordReason, RecordVerdict } from "./record-schema.ts";

/** Kubernetes deletes a CSR that is still pending this long after its creation. */
export const PENDING_CSR_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** Verdict as the policy (and the cluster-aware checks) give it; codes may come from either. */
export interface VerdictInput {
  readonly decision: "allow" | "deny";
  readonly reasons: readonly RecordReason[];
  readonly notes: readonly RecordReason[];
  readonly requiredApprovals: number;
  readonly signerRule: string | undefined;
}

export interface RecordInput {
  readonly cluster: string;
  readonly recordedAt: Date;
  /** The decoded CSR object; a bare PEM (no object) cannot be recorded. */
  readonly decoded: DecodeResult;
  /** spec.request exactly as the object holds it (base64 text): recorded when it cannot be decoded. */
  readonly specRequest: string;
  readonly verdict: VerdictInput;
  readonly policy: CsrRecord["policy"];
  readonly supersedes: readonly string[];
}

export type BuildRecordResult =
  | { readonly ok: true; readonly record: CsrRecord }
  | { readonly ok: false; readonly message: string };

/** creationTimestamp + 24 h, as RFC 3339 with seconds (what kubectl prints); "" when unknown. */
export function pendingDeadline(creationTimestamp: string): string {
  const created = Date.parse(creationTimestamp);
  if (Number.isNaN(created)) return "";
  return new Date(created + PENDING_CSR_LIFETIME_MS).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function decodedPart(request: DecodedRequest): NonNullable<CsrRecord["request"]["decoded"]> {
  const { subject } = request;
  return {
    subject: {
      commonName: subject.commonName,
      organizations: [...subject.organizations],
      organizationalUnits: [...subject.organizationalUnits],
      attributes: subject.attributes.map(({ type, oid, value }) => ({ type, oid, value })),
    },
    subjectAltNames: request.subjectAltNames.map(({ type, value }) => ({ type, value })),
    publicKey: { ...request.publicKey },
    publicKeySha256: request.publicKeySha256,
    signatureAlgorithm: request.signatureAlgorithm,
    signatureValid: request.signatureValid,
    extensions: request.extensions.map(({ oid, name, critical }) => ({ oid, name, critical })),
  };
}

function copyReason(reason: RecordReason): RecordReason {
  return reason.field === undefined
    ? { code: reason.code, message: reason.message }
    : { code: reason.code, message: reason.message, field: reason.field };
}

/** spec.extra copied key by key, keeping a "__proto__" key as an ordinary own key. */
function copyExtra(extra: Readonly<Record<string, readonly string[]>>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(extra)) {
    Object.defineProperty(out, key, {
      value: [...value],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** The request part when the request could not be decoded: spec.request's own bytes. */
function rawRequestPart(specRequest: string): { sha256: string; pem: string } {
  const bytes = decodeBase64Strict(specRequest) ?? new TextEncoder().encode(specRequest);
  return { sha256: sha256Hex(bytes), pem: Buffer.from(bytes).toString("latin1") };
}

export function buildRecord(input: RecordInput): BuildRecordResult {
  const { decoded } = input;
  const object = decoded.ok ? decoded.csr.object : decoded.object;
  if (object === undefined) {
    return { ok: false, message: "a CSR without its Kubernetes object cannot be recorded" };
  }
  const request: CsrRecord["request"] = decoded.ok
    ? {
        sha256: decoded.csr.request.requestSha256,
        pem: decoded.csr.request.pem,
        decoded: decodedPart(decoded.csr.request),
        decodeError: null,
      }
    : {
        ...rawRequestPart(input.specRequest),
        decoded: null,
        decodeError: { code: decoded.error.code, message: decoded.error.message },
      };
  const { requester } = object;
  const record: CsrRecord = {
    apiVersion: RECORD_API_VERSION,
    kind: RECORD_KIND,
    cluster: input.cluster,
    recordedAt: input.recordedAt.toISOString(),
    csr: {
      name: object.name,
      uid: object.uid,
      creationTimestamp: object.creationTimestamp,
      deadline: pendingDeadline(object.creationTimestamp),
      signerName: object.signerName,
      usages: [...object.usages],
      expirationSeconds: object.expirationSeconds ?? null,
      requester: {
        username: requester.username,
        uid: requester.uid,
        groups: [...requester.groups],
        extra: copyExtra(requester.extra),
      },
    },
    request,
    verdict: {
      decision: input.verdict.decision,
      reasons: input.verdict.reasons.map(copyReason),
      notes: input.verdict.notes.map(copyReason),
      requiredApprovals: input.verdict.requiredApprovals,
      signerRule: input.verdict.signerRule ?? null,
    },
    policy: { ...input.policy },
    supersedes: [...input.supersedes],
  };
  const checked = RecordSchema.safeParse(record);
  if (!checked.success) {
    return { ok: false, message: `record does not match its schema: ${checked.error.message}` };
  }
  return { ok: true, record };
}

/**
 * The record as YAML: keys in schema order, no line folding (the request PEM is a literal block),
 * so the same record always renders to the same bytes and therefore the same git blob. Strings
 * are quoted wherever a YAML 1.1 reader (PyYAML, older Go libraries) would read them as a time,
 * boolean or number, so every auditor's tool reads the same values.
 */
export function renderRecord(record: CsrRecord): string {
  return stringify(record, {
    version: "1.1",
    lineWidth: 0,
    blockQuote: "literal",
    aliasDuplicateObjects: false,
  });
}

/** A record is at most a few kB; spec.request is capped at 1 MiB by the decoder. */
export const MAX_RECORD_CHARS = 4 * 1024 * 1024;

export type ParseRecordResult =
  | { readonly ok: true; readonly record: CsrRecord }
  | { readonly ok: false; readonly errors: readonly YamlFileError[] };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * requester.extra as the YAML holds it, every own key kept (zod's record() drops "__proto__"),
 * read from the data the one YAML parse produced (`loadYaml`'s `data`).
 */
function rawExtra(data: unknown): Record<string, string[]> | undefined {
  if (!isPlainObject(data) || !isPlainObject(data.csr)) return undefined;
  const requester = data.csr.requester;
  if (!isPlainObject(requester) || !isPlainObject(requester.extra)) return undefined;
  const out: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(requester.extra)) {
    if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) return undefined;
    Object.defineProperty(out, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/**
 * Parses a record file (named `file` in errors) with one YAML parse. Any deviation from the schema
 * is an error.
 */
export function parseRecord(text: string, file = "record.yaml"): ParseRecordResult {
  const loaded = loadYaml(text, file, RecordSchema, {
    maxChars: MAX_RECORD_CHARS,
    formatName: "the record format",
  });
  if (!loaded.ok) return loaded;
  const record = loaded.value;
  // The schema has checked every key but "__proto__", which zod's record() drops unread: one
  // whose value is not a list of strings is refused here, not left out.
  const extra = rawExtra(loaded.data);
  if (extra === undefined)
    return {
      ok: false,
      errors: [
        {
          file,
          line: 1,
          column: 1,
          field: "csr.requester.extra",
          message: "expected every value to be a list of strings",
        },
      ],
    };
  return {
    ok: true,
    record: { ...record, csr: { ...record.csr, requester: { ...record.csr.requester, extra } } },
  };
}
