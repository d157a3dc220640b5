/**
 * The app's check run `external_id` (docs/audit-repo.md): the record blob SHA(s) the app wrote, as
 * `<path>=<blob sha>` joined by `,`, `!tampered` once someone else pushed to the PR, and
 * `!decided=<outcome>` once the PR was merged or closed and the app decided (docs/approval.md,
 * "The check run after the decision"). Only the app's installation can write its check runs, so
 * this is where the app keeps what it must not trust a person to tell it. Pure.
 */
import { REFUSAL_MEANINGS, type RefusalCode } from "./reason-codes.ts";

export interface RecordBlob {
  readonly path: string;
  readonly blobSha: string;
}

/**
 * What the app decided when the PR was merged or closed. A refusal keeps its codes: it binds every
 * later reconcile of the same merge (a review dismissed after the merge cannot turn it into an
 * approval). `partial`: a batch whose CSRs were decided differently.
 */
export type DecidedMark =
  | { readonly kind: "approved" | "denied" | "closed" | "partial" }
  | { readonly kind: "refused"; readonly codes: readonly RefusalCode[] };

export interface CheckExternalId {
  readonly records: readonly RecordBlob[];
  readonly tampered: boolean;
  readonly decided?: DecidedMark;
}

export type ExternalIdResult =
  ({ readonly ok: true } & CheckExternalId) | { readonly ok: false; readonly error: string };

export const TAMPERED_MARK = "!tampered";
const DECIDED_PREFIX = "!decided=";
const ENTRY = /^(clusters\/[^=,]+)=([0-9a-f]{40}(?:[0-9a-f]{24})?)$/;

function renderDecided(mark: DecidedMark): string {
  return mark.kind === "refused"
    ? `${DECIDED_PREFIX}refused:${[...mark.codes].sort().join("+")}`
    : `${DECIDED_PREFIX}${mark.kind}`;
}

function isRefusalCode(code: string): code is RefusalCode {
  return Object.hasOwn(REFUSAL_MEANINGS, code);
}

function parseDecided(text: string): DecidedMark | undefined {
  if (text === "approved" || text === "denied" || text === "closed" || text === "partial")
    return { kind: text };
  if (!text.startsWith("refused:")) return undefined;
  const codes = text.slice("refused:".length).split("+");
  // A refusal without a known code is not a refusal the app wrote: unreadable.
  if (codes.length === 0 || !codes.every(isRefusalCode)) return undefined;
  return { kind: "refused", codes };
}

export function renderExternalId(id: CheckExternalId): string {
  const entries = id.records.map((r) => `${r.path}=${r.blobSha}`);
  return [
    ...entries,
    ...(id.tampered ? [TAMPERED_MARK] : []),
    ...(id.decided === undefined ? [] : [renderDecided(id.decided)]),
  ].join(",");
}

export function parseExternalId(text: string): ExternalIdResult {
  const records: RecordBlob[] = [];
  let tampered = false;
  let decided: DecidedMark | undefined;
  for (const entry of text.split(",")) {
    if (entry === TAMPERED_MARK) {
      tampered = true;
      continue;
    }
    if (entry.startsWith(DECIDED_PREFIX)) {
      const mark =
        decided === undefined ? parseDecided(entry.slice(DECIDED_PREFIX.length)) : undefined;
      if (mark === undefined)
        return { ok: false, error: `not a decision mark: ${JSON.stringify(entry)}` };
      decided = mark;
      continue;
    }
    const match = ENTRY.exec(entry);
    if (match === null) return { ok: false, error: `not a record entry: ${JSON.stringify(entry)}` };
    const path = match[1] ?? "";
    if (records.some((r) => r.path === path))
      return { ok: false, error: `record ${path} named twice` };
    records.push({ path, blobSha: match[2] ?? "" });
  }
  if (records.length === 0) return { ok: false, error: "no record entry" };
  return { ok: true, records, tampered, ...(decided === undefined ? {} : { decided }) };
}
