/**
 * The audit repository's history as `audit` needs it, whatever it was read from (a local clone or
 * the GitHub API): the commits reachable from the default branch, parents before children, each
 * with its changes against its first parent, and the contents of the few blobs that matter
 * (records, receipts, CODEOWNERS). Pure data; the readers in git/ and github/ fill it.
 */

export interface Person {
  readonly name: string;
  readonly email: string;
  /** ISO 8601 (UTC). */
  readonly date: string;
  /** The GitHub login the host linked to this identity, when read through the API. */
  readonly login?: string;
}

export interface FileChange {
  /** A added, M modified, D deleted, T type changed (renames are read as delete + add). */
  readonly status: "A" | "M" | "D" | "T";
  readonly path: string;
  /** The blob before (undefined when added) and after (undefined when deleted). */
  readonly oldBlob: string | undefined;
  readonly newBlob: string | undefined;
}

/**
 * Whether a commit's signature was checked and by what. `verified` means: signed by a key the
 * audit trusts for the app's commits (GitHub's web-flow key through the API, or the key given to
 * `audit` for a clone); anything else means the commit cannot count as the app's.
 */
export type SignatureCheck =
  | { readonly kind: "verified"; readonly signer: string }
  | { readonly kind: "unsigned" }
  | { readonly kind: "bad"; readonly reason: string }
  /** Signed, but not checked: no key was configured, or the format is not supported. */
  | { readonly kind: "unchecked"; readonly reason: string };

export interface HistoryCommit {
  readonly sha: string;
  readonly parents: readonly string[];
  readonly author: Person;
  readonly committer: Person;
  /** Full message; only read for commits that touch CSR files. */
  readonly message: string;
  /** Changes against the first parent (a merge shows what it brought into the branch). */
  readonly changes: readonly FileChange[];
  readonly signature: SignatureCheck;
  /** On the default branch's first-parent line (merged there), not only on a merged PR branch. */
  readonly firstParent: boolean;
}

export interface AuditHistory {
  /** What was read: a path or a URL, for the report. */
  readonly source: string;
  readonly ref: string;
  readonly head: string | undefined;
  /** Parents before children. */
  readonly commits: readonly HistoryCommit[];
  /** Contents of record, receipt and CODEOWNERS blobs, by blob SHA. */
  readonly blobs: ReadonlyMap<string, string>;
}

/** Paths whose blob contents the audit reads. */
export function wantsBlob(path: string): boolean {
  return (
    path.startsWith("clusters/") ||
    path === ".github/CODEOWNERS" ||
    path === "CODEOWNERS" ||
    path === "docs/CODEOWNERS"
  );
}
