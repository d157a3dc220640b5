/**
 * Every reason the app refuses to approve a merged PR, every reason one review did not count, and
 * every warning, each with what it means. Codes are stable kebab-case strings: PR comments, check
 * runs, receipts (`Csr-Gitops-Refused`), Events and metrics key on them; never rename or reuse one.
 */
export const REFUSAL_MEANINGS = {
  // 1. The PR is the app's own, unchanged.
  "not-merged": "The PR was not merged; only a merge asks the app to approve.",
  "wrong-base": "The PR was merged into a branch other than the default branch.",
  "not-app-pull": "The PR was not opened by the app's bot account.",
  "not-app-branch": "The PR's head is not the app's branch for this CSR.",
  "fork-head": "The PR's head is in another repository.",
  "extra-commits": "The PR does not hold exactly the app's one commit.",
  "head-not-app-commit":
    "The head commit was not made and signed by the app's bot through the API (someone pushed).",
  "files-not-record": "The PR's diff is not exactly the record file(s) the app added.",
  "record-blob-mismatch":
    "The record file is not the blob the app wrote (its check run says which).",
  "check-run-missing": "The app's own check run, which names the record blob it wrote, is missing.",
  tampered: "Someone other than the app pushed to the PR's branch; it can never be approved.",
  "record-unreadable": "The record file could not be read or parsed.",
  "record-path-mismatch": "The record does not sit at the path its own CSR key gives.",
  // 2. The live CSR is the recorded one, still pending.
  "csr-missing": "The CSR no longer exists in the cluster.",
  "csr-replaced": "A CSR of that name exists with another uid: it was deleted and re-created.",
  "csr-undecodable": "The live CSR's request could not be decoded.",
  "request-digest-mismatch": "The live CSR's request is not the one the record holds.",
  "csr-already-decided": "The CSR is already Approved, Denied or Failed: a decision is final.",
  // 3. Config and policy on the default branch allow it.
  "config-invalid": "The repository config at the merge base is broken; nothing runs on a guess.",
  "policy-invalid": "The policy at the merge base or at the branch tip could not be loaded.",
  "policy-denies": "The policy (at the merge base or now at the branch tip) denies this CSR.",
  "cluster-check-fails":
    "A cluster-aware check fails now: the Node is gone, or a SAN is not one of its addresses.",
  "node-unreadable":
    "The Node the cluster-aware checks need could not be read; nothing on a guess.",
  // 4. Two-person rule.
  "no-codeowners": "There is no CODEOWNERS file at the merge base, so nobody is a code owner.",
  "record-path-unowned": "CODEOWNERS at the merge base names no owner for the record path.",
  "too-few-approvals": "Fewer distinct code-owner approvals than the policy requires.",
  "changes-requested": "A code owner's latest review requests changes.",
} as const;

export type RefusalCode = keyof typeof REFUSAL_MEANINGS;

/** Why one person's review did not count as an approval. */
export const IGNORED_REVIEW_MEANINGS = {
  "user-deleted": "The review's account no longer exists.",
  "after-merge": "Submitted after the PR was merged.",
  "not-latest-approval": "The reviewer's latest opinion is not an approval.",
  "stale-commit": "Approved an older commit, not the head that was merged.",
  "pull-author": "The PR's author cannot approve it.",
  bot: "Bots never count as approvers.",
  "not-code-owner": "Not a code owner of the record path (directly or by an active team).",
  "team-membership-pending": "Invited to an owning team but the invitation is not accepted.",
  "no-write-access": "Has no write access to the audit repository.",
} as const;

export type IgnoredReviewCode = keyof typeof IGNORED_REVIEW_MEANINGS;

export const WARNING_MEANINGS = {
  "single-approver-policy":
    "The policy requires one approval for this CSR: one person alone can get it approved.",
  "config-not-code-owned":
    "CODEOWNERS does not cover the config, policy or CODEOWNERS file: whoever edits them alone can lower the number of approvals.",
  "codeowners-errors": "CODEOWNERS has lines GitHub ignores.",
} as const;

export type WarningCode = keyof typeof WARNING_MEANINGS;
