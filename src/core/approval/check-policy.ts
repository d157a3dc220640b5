/**
 * Condition 3: the config at the merge base is valid, and the policy allows the live CSR both at
 * the merge base and at the default branch's tip now (the stricter wins: both must allow, and the
 * larger required count applies). Pure.
 */
import { evaluate, type Verdict } from "../policy/index.ts";
import type { Finding } from "./finding.ts";
import type { RefusalCode } from "./reason-codes.ts";
import type { ApprovalSnapshot, PolicyAt } from "./snapshot.ts";

export interface PolicyOutcome {
  readonly findings: readonly Finding<RefusalCode>[];
  /** Approvals required: the larger of both verdicts', never below 1 (2 when unknown). */
  readonly required: number;
  /** Blob SHA of the policy used at the merge base, "builtin", or null when unreadable. */
  readonly policyBlob: string | null;
}

/** Fail-closed default when no policy could be read. */
export const DEFAULT_REQUIRED = 2;

function safeRequired(verdict: Verdict): number {
  const n = verdict.requiredApprovals;
  return Number.isSafeInteger(n) && n >= 1 ? n : DEFAULT_REQUIRED;
}

function judge(
  where: string,
  at: PolicyAt,
  s: ApprovalSnapshot,
): { findings: Finding<RefusalCode>[]; required: number | undefined } {
  if (!at.ok)
    return {
      findings: [
        { code: "policy-invalid", message: `the policy at ${where} is invalid: ${at.error}` },
      ],
      required: undefined,
    };
  if (!s.live.present) return { findings: [], required: at.policy.requiredApprovals };
  const verdict = evaluate(at.policy, s.live.decoded);
  const findings: Finding<RefusalCode>[] =
    verdict.decision === "allow"
      ? []
      : [
          {
            code: "policy-denies",
            message: `the policy at ${where} denies it: ${verdict.reasons.map((r) => r.code).join(", ")}`,
          },
        ];
  return { findings, required: safeRequired(verdict) };
}

export function checkPolicy(s: ApprovalSnapshot): PolicyOutcome {
  const findings: Finding<RefusalCode>[] = [];
  if (!s.configAtBase.ok)
    findings.push({
      code: "config-invalid",
      message: `the config at the merge base is invalid: ${s.configAtBase.error}`,
    });
  const base = judge("the merge base", s.policyAtBase, s);
  const tip = judge(`the tip of ${s.defaultBranch}`, s.policyAtTip, s);
  findings.push(...base.findings, ...tip.findings);
  const counts = [base.required, tip.required].filter((n): n is number => n !== undefined);
  const required =
    counts.length === 2 ? Math.max(1, ...counts) : Math.max(DEFAULT_REQUIRED, ...counts);
  const policyBlob = s.policyAtBase.ok
    ? s.policyAtBase.source === "builtin"
      ? "builtin"
      : s.policyAtBase.blobSha
    : null;
  return { findings, required, policyBlob };
}
