import type { ReasonCode } from "./reason-codes.ts";

/** One finding of the policy: a stable code, a sentence for people, and the field it is about. */
export interface Reason {
  readonly code: ReasonCode;
  readonly message: string;
  /** Where in the CSR the finding is, e.g. "spec.usages" or "request.subjectAltNames[1]". */
  readonly field?: string;
}

/** What the policy says about one CSR. Pure data: callers switch on `decision`. */
export interface Verdict {
  readonly decision: "allow" | "deny";
  /** Every reason to deny, not only the first; empty exactly when the decision is allow. */
  readonly reasons: readonly Reason[];
  /** Informational findings, e.g. which risk tier raised the required approvals. */
  readonly notes: readonly Reason[];
  /** Distinct code-owner approvals needed before the app may approve. */
  readonly requiredApprovals: number;
  /** The policy `signers` key whose rule applied, or undefined when none did. */
  readonly signerRule: string | undefined;
}
