/** "May we approve?": pure decisions over a snapshot read at merge (or close) time. */
export { decideApproval, approvalProgress, progressText } from "./decide.ts";
export type { ApprovalDecision, Progress } from "./decide.ts";
export { closeTargets, closeCsrDecision, APP_CLOSE_LABELS } from "./decide-close.ts";
export type { CloseTargets, CloseCsrDecision, CloseSnapshot, CloseSkip } from "./decide-close.ts";
export { parseExternalId, renderExternalId, TAMPERED_MARK } from "./external-id.ts";
export type { CheckExternalId, DecidedMark, RecordBlob } from "./external-id.ts";
export { owningTeams, pathOwners } from "./code-owner.ts";
export type { Finding } from "./finding.ts";
export type { IgnoredReview } from "./count-approvals.ts";
export { REFUSAL_MEANINGS, IGNORED_REVIEW_MEANINGS, WARNING_MEANINGS } from "./reason-codes.ts";
export type { RefusalCode, IgnoredReviewCode, WarningCode } from "./reason-codes.ts";
export type * from "./snapshot.ts";
export {
  mergedCheckRun,
  mergedMark,
  closedCheckRun,
  batchProgressCheckRun,
  DECIDED_AT_MERGE,
} from "./check-run-text.ts";
export type { CheckRunText, MergedCsrOutcome, BatchRecordProgress } from "./check-run-text.ts";
