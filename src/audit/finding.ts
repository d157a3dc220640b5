/**
 * What the audit found. Each finding names the commit (or the cluster object) it is about and
 * says in one line why it matters; the code is stable for scripts and metrics.
 *
 * Severity: `alarm` means the history or the cluster cannot prove a credential was reviewed;
 * `warning` means the proof is incomplete or could not be checked; `notice` is expected behaviour
 * worth seeing (a node's own client certificate approved by kube-controller-manager). Alarms and
 * warnings make `audit` exit 1; notices do not.
 */

export type Severity = "alarm" | "warning" | "notice";

export const FINDING_CODES = {
  // The history itself.
  "receipt-trailers-invalid": {
    severity: "alarm",
    why: "a receipt whose trailers do not parse proves nothing about the decision",
  },
  "receipt-not-app": {
    severity: "alarm",
    why: "anyone can write receipt trailers; only the app's own commits prove the app decided",
  },
  "receipt-signature-missing": {
    severity: "alarm",
    why: "an unsigned commit's committer is only text that anyone can set",
  },
  "receipt-signature-invalid": {
    severity: "alarm",
    why: "the signature does not come from the app's signing key, so the receipt may be forged",
  },
  "receipt-signature-unchecked": {
    severity: "warning",
    why: "until its signature is checked this receipt cannot be told apart from a forgery",
  },
  "receipt-without-record": {
    severity: "alarm",
    why: "a decision with no record is a credential nobody reviewed in this repository",
  },
  "receipt-digest-mismatch": {
    severity: "alarm",
    why: "the decision names another request or record than the one reviewers saw",
  },
  "receipt-duplicate": {
    severity: "alarm",
    why: "one CSR has one decision; a second receipt contradicts or replays the first",
  },
  "approver-not-code-owner": {
    severity: "alarm",
    why: "an approval from someone CODEOWNERS did not name does not count towards review",
  },
  "approvals-too-few": {
    severity: "alarm",
    why: "fewer code-owner approvals than required breaks the two-person rule",
  },
  "approved-despite-deny": {
    severity: "alarm",
    why: "the policy denied this request, yet a receipt says it was approved",
  },
  "record-rewritten": {
    severity: "alarm",
    why: "a record is written once; a changed record no longer shows what reviewers approved",
  },
  "record-deleted": {
    severity: "alarm",
    why: "deleting a record erases the evidence for a decision from the default branch",
  },
  "record-invalid": {
    severity: "alarm",
    why: "a record that does not parse cannot show what was reviewed",
  },
  "record-digest-invalid": {
    severity: "alarm",
    why: "the recorded digest does not describe the recorded request",
  },
  "record-path-mismatch": {
    severity: "alarm",
    why: "the record describes another CSR than its path names",
  },
  "unexpected-file": {
    severity: "warning",
    why: "a file under clusters/ outside the layout is covered by no check",
  },
  "record-merged-without-receipt": {
    severity: "warning",
    why: "a merged record with no receipt is a decision nobody can prove, or one never carried out",
  },
  "certificate-mismatch": {
    severity: "alarm",
    why: "the signer issued a certificate that differs from the request reviewers approved",
  },
  "certificate-without-decision": {
    severity: "warning",
    why: "a certificate receipt with no approval receipt records a credential issued without proof of review",
  },
  // Against a live cluster.
  "approved-out-of-band": {
    severity: "alarm",
    why: "a credential was approved in the cluster without the review this repository records",
  },
  "approved-despite-denial": {
    severity: "alarm",
    why: "the repository records a denial but the cluster approved the CSR",
  },
  "receipt-not-applied": {
    severity: "alarm",
    why: "the repository says approved but the cluster does not show that approval",
  },
  "issued-certificate-mismatch": {
    severity: "alarm",
    why: "the certificate the cluster issued is not for the request reviewers approved",
  },
  "kubelet-client-auto-approved": {
    severity: "notice",
    why: "kube-controller-manager approves a node's own client certificate by design",
  },
} as const satisfies Record<string, { severity: Severity; why: string }>;

export type FindingCode = keyof typeof FINDING_CODES;

export interface Finding {
  readonly code: FindingCode;
  readonly severity: Severity;
  /** The commit the finding is about (history findings), or undefined (cluster-only findings). */
  readonly commit: string | undefined;
  /** `cluster/name_uid` or a path: what the finding is about. */
  readonly subject: string;
  /** What exactly was found, one line. */
  readonly detail: string;
  /** Why it matters, one line. */
  readonly why: string;
  /** When it happened, ISO 8601, when known. */
  readonly at: string | undefined;
}

export function finding(
  code: FindingCode,
  fields: { commit?: string | undefined; subject: string; detail: string; at?: string | undefined },
): Finding {
  const meta = FINDING_CODES[code];
  return {
    code,
    severity: meta.severity,
    commit: fields.commit,
    subject: fields.subject,
    detail: fields.detail,
    why: meta.why,
    at: fields.at,
  };
}

const ORDER: Record<Severity, number> = { alarm: 0, warning: 1, notice: 2 };

/** Alarms first, then warnings, then notices; within each, by time then subject. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      ORDER[a.severity] - ORDER[b.severity] ||
      (a.at ?? "").localeCompare(b.at ?? "") ||
      a.subject.localeCompare(b.subject) ||
      a.code.localeCompare(b.code),
  );
}

/** Alarms and warnings fail the audit; notices do not. */
export function failsAudit(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity !== "notice");
}
