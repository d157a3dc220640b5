/**
 * The app's check run `external_id` (docs/audit-repo.md): the record blob SHA(s) the app wrote, as
 * `<path>=<blob sha>` joined by `,`, and `!tampered` once someone else pushed to the PR. Only the
 * app's installation can write its check runs, so this is where the app keeps what it must not
 * trust a person to tell it. Pure.
 */

export interface RecordBlob {
  readonly path: string;
  readonly blobSha: string;
}

export interface CheckExternalId {
  readonly records: readonly RecordBlob[];
  readonly tampered: boolean;
}

export type ExternalIdResult =
  ({ readonly ok: true } & CheckExternalId) | { readonly ok: false; readonly error: string };

export const TAMPERED_MARK = "!tampered";
const ENTRY = /^(clusters\/[^=,]+)=([0-9a-f]{40}(?:[0-9a-f]{24})?)$/;

export function renderExternalId(id: CheckExternalId): string {
  const entries = id.records.map((r) => `${r.path}=${r.blobSha}`);
  return [...entries, ...(id.tampered ? [TAMPERED_MARK] : [])].join(",");
}

export function parseExternalId(text: string): ExternalIdResult {
  const records: RecordBlob[] = [];
  let tampered = false;
  for (const entry of text.split(",")) {
    if (entry === TAMPERED_MARK) {
      tampered = true;
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
  return { ok: true, records, tampered };
}
