/**
 * The audit record of one CSR, `clusters/<cluster>/<csr>_<uid>/record.yaml` (docs/audit-repo.md).
 * This zod schema is the single source of the `CsrRecord` type, of `parseRecord`'s validation and
 * of the published JSON Schema (docs/schemas/record.schema.json, written by
 * scripts/write-record-schema.ts). Every object is strict: a record is written by the controller
 * only, so anything unexpected in one is a sign of tampering or of a newer format.
 */
import { z } from "zod";

export const RECORD_API_VERSION = "csr-gitops/record-v1";
export const RECORD_KIND = "CsrRecord";

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, "expected 64 lower-case hex digits");
const gitSha = z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, "expected a git object id");
const timestamp = z.string().meta({ description: "RFC 3339 time." });
/** An identity a record is found and matched by: empty would match nothing, or anything. */
const identity = (what: string) => z.string().min(1, `expected ${what}, not an empty string`);

/** A reason code is stable kebab-case (docs/policy.md, docs/controller.md). */
const reason = z.strictObject({
  code: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "expected a kebab-case reason code"),
  message: z.string(),
  field: z.string().optional(),
});

const requester = z.strictObject({
  username: identity("the requester's username"),
  /** Empty when the authenticator gives none (client certificates, for one). */
  uid: z.string(),
  groups: z.array(z.string()),
  extra: z.record(z.string(), z.array(z.string())),
});

const subjectAltName = z.strictObject({
  type: z.enum(["DNS", "IP", "email", "URI", "other"]),
  value: z.string(),
});

const publicKey = z.discriminatedUnion("algorithm", [
  z.strictObject({ algorithm: z.literal("RSA"), bits: z.int().positive() }),
  z.strictObject({ algorithm: z.literal("ECDSA"), curve: z.enum(["P-256", "P-384", "P-521"]) }),
  z.strictObject({ algorithm: z.literal("Ed25519") }),
]);

const decodedRequest = z.strictObject({
  subject: z.strictObject({
    commonName: z.string(),
    organizations: z.array(z.string()),
    organizationalUnits: z.array(z.string()),
    attributes: z.array(z.strictObject({ type: z.string(), oid: z.string(), value: z.string() })),
  }),
  subjectAltNames: z.array(subjectAltName),
  publicKey,
  publicKeySha256: hex64,
  signatureAlgorithm: z.string(),
  signatureValid: z.boolean(),
  extensions: z.array(z.strictObject({ oid: z.string(), name: z.string(), critical: z.boolean() })),
});

export const RecordSchema = z
  .strictObject({
    apiVersion: z.literal(RECORD_API_VERSION),
    kind: z.literal(RECORD_KIND),
    cluster: identity("the cluster's name").meta({
      description: "The configured cluster name (a DNS label).",
    }),
    recordedAt: timestamp,
    csr: z.strictObject({
      name: identity("the CSR's name"),
      uid: identity("the CSR's uid"),
      creationTimestamp: timestamp,
      deadline: timestamp.meta({
        description: "creationTimestamp + 24 h: when Kubernetes deletes the CSR if still pending.",
      }),
      signerName: z.string(),
      usages: z.array(z.string()),
      expirationSeconds: z.int().nonnegative().nullable(),
      requester,
    }),
    request: z.strictObject({
      sha256: hex64.meta({
        description:
          "SHA-256 of the DER request; when it could not be decoded, of the spec.request bytes.",
      }),
      pem: z.string().meta({
        description:
          "The request as one canonical PEM block; when it could not be decoded, spec.request as given (latin1).",
      }),
      decoded: decodedRequest.nullable(),
      decodeError: z.strictObject({ code: z.string(), message: z.string() }).nullable(),
    }),
    verdict: z.strictObject({
      decision: z.enum(["allow", "deny"]),
      reasons: z.array(reason),
      notes: z.array(reason),
      requiredApprovals: z.int().min(1),
      signerRule: z.string().nullable(),
    }),
    policy: z.strictObject({
      source: z.enum(["builtin", "repository"]),
      blobSha: gitSha.nullable(),
      configBlobSha: gitSha.nullable(),
      baseCommit: gitSha,
    }),
    supersedes: z.array(z.string()).meta({
      description: "uids of earlier CSRs of the same requester for the same identity.",
    }),
  })
  .meta({ title: "csr-gitops CSR audit record" });

export type CsrRecord = z.output<typeof RecordSchema>;
export type RecordReason = CsrRecord["verdict"]["reasons"][number];
export type RecordVerdict = CsrRecord["verdict"];
