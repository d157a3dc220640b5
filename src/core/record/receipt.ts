/**
 * Receipts (docs/audit-repo.md, "Receipts"): what the app wrote to Kubernetes, recorded in git as a
 * file next to the record and as the trailers of the commit that adds it. One module renders both
 * forms and parses both back (`audit` reads them), so the format has exactly one definition.
 * Pure; never throws on bad input (parsers return a tagged result).
 */
import { parse as parseYaml, stringify } from "yaml";
import { z } from "zod";
import { parseTrailers, renderMessage, trailerValue, type Trailer } from "./trailers.ts";

export const RECEIPT_API_VERSION = "csr-gitops/receipt-v1";
export const DECISION_RECEIPT_TRAILER = "decision/v1";
export const CERTIFICATE_RECEIPT_TRAILER = "certificate/v1";
/** Longest person-written reason kept (the closer's last comment), in characters. */
export const REASON_MAX = 300;

/** A GitHub account as receipts name it: login and the numeric id that a rename cannot move. */
export interface GitHubPerson {
  readonly login: string;
  readonly id: number;
}

export type DecisionOutcome = "approved" | "denied" | "refused";

export interface DecisionReceipt {
  readonly kind: "DecisionReceipt";
  readonly decision: DecisionOutcome;
  readonly cluster: string;
  readonly csrName: string;
  readonly csrUid: string;
  readonly requestSha256: string;
  /** Path of the record file. */
  readonly record: string;
  /** Git blob SHA of the record the app wrote. */
  readonly recordBlob: string;
  /** Null when no PR was involved (a CSR denied at once by `policyDenied: deny`). */
  readonly pullRequest: number | null;
  readonly mergeCommit: string | null;
  readonly mergedBy: GitHubPerson | null;
  /** The approvals that counted (approved), or that were found (refused); empty when denied. */
  readonly approvedBy: readonly GitHubPerson[];
  readonly requiredApprovals: number;
  /** Git blob SHA of the policy file the decision used, or "builtin". */
  readonly policyBlob: string;
  /** Denied: who closed the PR (null when the policy denied at once). */
  readonly closedBy: GitHubPerson | null;
  /** Denied: the closer's last comment (one line, capped), or the policy's reason codes. */
  readonly reason: string | null;
  /** Refused: the stable code of every failed check. */
  readonly refused: readonly string[];
  readonly decidedAt: string;
}

export interface CertificateReceipt {
  readonly kind: "CertificateReceipt";
  /** issued: the signer wrote a certificate; failed: it set the Failed condition instead. */
  readonly outcome: "issued" | "failed";
  readonly cluster: string;
  readonly csrName: string;
  readonly csrUid: string;
  readonly record: string;
  readonly serial: string | null;
  readonly notBefore: string | null;
  readonly notAfter: string | null;
  readonly issuer: string | null;
  readonly certificateSha256: string | null;
  /** True when public key, subject, SANs and usages match the approved request; null if failed. */
  readonly matchesRequest: boolean | null;
  readonly mismatches: readonly string[];
  /** failed: the Failed condition's reason and message (one line, capped). */
  readonly failure: string | null;
  readonly recordedAt: string;
}

export type Receipt = DecisionReceipt | CertificateReceipt;

export type ReceiptParseResult =
  { readonly ok: true; readonly receipt: Receipt } | { readonly ok: false; readonly error: string };

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;
const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
const HEX64 = /^[0-9a-f]{64}$/;

const person = z.strictObject({ login: z.string().regex(LOGIN), id: z.int().positive() });
const sha = z.string().regex(SHA);
const text = z.string().max(REASON_MAX * 4);
const time = z.iso.datetime({ offset: true });
const code = z.string().regex(/^[a-z0-9][a-z0-9-]*$/);

const decisionSchema = z
  .strictObject({
    apiVersion: z.literal(RECEIPT_API_VERSION),
    kind: z.literal("DecisionReceipt"),
    decision: z.enum(["approved", "denied", "refused"]),
    cluster: z.string().min(1),
    csrName: z.string().min(1),
    csrUid: z.string().min(1),
    requestSha256: z.string().regex(HEX64),
    record: z.string().min(1),
    recordBlob: sha,
    pullRequest: z.int().positive().nullable(),
    mergeCommit: sha.nullable(),
    mergedBy: person.nullable(),
    approvedBy: z.array(person),
    requiredApprovals: z.int().min(1),
    policyBlob: z.union([sha, z.literal("builtin")]),
    closedBy: person.nullable(),
    reason: text.nullable(),
    refused: z.array(code),
    decidedAt: time,
  })
  .check((ctx) => {
    const r = ctx.value;
    const problem = decisionShapeProblem(r);
    if (problem !== undefined) ctx.issues.push({ code: "custom", message: problem, input: r });
  });

/** What each decision must carry (and must not), beyond the field formats. */
function decisionShapeProblem(r: {
  decision: DecisionOutcome;
  pullRequest: number | null;
  mergeCommit: string | null;
  mergedBy: GitHubPerson | null;
  approvedBy: readonly GitHubPerson[];
  closedBy: GitHubPerson | null;
  refused: readonly string[];
}): string | undefined {
  const merged = r.pullRequest !== null && r.mergeCommit !== null && r.mergedBy !== null;
  switch (r.decision) {
    case "approved":
      if (!merged) return "an approved receipt names the PR, its merge commit and its merger";
      if (r.approvedBy.length === 0) return "an approved receipt names its approvers";
      if (new Set(r.approvedBy.map((p) => p.id)).size !== r.approvedBy.length)
        return "an approver is named twice";
      if (r.refused.length > 0 || r.closedBy !== null)
        return "an approved receipt has no refusals and no closer";
      return undefined;
    case "refused":
      if (!merged) return "a refused receipt names the PR, its merge commit and its merger";
      if (r.refused.length === 0) return "a refused receipt names every failed check";
      return undefined;
    case "denied":
      if (r.approvedBy.length > 0 || r.mergeCommit !== null)
        return "a denied receipt has no approvers and no merge commit";
      return undefined;
  }
}

const certificateSchema = z.strictObject({
  apiVersion: z.literal(RECEIPT_API_VERSION),
  kind: z.literal("CertificateReceipt"),
  outcome: z.enum(["issued", "failed"]),
  cluster: z.string().min(1),
  csrName: z.string().min(1),
  csrUid: z.string().min(1),
  record: z.string().min(1),
  serial: z
    .string()
    .regex(/^[0-9a-f]+$/)
    .nullable(),
  notBefore: time.nullable(),
  notAfter: time.nullable(),
  issuer: text.nullable(),
  certificateSha256: z.string().regex(HEX64).nullable(),
  matchesRequest: z.boolean().nullable(),
  mismatches: z.array(text),
  failure: text.nullable(),
  recordedAt: time,
});

/** Folds a person-written string to one capped line (also what the trailers hold). */
export function receiptText(value: string): string {
  return trailerValue(value);
}

function normalizeDecision(r: DecisionReceipt): DecisionReceipt {
  return { ...r, reason: r.reason === null ? null : receiptText(r.reason) };
}

function normalizeCertificate(r: CertificateReceipt): CertificateReceipt {
  return {
    ...r,
    issuer: r.issuer === null ? null : receiptText(r.issuer),
    failure: r.failure === null ? null : receiptText(r.failure),
    mismatches: r.mismatches.map(receiptText),
  };
}

/**
 * The receipt file (decision.yaml or certificate.yaml). Key order is fixed. No YAML aliases: a
 * person object given twice (the merger who also approved) is written out twice, since
 * parseReceipt, like any careful reader, refuses aliases.
 */
export function renderReceiptYaml(receipt: Receipt): string {
  const body =
    receipt.kind === "DecisionReceipt" ? normalizeDecision(receipt) : normalizeCertificate(receipt);
  const { kind, ...rest } = body;
  return stringify(
    { apiVersion: RECEIPT_API_VERSION, kind, ...rest },
    { lineWidth: 0, aliasDuplicateObjects: false },
  );
}

function zodError(error: z.ZodError): string {
  return error.issues
    .map((i) => `${i.path.length === 0 ? "(root)" : i.path.join(".")}: ${i.message}`)
    .join("; ");
}

/** Reads a receipt file back; anything off the schema is an error naming the field. */
export function parseReceipt(yamlText: string): ReceiptParseResult {
  let data: unknown;
  try {
    data = parseYaml(yamlText, { maxAliasCount: 0 });
  } catch (cause) {
    return { ok: false, error: `not YAML: ${cause instanceof Error ? cause.message : "?"}` };
  }
  return validate(data);
}

function withoutApiVersion<T extends { apiVersion: string }>(data: T): Omit<T, "apiVersion"> {
  const copy: Partial<T> = { ...data };
  delete copy.apiVersion;
  return copy as Omit<T, "apiVersion">;
}

/** One schema check for both forms (file and trailers). */
function validate(data: unknown): ReceiptParseResult {
  const kind = (data as { kind?: unknown } | null)?.kind;
  if (kind === "DecisionReceipt") {
    const parsed = decisionSchema.safeParse(data);
    if (!parsed.success) return { ok: false, error: zodError(parsed.error) };
    return { ok: true, receipt: withoutApiVersion(parsed.data) };
  }
  if (kind === "CertificateReceipt") {
    const parsed = certificateSchema.safeParse(data);
    if (!parsed.success) return { ok: false, error: zodError(parsed.error) };
    return { ok: true, receipt: withoutApiVersion(parsed.data) };
  }
  return { ok: false, error: "kind: expected DecisionReceipt or CertificateReceipt" };
}

// ---- trailers -------------------------------------------------------------------------------

const P = "Csr-Gitops-";
export const TRAILER_KEYS = {
  receipt: `${P}Receipt`,
  decision: `${P}Decision`,
  outcome: `${P}Outcome`,
  cluster: `${P}Cluster`,
  csrName: `${P}Csr-Name`,
  csrUid: `${P}Csr-Uid`,
  requestSha256: `${P}Request-Sha256`,
  record: `${P}Record`,
  recordBlob: `${P}Record-Blob`,
  pullRequest: `${P}Pull-Request`,
  mergeCommit: `${P}Merge-Commit`,
  mergedBy: `${P}Merged-By`,
  approvedBy: `${P}Approved-By`,
  requiredApprovals: `${P}Required-Approvals`,
  policyBlob: `${P}Policy-Blob`,
  closedBy: `${P}Closed-By`,
  reason: `${P}Reason`,
  refused: `${P}Refused`,
  decidedAt: `${P}Decided-At`,
  serial: `${P}Serial`,
  notBefore: `${P}Not-Before`,
  notAfter: `${P}Not-After`,
  issuer: `${P}Issuer`,
  certificateSha256: `${P}Certificate-Sha256`,
  matchesRequest: `${P}Matches-Request`,
  mismatch: `${P}Mismatch`,
  failure: `${P}Failure`,
  recordedAt: `${P}Recorded-At`,
} as const;
const K = TRAILER_KEYS;

/** `carol (id 1003)`. */
export function renderPerson(p: GitHubPerson): string {
  return `${p.login} (id ${String(p.id)})`;
}

export function parsePerson(value: string): GitHubPerson | undefined {
  const match = /^(\S+) \(id ([1-9][0-9]{0,15})\)$/.exec(value);
  if (match === null) return undefined;
  const login = match[1] ?? "";
  const id = Number(match[2]);
  if (!LOGIN.test(login) || !Number.isSafeInteger(id)) return undefined;
  return { login, id };
}

const COUNT_WORDS = ["No", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine"];

function countWord(n: number): string {
  return COUNT_WORDS[n] ?? String(n);
}

function logins(people: readonly GitHubPerson[]): string {
  const names = people.map((p) => p.login);
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1) ?? ""}`;
}

function decisionSubject(r: DecisionReceipt): string {
  const where = r.pullRequest === null ? "(policy)" : `(PR #${String(r.pullRequest)})`;
  return `csr-gitops: ${r.decision} ${r.cluster}/${r.csrName} ${where}`;
}

function decisionProse(r: DecisionReceipt): string {
  const pr = r.pullRequest === null ? "" : `PR #${String(r.pullRequest)}`;
  const single = r.requiredApprovals === 1 ? " (single-approver policy)" : "";
  const merger = r.mergedBy?.login ?? "someone";
  switch (r.decision) {
    case "approved": {
      const n = r.approvedBy.length;
      const who = `${countWord(n)} code owner${n === 1 ? "" : "s"} (${logins(r.approvedBy)})`;
      return `${who} approved${single} and ${merger} merged ${pr}; the app approved the CSR.`;
    }
    case "refused":
      return `${merger} merged ${pr}, but the app did not approve the CSR: ${r.refused.join(", ")}. Nothing was written to Kubernetes.`;
    case "denied":
      if (r.pullRequest === null)
        return `The policy denies this CSR and the configuration denies such CSRs at once; the app denied the CSR.`;
      // A close the app learnt of at a resync (its webhook was lost) has no known closer.
      if (r.closedBy === null)
        return `${pr} was closed without merging (who closed it is not known); the app denied the CSR.`;
      return `${r.closedBy.login} closed ${pr} without merging; the app denied the CSR.`;
  }
}

function decisionTrailers(r: DecisionReceipt): Trailer[] {
  const t: Trailer[] = [
    { key: K.receipt, value: DECISION_RECEIPT_TRAILER },
    { key: K.decision, value: r.decision },
    { key: K.cluster, value: r.cluster },
    { key: K.csrName, value: r.csrName },
    { key: K.csrUid, value: r.csrUid },
    { key: K.requestSha256, value: r.requestSha256 },
    { key: K.record, value: r.record },
    { key: K.recordBlob, value: r.recordBlob },
  ];
  if (r.pullRequest !== null) t.push({ key: K.pullRequest, value: String(r.pullRequest) });
  if (r.mergeCommit !== null) t.push({ key: K.mergeCommit, value: r.mergeCommit });
  if (r.mergedBy !== null) t.push({ key: K.mergedBy, value: renderPerson(r.mergedBy) });
  for (const p of r.approvedBy) t.push({ key: K.approvedBy, value: renderPerson(p) });
  if (r.closedBy !== null) t.push({ key: K.closedBy, value: renderPerson(r.closedBy) });
  if (r.reason !== null) t.push({ key: K.reason, value: r.reason });
  for (const c of r.refused) t.push({ key: K.refused, value: c });
  t.push(
    { key: K.requiredApprovals, value: String(r.requiredApprovals) },
    { key: K.policyBlob, value: r.policyBlob },
    { key: K.decidedAt, value: r.decidedAt },
  );
  return t;
}

function certificateTrailers(r: CertificateReceipt): Trailer[] {
  const t: Trailer[] = [
    { key: K.receipt, value: CERTIFICATE_RECEIPT_TRAILER },
    { key: K.outcome, value: r.outcome },
    { key: K.cluster, value: r.cluster },
    { key: K.csrName, value: r.csrName },
    { key: K.csrUid, value: r.csrUid },
    { key: K.record, value: r.record },
  ];
  const optional: [string, string | null][] = [
    [K.serial, r.serial],
    [K.notBefore, r.notBefore],
    [K.notAfter, r.notAfter],
    [K.issuer, r.issuer],
    [K.certificateSha256, r.certificateSha256],
    [K.matchesRequest, r.matchesRequest === null ? null : String(r.matchesRequest)],
  ];
  for (const [key, value] of optional) if (value !== null) t.push({ key, value });
  for (const m of r.mismatches) t.push({ key: K.mismatch, value: m });
  if (r.failure !== null) t.push({ key: K.failure, value: r.failure });
  t.push({ key: K.recordedAt, value: r.recordedAt });
  return t;
}

function certificateSubject(r: CertificateReceipt): string {
  const what = r.outcome === "issued" ? "certificate issued for" : "signer failed for";
  return `csr-gitops: ${what} ${r.cluster}/${r.csrName}`;
}

function certificateProse(r: CertificateReceipt): string {
  if (r.outcome === "failed")
    return `The signer did not issue a certificate: ${r.failure ?? "no reason given"}.`;
  if (r.matchesRequest === true)
    return "The signer issued the certificate; it matches the approved request.";
  return `The signer issued a certificate that does NOT match the approved request: ${r.mismatches.join("; ")}.`;
}

/** The receipt commit's message: subject, one paragraph of prose, trailers. */
export function renderReceiptMessage(receipt: Receipt): string {
  if (receipt.kind === "DecisionReceipt") {
    const r = normalizeDecision(receipt);
    return renderMessage(decisionSubject(r), decisionProse(r), decisionTrailers(r));
  }
  const r = normalizeCertificate(receipt);
  return renderMessage(certificateSubject(r), certificateProse(r), certificateTrailers(r));
}

type Fields = Map<string, string[]>;

/** This project's trailer keys by their lower-case form: keys compare case-insensitively, as git does. */
const KEY_OF_LOWER: ReadonlyMap<string, string> = new Map(
  Object.values(K).map((k) => [k.toLowerCase(), k]),
);

function collect(trailers: readonly Trailer[]): Fields {
  const fields: Fields = new Map();
  for (const t of trailers) {
    // Only this project's keys are read.
    const key = KEY_OF_LOWER.get(t.key.toLowerCase());
    if (key === undefined) continue;
    fields.set(key, [...(fields.get(key) ?? []), t.value]);
  }
  return fields;
}

class TrailerError extends Error {}

function one(fields: Fields, key: string): string {
  const values = fields.get(key) ?? [];
  if (values.length !== 1)
    throw new TrailerError(`${key}: expected exactly one, found ${String(values.length)}`);
  return values[0] ?? "";
}

function optional(fields: Fields, key: string): string | null {
  const values = fields.get(key) ?? [];
  if (values.length > 1)
    throw new TrailerError(`${key}: expected at most one, found ${String(values.length)}`);
  return values[0] ?? null;
}

function personOf(key: string, value: string): GitHubPerson {
  const p = parsePerson(value);
  if (p === undefined)
    throw new TrailerError(`${key}: ${JSON.stringify(value)} is not "login (id N)"`);
  return p;
}

function decisionFromFields(f: Fields): DecisionReceipt {
  const pr = optional(f, K.pullRequest);
  const mergedBy = optional(f, K.mergedBy);
  const closedBy = optional(f, K.closedBy);
  const required = one(f, K.requiredApprovals);
  return {
    kind: "DecisionReceipt",
    decision: one(f, K.decision) as DecisionOutcome,
    cluster: one(f, K.cluster),
    csrName: one(f, K.csrName),
    csrUid: one(f, K.csrUid),
    requestSha256: one(f, K.requestSha256),
    record: one(f, K.record),
    recordBlob: one(f, K.recordBlob),
    pullRequest: pr === null ? null : /^[1-9][0-9]*$/.test(pr) ? Number(pr) : Number.NaN,
    mergeCommit: optional(f, K.mergeCommit),
    mergedBy: mergedBy === null ? null : personOf(K.mergedBy, mergedBy),
    approvedBy: (f.get(K.approvedBy) ?? []).map((v) => personOf(K.approvedBy, v)),
    requiredApprovals: /^[0-9]+$/.test(required) ? Number(required) : Number.NaN,
    policyBlob: one(f, K.policyBlob),
    closedBy: closedBy === null ? null : personOf(K.closedBy, closedBy),
    reason: optional(f, K.reason),
    refused: f.get(K.refused) ?? [],
    decidedAt: one(f, K.decidedAt),
  };
}

function certificateFromFields(f: Fields): CertificateReceipt {
  const matches = optional(f, K.matchesRequest);
  if (matches !== null && matches !== "true" && matches !== "false")
    throw new TrailerError(`${K.matchesRequest}: expected true or false`);
  return {
    kind: "CertificateReceipt",
    outcome: one(f, K.outcome) as "issued",
    cluster: one(f, K.cluster),
    csrName: one(f, K.csrName),
    csrUid: one(f, K.csrUid),
    record: one(f, K.record),
    serial: optional(f, K.serial),
    notBefore: optional(f, K.notBefore),
    notAfter: optional(f, K.notAfter),
    issuer: optional(f, K.issuer),
    certificateSha256: optional(f, K.certificateSha256),
    matchesRequest: matches === null ? null : matches === "true",
    mismatches: f.get(K.mismatch) ?? [],
    failure: optional(f, K.failure),
    recordedAt: one(f, K.recordedAt),
  };
}

/**
 * Reads a receipt commit's message (its trailers) back into a receipt, validated by the same
 * schema as the file. A message without a `Csr-Gitops-Receipt` trailer is not a receipt.
 */
export function parseReceiptMessage(message: string): ReceiptParseResult {
  const fields = collect(parseTrailers(message));
  try {
    const kind = one(fields, K.receipt);
    if (kind === DECISION_RECEIPT_TRAILER)
      return validate({ apiVersion: RECEIPT_API_VERSION, ...decisionFromFields(fields) });
    if (kind === CERTIFICATE_RECEIPT_TRAILER)
      return validate({ apiVersion: RECEIPT_API_VERSION, ...certificateFromFields(fields) });
    return { ok: false, error: `${K.receipt}: unknown receipt type ${JSON.stringify(kind)}` };
  } catch (cause) {
    if (cause instanceof TrailerError) return { ok: false, error: cause.message };
    throw cause;
  }
}
