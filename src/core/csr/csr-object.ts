import { z } from "zod";
import { failure, type Failure } from "./decode-error.ts";
import { csrPhase } from "./phase.ts";
import type { CsrCondition, CsrObjectInfo } from "./types.ts";

/**
 * Timestamps arrive as RFC 3339 text from YAML/JSON, or as Date from @kubernetes/client-node
 * objects. Both become the text kubectl prints ("2025-01-01T00:00:00Z").
 */
const timestamp = z
  .union([z.string(), z.date()])
  .transform((t) => (typeof t === "string" ? t : t.toISOString().replace(/\.000Z$/, "Z")));

const condition = z.object({
  type: z.string(),
  status: z.string().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
  lastUpdateTime: timestamp.optional(),
});

/**
 * Only the fields decoding needs; everything else in the object is ignored. An absent field is
 * `.optional()` here and given its default ("", [], no conditions) where the output is built
 * below: the same check of every present field as `.default()`, for about half zod's time per
 * object (zod builds a `.default()` value afresh each time it is used).
 */
const csrObjectSchema = z.object({
  metadata: z.object({
    name: z.string().min(1),
    uid: z.string().optional(),
    resourceVersion: z.string().optional(),
    creationTimestamp: timestamp.optional(),
  }),
  spec: z.object({
    request: z.string().min(1),
    signerName: z.string().min(1),
    usages: z.array(z.string()).optional(),
    expirationSeconds: z.number().int().nonnegative().optional(),
    username: z.string().optional(),
    uid: z.string().optional(),
    groups: z.array(z.string()).optional(),
    extra: z.record(z.string(), z.array(z.string())).optional(),
  }),
  status: z
    .object({
      conditions: z.array(condition).optional(),
      certificate: z.string().optional(),
    })
    .optional(),
});

export type CsrObjectFields = { ok: true; info: CsrObjectInfo; request: string } | Failure;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * spec.extra with every own key kept. zod's record leaves out a "__proto__" key (it cannot be
 * assigned as a plain property), which would hide that entry from the PR and the audit record;
 * defineProperty keeps it as an ordinary own key without touching any prototype.
 */
function extraOf(raw: unknown): Record<string, string[]> | undefined {
  if (raw === undefined) return {};
  if (!isRecord(raw)) return undefined;
  const out: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) return undefined;
    Object.defineProperty(out, key, {
      value: [...value],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** "spec.usages[1]" from a zod issue path. */
function fieldPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const key of path)
    text += typeof key === "number" ? `[${key}]` : `${text === "" ? "" : "."}${String(key)}`;
  return text === "" ? "(object)" : text;
}

/**
 * Validates a CertificateSigningRequest object (parsed YAML/JSON, or a client-node object) and
 * returns its metadata, spec and phase, plus the still-encoded spec.request.
 */
export function parseCsrObject(obj: unknown): CsrObjectFields {
  if (!isRecord(obj)) return failure("not-a-csr-object", "input is not an object");
  const kind = obj.kind;
  if (kind !== undefined && kind !== "CertificateSigningRequest") {
    return failure(
      "not-a-csr-object",
      `kind is ${JSON.stringify(kind)}, expected "CertificateSigningRequest"`,
    );
  }
  const apiVersion = obj.apiVersion;
  if (
    apiVersion !== undefined &&
    (typeof apiVersion !== "string" || !apiVersion.startsWith("certificates.k8s.io/"))
  ) {
    return failure(
      "not-a-csr-object",
      `apiVersion is ${JSON.stringify(apiVersion)}, expected certificates.k8s.io/v1`,
    );
  }
  const parsed = csrObjectSchema.safeParse(obj);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? "(object)" : fieldPath(issue.path);
    return failure("invalid-object-field", `${where}: ${issue?.message ?? "invalid"}`);
  }
  const { metadata, spec, status } = parsed.data;
  const extra = extraOf(isRecord(obj.spec) ? obj.spec.extra : undefined);
  if (extra === undefined)
    return failure("invalid-object-field", "spec.extra: expected a map of string lists");
  const conditions = (status?.conditions ?? []).map((c): CsrCondition => ({
    type: c.type,
    status: c.status ?? "",
    ...(c.reason === undefined ? {} : { reason: c.reason }),
    ...(c.message === undefined ? {} : { message: c.message }),
    ...(c.lastUpdateTime === undefined ? {} : { lastUpdateTime: c.lastUpdateTime }),
  }));
  return {
    ok: true,
    request: spec.request,
    info: {
      name: metadata.name,
      uid: metadata.uid ?? "",
      resourceVersion: metadata.resourceVersion ?? "",
      creationTimestamp: metadata.creationTimestamp ?? "",
      signerName: spec.signerName,
      usages: spec.usages ?? [],
      expirationSeconds: spec.expirationSeconds,
      requester: {
        username: spec.username ?? "",
        uid: spec.uid ?? "",
        groups: spec.groups ?? [],
        extra,
      },
      phase: csrPhase(conditions, status?.certificate),
      conditions,
    },
  };
}
