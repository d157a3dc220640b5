/**
 * The pull request of a batch of CSRs (docs/controller.md, "Batches"): title, body, labels and the
 * check run's text. Pure. The body summarises the batch as one table row per CSR and says what the
 * CSRs share and what differs between them, so a reviewer reads the differences, not N copies.
 * Every value that comes from a CSR or its requester goes through ./display.ts (inert, bounded),
 * as in render-pr.ts.
 */
import { displayLabel, displayMarkdown, displayText } from "./display.ts";
import { MAX_BODY_CHARS, MAX_TITLE_CHARS, prLabels, type CheckRunText } from "./render-pr.ts";
import type { CsrRecord } from "./record-schema.ts";

export const BATCH_LABEL = "batch";

export interface BatchEntry {
  readonly record: CsrRecord;
  /** The record's path in the audit repo. */
  readonly path: string;
}

export interface RenderedBatch {
  readonly title: string;
  readonly body: string;
  readonly labels: readonly string[];
}

/** Rows beyond this are summarised by a count: the record files hold every CSR. */
const MAX_ROWS = 100;
/** A differing field lists at most this many distinct values. */
const MAX_VALUES = 10;

const md = (value: string): string => displayMarkdown(value, { maxLength: 80 });
const mdName = (value: string): string => displayMarkdown(value, { maxLength: 80, name: true });

function joined(items: readonly string[], empty: string): string {
  if (items.length === 0) return empty;
  const shown = items.slice(0, 5).join(", ");
  return items.length > 5 ? `${shown}, +${items.length - 5}` : shown;
}

function keyText(record: CsrRecord): string {
  const key = record.request.decoded?.publicKey;
  if (key === undefined) return "(unknown)";
  switch (key.algorithm) {
    case "RSA":
      return `RSA ${key.bits}`;
    case "ECDSA":
      return `ECDSA ${key.curve}`;
    case "Ed25519":
      return "Ed25519";
  }
}

function lifetimeText(seconds: number | null): string {
  return seconds === null ? "signer default" : `${seconds} s`;
}

/**
 * The fields a reviewer compares across the batch, each as an already-inert string. Fields that
 * are unique per CSR by nature (name, uid, requester, SANs, key digest) are in the table instead.
 */
const COMPARED: readonly { readonly name: string; readonly value: (r: CsrRecord) => string }[] = [
  { name: "Signer", value: (r) => md(r.csr.signerName) },
  { name: "Usages", value: (r) => joined(r.csr.usages.map(md), "(none)") },
  { name: "Lifetime", value: (r) => lifetimeText(r.csr.expirationSeconds) },
  { name: "Key", value: keyText },
  {
    name: "Subject organizations",
    value: (r) => joined((r.request.decoded?.subject.organizations ?? []).map(mdName), "(none)"),
  },
  { name: "Requester groups", value: (r) => joined(r.csr.requester.groups.map(mdName), "(none)") },
  {
    name: "Requester extra",
    value: (r) =>
      joined(
        Object.entries(r.csr.requester.extra).map(
          ([k, v]) => `${md(k)}=${joined(v.map(md), "(none)")}`,
        ),
        "(none)",
      ),
  },
  {
    name: "Extensions",
    value: (r) =>
      joined(
        (r.request.decoded?.extensions ?? []).map((e) => md(e.name)),
        "(none)",
      ),
  },
  { name: "Required approvals", value: (r) => String(r.verdict.requiredApprovals) },
  {
    name: "Policy notes",
    value: (r) =>
      joined(
        r.verdict.notes.map((n) => md(n.code)),
        "(none)",
      ),
  },
  { name: "Policy", value: (r) => (r.policy.blobSha === null ? "built-in" : md(r.policy.blobSha)) },
];

interface Comparison {
  readonly shared: readonly string[];
  readonly differs: readonly string[];
}

function compare(records: readonly CsrRecord[]): Comparison {
  const shared: string[] = [];
  const differs: string[] = [];
  for (const field of COMPARED) {
    const counts = new Map<string, number>();
    for (const r of records) {
      const v = field.value(r);
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    const [only] = counts.keys();
    if (counts.size === 1 && only !== undefined) {
      shared.push(`- ${field.name}: ${only}`);
      continue;
    }
    const values = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const shown = values
      .slice(0, MAX_VALUES)
      .map(([v, n]) => `${v} (${n} ${n === 1 ? "CSR" : "CSRs"})`)
      .join("; ");
    const more = values.length > MAX_VALUES ? `; and ${values.length - MAX_VALUES} more` : "";
    differs.push(`- **${field.name}**: ${shown}${more}`);
  }
  return { shared, differs };
}

function sansText(record: CsrRecord): string {
  const decoded = record.request.decoded;
  if (decoded === null) return "(undecodable)";
  return joined(
    decoded.subjectAltNames.map((s) => `${s.type} ${mdName(s.value)}`),
    "(none)",
  );
}

function row(index: number, entry: BatchEntry): string {
  const { record } = entry;
  const cn = record.request.decoded?.subject.commonName;
  const cells = [
    String(index + 1),
    md(record.csr.name),
    mdName(record.csr.requester.username),
    cn === undefined ? "(undecodable)" : mdName(cn),
    sansText(record),
    md(record.csr.creationTimestamp),
    md(record.request.sha256.slice(0, 12)),
  ];
  return `| ${cells.join(" | ")} |`;
}

function cut(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/** Sorted as the branch's tree lists them: by record path. */
function sorted(entries: readonly BatchEntry[]): BatchEntry[] {
  return [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The batch's PR: every entry is an allowed CSR of one cluster and one signer. */
export function renderBatchPr(entries: readonly BatchEntry[]): RenderedBatch {
  const list = sorted(entries);
  const first = list[0]?.record;
  if (first === undefined) return { title: "csr-gitops: empty batch", body: "", labels: [] };
  const records = list.map((e) => e.record);
  const required = Math.max(...records.map((r) => r.verdict.requiredApprovals));
  const n = records.length;
  const title = `Approve ${n} CSRs for ${md(first.csr.signerName)} in ${md(first.cluster)}`;
  const { shared, differs } = compare(records);
  const rows = list.slice(0, MAX_ROWS).map((e, i) => row(i, e));
  const moreRows = n > MAX_ROWS ? [``, `and ${n - MAX_ROWS} more CSRs (see the record files)`] : [];
  const body = [
    `**Policy verdict: allow** for each of these ${n} CSRs, which arrived together from cluster ${md(first.cluster)} for signer ${md(first.csr.signerName)}.`,
    ``,
    `Merging approves each CSR once ${required} code owners have approved this pull request; the app checks every CSR on its own (its record, the policy, the approvals and the CSR as it is then) and approves only the ones that pass. Closing denies all of them.`,
    ``,
    `### What differs`,
    ``,
    ...(differs.length === 0
      ? [
          `Nothing beyond each CSR's name, requester, subject and SANs (the table): every other field below is the same for all ${n}.`,
        ]
      : differs),
    ``,
    `### What they share`,
    ``,
    ...(shared.length === 0 ? ["(nothing)"] : shared),
    ``,
    `### The CSRs`,
    ``,
    `| # | CSR | requester | common name | subject alternative names | created | request SHA-256 |`,
    `| - | --- | --------- | ----------- | ------------------------- | ------- | --------------- |`,
    ...rows,
    ...moreRows,
    ``,
    `Each CSR's full record is its own file: ${md(`clusters/${first.cluster}/<name>_<uid>/record.yaml`)}.`,
  ].join("\n");
  return {
    title: cut(title, MAX_TITLE_CHARS),
    body: cut(body, MAX_BODY_CHARS),
    labels: [...prLabels(first), displayLabel(BATCH_LABEL)],
  };
}

/** The check run's output for a batch while it waits for approvals. */
export function renderBatchCheckRun(
  entries: readonly BatchEntry[],
  approvals: number,
): CheckRunText {
  const records = entries.map((e) => e.record);
  const required = Math.max(0, ...records.map((r) => r.verdict.requiredApprovals));
  const count = `${approvals} of ${required} code owner approvals`;
  const title = `Policy allows all ${records.length} CSRs; ${count}`;
  const summary = `**Policy verdict: allow** for each of ${records.length} CSRs; ${count}. Merging approves each CSR that still passes every check on its own.`;
  return { title: displayText(title, { maxLength: 200 }), summary };
}
