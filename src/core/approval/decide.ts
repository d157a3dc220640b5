/**
 * "May we approve?" (DESIGN.md, "When the app may approve"): a pure function from a snapshot read
 * at merge time to a decision carrying every reason. Fails closed: any finding refuses, and an
 * unexpected exception refuses too (the core never throws).
 */
import { pathOwners } from "./code-owner.ts";
import { checkCluster } from "./check-cluster.ts";
import { checkCsr } from "./check-csr.ts";
import { checkPolicy, DEFAULT_REQUIRED } from "./check-policy.ts";
import { checkPull } from "./check-pull.ts";
import { countApprovals, type IgnoredReview } from "./count-approvals.ts";
import type { Finding } from "./finding.ts";
import type { RefusalCode, WarningCode } from "./reason-codes.ts";
import type { ApprovalSnapshot, GitHubUser } from "./snapshot.ts";
import { approvalWarnings } from "./warnings.ts";

interface Common {
  /** Distinct approvals that counted, in review order. */
  readonly approvers: readonly GitHubUser[];
  readonly required: number;
  readonly ignored: readonly IgnoredReview[];
  readonly changesRequestedBy: readonly GitHubUser[];
  readonly warnings: readonly Finding<WarningCode>[];
  readonly policyBlob: string | null;
}

export type ApprovalDecision =
  | ({ readonly approve: true } & Common)
  | ({ readonly approve: false; readonly refusals: readonly Finding<RefusalCode>[] } & Common);

/** "1 of 2 code owner approvals". */
export function progressText(count: number, required: number): string {
  return `${String(count)} of ${String(required)} code owner approval${required === 1 ? "" : "s"}`;
}

function approvalFindings(
  s: ApprovalSnapshot,
  required: number,
  mergedAt: string | null,
): { findings: Finding<RefusalCode>[]; common: Omit<Common, "warnings" | "policyBlob"> } {
  const findings: Finding<RefusalCode>[] = [];
  // Without a readable record there is no path to own (checkPull reports it); count nobody.
  if (!s.record.ok)
    return {
      findings,
      common: { approvers: [], ignored: [], changesRequestedBy: [], required },
    };
  const path = s.record.path;
  let owners = s.codeowners === undefined ? undefined : pathOwners(s.codeowners.text, path);
  if (s.codeowners === undefined) {
    findings.push({
      code: "no-codeowners",
      message: "there is no CODEOWNERS file at the merge base, so nobody is a code owner",
    });
  } else if (owners === undefined || owners.length === 0) {
    owners = [];
    findings.push({
      code: "record-path-unowned",
      message: `CODEOWNERS at the merge base names no owner for ${path}`,
    });
  }
  const count = countApprovals({
    reviews: s.reviews,
    mergedAt,
    headSha: s.pull.headSha,
    authorId: s.pull.author?.id ?? null,
    owners: owners ?? [],
    teams: s.teams,
    permissions: s.permissions,
  });
  if (count.approvers.length < required)
    findings.push({
      code: "too-few-approvals",
      message: progressText(count.approvers.length, required),
    });
  if (count.changesRequestedBy.length > 0)
    findings.push({
      code: "changes-requested",
      message: `changes requested by ${count.changesRequestedBy.map((u) => u.login).join(", ")}`,
    });
  return { findings, common: { ...count, required } };
}

function decideUnsafe(s: ApprovalSnapshot): ApprovalDecision {
  const refusals: Finding<RefusalCode>[] = [];
  if (!s.pull.merged || s.pull.mergedAt === null || s.pull.mergeCommitSha === null)
    refusals.push({ code: "not-merged", message: `PR #${String(s.pull.number)} is not merged` });
  refusals.push(...checkPull(s), ...checkCsr(s.record, s.live));
  const policy = checkPolicy(s);
  refusals.push(...policy.findings, ...checkCluster(s.configAtBase, s.live, s.node));
  // Never lower than 1, whatever came in (the policy schema already says so; this is the backstop).
  const required = Math.max(1, policy.required);
  const approvals = approvalFindings(s, required, s.pull.mergedAt ?? "");
  refusals.push(...approvals.findings);
  const common: Common = {
    ...approvals.common,
    warnings: approvalWarnings(s.codeowners, required),
    policyBlob: policy.policyBlob,
  };
  return refusals.length === 0
    ? { approve: true, ...common }
    : { approve: false, refusals, ...common };
}

/** The decision for a merged PR. Never throws; anything unexpected refuses. */
export function decideApproval(s: ApprovalSnapshot): ApprovalDecision {
  try {
    return decideUnsafe(s);
  } catch (cause) {
    return {
      approve: false,
      refusals: [
        {
          code: "record-unreadable",
          message: `the decision failed unexpectedly: ${cause instanceof Error ? cause.message : String(cause)}`,
        },
      ],
      approvers: [],
      required: DEFAULT_REQUIRED,
      ignored: [],
      changesRequestedBy: [],
      warnings: [],
      policyBlob: null,
    };
  }
}

export interface Progress {
  readonly approvers: readonly GitHubUser[];
  readonly required: number;
  readonly changesRequestedBy: readonly GitHubUser[];
  readonly ignored: readonly IgnoredReview[];
  /** Anything that already rules an approval out (tampering, policy, CSR state). */
  readonly blockers: readonly Finding<RefusalCode>[];
  readonly warnings: readonly Finding<WarningCode>[];
  readonly text: string;
}

/** Where an open PR stands, for its check run: the same rules as at merge, counted on the head now. */
export function approvalProgress(s: ApprovalSnapshot): Progress {
  const policy = checkPolicy(s);
  const required = Math.max(1, policy.required);
  const approvals = approvalFindings(s, required, null);
  const blockers = [
    ...checkPull(s),
    ...checkCsr(s.record, s.live),
    ...policy.findings,
    ...checkCluster(s.configAtBase, s.live, s.node),
    ...approvals.findings.filter((f) => f.code !== "too-few-approvals"),
  ];
  return {
    ...approvals.common,
    blockers,
    warnings: approvalWarnings(s.codeowners, required),
    text: progressText(approvals.common.approvers.length, required),
  };
}
