/**
 * The facts the audit reads from records and receipts. The formats themselves belong to
 * src/core/record (record.ts parses records, receipt.ts parses receipt trailers); formats.ts maps
 * their results onto these shapes, so the ledger and its checks do not depend on every field of
 * the formats.
 */

export interface GitHubActor {
  readonly login: string;
  /** The numeric GitHub user id: renames cannot move an approval. */
  readonly id: number;
}

export interface RecordFacts {
  readonly cluster: string;
  readonly name: string;
  readonly uid: string;
  readonly recordedAt: string;
  readonly creationTimestamp: string | undefined;
  readonly signerName: string;
  readonly usages: readonly string[];
  readonly expirationSeconds: number | null;
  readonly requester: { readonly username: string; readonly groups: readonly string[] };
  readonly requestSha256: string;
  readonly requestPem: string;
  /** false when the controller could not decode the request (then the digest is of its raw bytes). */
  readonly requestDecoded: boolean;
  /** Subject as `CN=..., O=...`, empty when the request could not be decoded. */
  readonly subject: string;
  /** `DNS:x`, `IP:y`, ... */
  readonly subjectAltNames: readonly string[];
  readonly publicKeySha256: string | undefined;
  readonly verdict: {
    readonly decision: "allow" | "deny";
    readonly reasonCodes: readonly string[];
    readonly requiredApprovals: number;
  };
}

export type DecisionKind = "approved" | "denied" | "refused";

export interface DecisionReceiptFacts {
  readonly kind: "decision";
  readonly decision: DecisionKind;
  readonly cluster: string;
  readonly csrName: string;
  readonly csrUid: string;
  readonly requestSha256: string;
  readonly recordPath: string;
  readonly recordBlob: string;
  readonly pullRequest: number | undefined;
  readonly mergeCommit: string | undefined;
  readonly mergedBy: GitHubActor | undefined;
  readonly approvedBy: readonly GitHubActor[];
  readonly requiredApprovals: number | undefined;
  /** The policy file's blob SHA the decision used, or "builtin". */
  readonly policyBlob: string;
  readonly closedBy: GitHubActor | undefined;
  readonly reason: string | undefined;
  readonly refused: readonly string[];
  readonly decidedAt: string;
}

export interface CertificateReceiptFacts {
  readonly kind: "certificate";
  /** issued: the signer wrote a certificate; failed: it set the Failed condition. */
  readonly outcome: "issued" | "failed";
  readonly cluster: string;
  readonly csrName: string;
  readonly csrUid: string;
  readonly recordPath: string;
  readonly serial: string | undefined;
  readonly notBefore: string | undefined;
  readonly notAfter: string | undefined;
  readonly issuer: string | undefined;
  readonly certificateSha256: string | undefined;
  /** undefined when the signer failed. */
  readonly matchesRequest: boolean | undefined;
  readonly mismatches: readonly string[];
  readonly failure: string | undefined;
  readonly recordedAt: string;
}

export type ReceiptFacts = DecisionReceiptFacts | CertificateReceiptFacts;

export type Parsed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

/** The two parsers the audit needs from the formats' owners. */
export interface Formats {
  readonly parseRecord: (text: string) => Parsed<RecordFacts>;
  /** undefined when the message carries no receipt trailers at all (not a receipt commit). */
  readonly parseReceipt: (message: string) => Parsed<ReceiptFacts> | undefined;
  /** The receipt file (decision.yaml or certificate.yaml): must hold the same facts. */
  readonly parseReceiptFile: (text: string) => Parsed<ReceiptFacts>;
}
