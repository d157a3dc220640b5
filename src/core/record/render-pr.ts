/**
 * The pull request of one CSR as people see it: title and body from templates (templates/ or the
 * audit repo's overrides), labels, and the check run's text. Pure. Every value that comes from the
 * CSR or its requester goes through ./display.ts, so nothing a requester chose can render as
 * markdown, HTML, a link, a mention or a heading, and every value is bounded.
 */
import type { YamlFileError } from "../yaml/load-yaml.ts";
import { displayLabel, displayMarkdown, displayText } from "./display.ts";
import type { CsrRecord, RecordReason } from "./record-schema.ts";

export const TEMPLATE_PLACEHOLDERS = [
  "cluster",
  "csrName",
  "uid",
  "signer",
  "commonName",
  "decision",
  "approvalRule",
  "reasons",
  "subject",
  "subjectAltNames",
  "key",
  "usages",
  "lifetime",
  "requester",
  "groups",
  "extra",
  "created",
  "deadline",
  "requestSha256",
  "recordPath",
  "supersedes",
] as const;

export type Placeholder = (typeof TEMPLATE_PLACEHOLDERS)[number];

/** A template split into literal text and placeholders, checked once when it is read. */
export interface PrTemplate {
  readonly file: string;
  readonly parts: readonly ({ readonly text: string } | { readonly placeholder: Placeholder })[];
}

export type ParseTemplateResult =
  | { readonly ok: true; readonly template: PrTemplate }
  | { readonly ok: false; readonly errors: readonly YamlFileError[] };

export const MAX_TEMPLATE_CHARS = 32 * 1024;
const KNOWN = new Set<string>(TEMPLATE_PLACEHOLDERS);

/** Parses `{{placeholder}}`s; an unknown one is an error naming file, line and column. */
export function parseTemplate(text: string, file: string): ParseTemplateResult {
  if (text.length > MAX_TEMPLATE_CHARS) {
    const message = `template is ${text.length} characters, more than the limit of ${MAX_TEMPLATE_CHARS}`;
    return { ok: false, errors: [{ file, line: 1, column: 1, field: "", message }] };
  }
  const parts: PrTemplate["parts"][number][] = [];
  const errors: YamlFileError[] = [];
  const pattern = /\{\{\s*([^{}]*?)\s*\}\}/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const name = match[1] ?? "";
    parts.push({ text: text.slice(last, match.index) });
    last = match.index + match[0].length;
    if (KNOWN.has(name)) parts.push({ placeholder: name as Placeholder });
    else {
      const before = text.slice(0, match.index).split("\n");
      errors.push({
        file,
        line: before.length,
        column: (before.at(-1)?.length ?? 0) + 1,
        field: name,
        message: `unknown placeholder {{${name}}} (known: ${TEMPLATE_PLACEHOLDERS.join(", ")})`,
      });
    }
  }
  parts.push({ text: text.slice(last) });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, template: { file, parts } };
}

export interface PrTemplates {
  readonly title: PrTemplate;
  readonly body: PrTemplate;
}

/** A CSR this one supersedes: its uid and, when known, the number of its pull request. */
export interface Superseded {
  readonly uid: string;
  readonly pullRequest: number | undefined;
}

export interface PrContext {
  readonly recordPath: string;
  readonly superseded: readonly Superseded[];
}

export interface RenderedPr {
  readonly title: string;
  readonly body: string;
  readonly labels: readonly string[];
}

/** GitHub keeps at most 256 characters of a title and 65,536 of a body. */
export const MAX_TITLE_CHARS = 256;
export const MAX_BODY_CHARS = 60_000;
/** Lists longer than this show their first items and a count: the record holds all of them. */
const MAX_LIST_ITEMS = 25;

const md = (value: string): string => displayMarkdown(value, { maxLength: 120 });
const mdName = (value: string): string => displayMarkdown(value, { maxLength: 120, name: true });

function list(items: readonly string[], empty: string): string {
  if (items.length === 0) return empty;
  const shown = items.slice(0, MAX_LIST_ITEMS).join(", ");
  const more = items.length - MAX_LIST_ITEMS;
  return more > 0 ? `${shown}, and ${more} more (see the record file)` : shown;
}

function reasonLine(reason: RecordReason): string {
  const where = reason.field === undefined ? "" : ` (${md(reason.field)})`;
  return `- ${md(reason.code)}: ${displayMarkdown(reason.message, { maxLength: 320 })}${where}`;
}

function reasonsBlock(record: CsrRecord): string {
  const { reasons, notes } = record.verdict;
  const lines: string[] = [];
  if (reasons.length > 0) {
    lines.push("Reasons to deny:", "", ...reasons.slice(0, MAX_LIST_ITEMS).map(reasonLine));
    if (reasons.length > MAX_LIST_ITEMS)
      lines.push(`- and ${reasons.length - MAX_LIST_ITEMS} more (see the record file)`);
  }
  if (notes.length > 0) {
    if (lines.length > 0) lines.push("");
    lines.push("Notes:", "", ...notes.slice(0, MAX_LIST_ITEMS).map(reasonLine));
    if (notes.length > MAX_LIST_ITEMS)
      lines.push(`- and ${notes.length - MAX_LIST_ITEMS} more (see the record file)`);
  }
  return lines.join("\n");
}

function subjectText(record: CsrRecord): string {
  const decoded = record.request.decoded;
  if (decoded === null) return "(the request could not be decoded)";
  return list(
    decoded.subject.attributes.map((a) => `${md(a.type)}=${mdName(a.value)}`),
    "(empty subject)",
  );
}

function keyText(record: CsrRecord): string {
  const key = record.request.decoded?.publicKey;
  if (key === undefined) return "(unknown)";
  switch (key.algorithm) {
    case "RSA":
      return `RSA ${key.bits} bits`;
    case "ECDSA":
      return `ECDSA ${key.curve}`;
    case "Ed25519":
      return "Ed25519";
  }
}

function lifetimeText(seconds: number | null): string {
  if (seconds === null) return "not requested (the signer's default applies)";
  const hours = seconds / 3600;
  const count = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? "" : "s"}`;
  const human =
    seconds % 86400 === 0
      ? count(seconds / 86400, "day")
      : Number.isInteger(hours)
        ? count(hours, "hour")
        : count(seconds, "second");
  return `${human} (${seconds} s)`;
}

function supersedesText(superseded: readonly Superseded[]): string {
  if (superseded.length === 0) return "";
  const items = superseded.map((s) =>
    s.pullRequest === undefined ? `CSR uid ${md(s.uid)}` : `#${s.pullRequest}`,
  );
  return `- Supersedes: ${items.join(", ")} (earlier requests of the same requester for the same identity)`;
}

/** Every placeholder's value for this record, each already inert. */
export function placeholderValues(
  record: CsrRecord,
  context: PrContext,
): Record<Placeholder, string> {
  const { csr, verdict } = record;
  const decoded = record.request.decoded;
  const extra = Object.entries(csr.requester.extra).map(
    ([key, values]) => `${md(key)}=${list(values.map(md), "(none)")}`,
  );
  return {
    cluster: md(record.cluster),
    csrName: md(csr.name),
    uid: md(csr.uid),
    signer: md(csr.signerName),
    commonName: decoded === null ? "(undecodable request)" : mdName(decoded.subject.commonName),
    decision: verdict.decision,
    approvalRule:
      verdict.decision === "allow"
        ? `Merging approves the CSR once ${verdict.requiredApprovals} code owners have approved this pull request; closing it denies the CSR.`
        : "Merging this pull request never approves the CSR; close it to deny.",
    reasons: reasonsBlock(record),
    subject: subjectText(record),
    subjectAltNames:
      decoded === null
        ? "(unknown)"
        : list(
            decoded.subjectAltNames.map((s) => `${s.type} ${mdName(s.value)}`),
            "(none)",
          ),
    key: keyText(record),
    usages: list(csr.usages.map(md), "(none)"),
    lifetime: lifetimeText(csr.expirationSeconds),
    requester:
      csr.requester.uid === ""
        ? mdName(csr.requester.username)
        : `${mdName(csr.requester.username)} (uid ${md(csr.requester.uid)})`,
    groups: list(csr.requester.groups.map(mdName), "(none)"),
    extra: list(extra, "(none)"),
    created: md(csr.creationTimestamp),
    deadline: md(csr.deadline),
    requestSha256: md(record.request.sha256),
    recordPath: md(context.recordPath),
    supersedes: supersedesText(context.superseded),
  };
}

function fill(template: PrTemplate, values: Record<Placeholder, string>): string {
  return template.parts.map((p) => ("text" in p ? p.text : values[p.placeholder])).join("");
}

function cut(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/** The labels of a CSR's pull request (docs/audit-repo.md). */
export function prLabels(record: CsrRecord): string[] {
  return [
    "csr-gitops",
    `verdict: ${record.verdict.decision}`,
    displayLabel(`signer: ${record.csr.signerName}`),
    displayLabel(`cluster: ${record.cluster}`),
  ];
}

export function renderPr(
  record: CsrRecord,
  templates: PrTemplates,
  context: PrContext,
): RenderedPr {
  const values = placeholderValues(record, context);
  // A title is one line: a template's own line breaks become spaces.
  const title = fill(templates.title, values)
    .replace(/\s*\n\s*/g, " ")
    .trim();
  return {
    title: cut(title, MAX_TITLE_CHARS),
    body: cut(fill(templates.body, values), MAX_BODY_CHARS),
    labels: prLabels(record),
  };
}

export interface CheckRunText {
  readonly title: string;
  readonly summary: string;
}

/** The check run's output: the verdict, its reasons and the approvals required. */
export function renderCheckRun(record: CsrRecord, approvals: number): CheckRunText {
  const { verdict } = record;
  const count = `${approvals} of ${verdict.requiredApprovals} code owner approvals`;
  const title =
    verdict.decision === "allow"
      ? `Policy allows; ${count}`
      : `Policy denies (${verdict.reasons.length} ${verdict.reasons.length === 1 ? "reason" : "reasons"}); merging never approves`;
  const reasons = reasonsBlock(record);
  const summary = [
    `**Policy verdict: ${verdict.decision}**; ${count}.`,
    reasons === "" ? "" : `\n${reasons}`,
  ].join("\n");
  return { title: displayText(title, { maxLength: 200 }), summary: cut(summary, MAX_BODY_CHARS) };
}
