/** One CSR in the ledger: its record, the decision and certificate receipts, and what was found. */
import type { CsrKey } from "../core/record/layout.ts";
import type { CertificateReceiptFacts, DecisionReceiptFacts, RecordFacts } from "./facts.ts";

export interface ReceiptView<T> {
  readonly facts: T;
  readonly commit: string;
  /** The receipt commit's committer date. */
  readonly at: string;
  /** Whether it counts: the app's own signed commit on the default branch. */
  readonly counts: boolean;
}

export interface LedgerEntry {
  readonly key: CsrKey;
  /** `cluster/name_uid`. */
  readonly id: string;
  readonly recordPath: string;
  /** The record as first written; undefined when never on the default branch or unreadable. */
  readonly record: RecordFacts | undefined;
  readonly recordBlob: string | undefined;
  /** The commit that first added the record (the app's PR commit, or a squash). */
  readonly recordCommit: string | undefined;
  /** The commit that put the record on the default branch (merge, squash or direct). */
  readonly merged: { readonly commit: string; readonly at: string } | undefined;
  /** The decision that counts (the first), else the latest one found that does not count. */
  readonly decision: ReceiptView<DecisionReceiptFacts> | undefined;
  readonly certificate: ReceiptView<CertificateReceiptFacts> | undefined;
  /** Things worth knowing that are not findings (e.g. approvals that counted through a team). */
  readonly notes: readonly string[];
}

export function entryId(key: CsrKey): string {
  return `${key.cluster}/${key.name}_${key.uid}`;
}
