/**
 * The words the app uses on the PR (markdown), in Events and in condition messages (plain text),
 * for every outcome. Person- and CSR-derived strings pass through display.ts.
 */
import {
  IGNORED_REVIEW_MEANINGS,
  type ApprovalDecision,
  type Finding,
  type GitHubUser,
} from "../core/approval/index.ts";
import { displayMarkdown as md, displayText as text } from "./display.ts";

export interface CsrRef {
  readonly cluster: string;
  readonly name: string;
  readonly uid: string;
}

function csrMd(c: CsrRef): string {
  return `CSR ${md(c.name)} (uid ${md(c.uid)}) in cluster ${md(c.cluster)}`;
}

function people(users: readonly GitHubUser[]): string {
  return users.map((u) => md(u.login)).join(", ") || "nobody";
}

function findingsMd(findings: readonly Finding<string>[]): string {
  return findings.map((f) => `- **${f.code}**: ${md(f.message, 400)}`).join("\n");
}

function reviewsMd(d: ApprovalDecision): string {
  if (d.ignored.length === 0) return "";
  const lines = d.ignored.map(
    (i) => `- ${md(i.user.login)}: ${i.codes.map((c) => IGNORED_REVIEW_MEANINGS[c]).join(" ")}`,
  );
  return `\n\nReviews that did not count:\n${lines.join("\n")}`;
}

function warningsMd(d: { readonly warnings: readonly Finding<string>[] }): string {
  if (d.warnings.length === 0) return "";
  return `\n\n> [!WARNING]\n${d.warnings.map((w) => `> ${md(w.message, 400)}`).join("\n>\n")}`;
}

export function approvedComment(
  d: ApprovalDecision,
  csr: CsrRef,
  mergedBy: GitHubUser | null,
  headSha: string,
): string {
  const single = d.required === 1 ? " (single-approver policy)" : "";
  return `### ✅ Approved\n\n${String(d.approvers.length)} of ${String(d.required)} required code-owner approvals${single} on the merged head ${md(headSha.slice(0, 12))}: ${people(d.approvers)}. Merged by ${md(mergedBy?.login ?? "unknown")}. The app approved ${csrMd(csr)}.${warningsMd(d)}`;
}

export function refusedComment(
  d: ApprovalDecision & { readonly approve: false },
  csr: CsrRef,
): string {
  return `### ⛔ Not approved\n\nThis PR was merged, but the app did **not** approve ${csrMd(csr)}. Nothing was written to Kubernetes; the CSR stays pending until it expires or a new PR is approved. Every reason:\n\n${findingsMd(d.refusals)}${reviewsMd(d)}${warningsMd(d)}`;
}

export function deniedComment(
  csr: CsrRef,
  closedBy: GitHubUser | null,
  reason: string | null,
): string {
  const who = closedBy === null ? "Someone" : md(closedBy.login);
  const why = reason === null ? "They left no comment." : `Their last comment: ${md(reason, 300)}`;
  return `### 🛑 Denied\n\n${who} closed this PR without merging, so the app denied ${csrMd(csr)}. ${why}`;
}

export function tamperedComment(headSha: string, pusher: string | null): string {
  const by = pusher === null ? "" : ` (by ${md(pusher)})`;
  return `### ⚠️ Tampered\n\nSomeone other than the app pushed to this PR's branch: the head is now ${md(headSha.slice(0, 12))}${by}. The app will never approve this PR, even if it is merged. Close it (the CSR is then denied) and let the controller open a fresh one if the CSR should be approved.`;
}

export function receiptRefusedComment(status: number, message: string): string {
  return `### ⚠️ Receipt not recorded\n\nThe default branch refused the app's receipt commit (HTTP ${String(status)}: ${md(message, 300)}). The decision written to Kubernetes stands; the app retries the receipt at every resync. Allow the app to commit receipts (see docs/audit-repo.md), or \`csr-gitops audit\` will report this gap.`;
}

export function certificateComment(
  csr: CsrRef,
  outcome:
    | { readonly kind: "issued"; readonly serial: string; readonly mismatches: readonly string[] }
    | { readonly kind: "failed"; readonly failure: string },
): string {
  if (outcome.kind === "failed")
    return `### ❌ Signer failed\n\nThe signer did not issue a certificate for ${csrMd(csr)}: ${md(outcome.failure, 300)}.`;
  if (outcome.mismatches.length === 0)
    return `### 📜 Certificate issued\n\nThe signer issued certificate serial ${md(outcome.serial)} for ${csrMd(csr)}; it matches the approved request.`;
  return `### ❌ Certificate does not match the request\n\nThe signer issued certificate serial ${md(outcome.serial)} for ${csrMd(csr)}, but:\n\n${outcome.mismatches.map((m) => `- ${md(m, 300)}`).join("\n")}`;
}

/** The Approved condition's message: names the PR, the merge commit and the approvers. */
export function approvedConditionMessage(
  repo: string,
  number: number,
  mergeSha: string,
  mergedBy: GitHubUser | null,
  approvers: readonly GitHubUser[],
): string {
  const who = approvers.map((a) => `${text(a.login)} (id ${String(a.id)})`).join(", ");
  return `Approved by csr-gitops: ${repo} PR #${String(number)} merged by ${text(mergedBy?.login ?? "unknown")} at ${mergeSha}; code-owner approvals: ${who}`;
}

/** The approvers an Approved condition message of this app names (login and id), in order. */
export function approversInConditionMessage(message: string): GitHubUser[] {
  const at = message.lastIndexOf("; code-owner approvals: ");
  if (at === -1) return [];
  const list = message.slice(at + "; code-owner approvals: ".length);
  return [...list.matchAll(/([A-Za-z0-9-]+(?:\[bot\])?) \(id (\d+)\)/g)].map((m) => ({
    login: m[1] ?? "",
    id: Number(m[2]),
    type: "User",
  }));
}

export function deniedConditionMessage(
  repo: string,
  number: number,
  closedBy: GitHubUser | null,
  reason: string | null,
): string {
  const who = closedBy === null ? "someone" : `${text(closedBy.login)} (id ${String(closedBy.id)})`;
  const why = reason === null ? "" : `: ${text(reason, 300)}`;
  return `Denied by csr-gitops: ${repo} PR #${String(number)} closed without merging by ${who}${why}`;
}

export const APPROVED_REASON = "CsrGitopsPullRequestMerged";
export const DENIED_REASON = "CsrGitopsPullRequestClosed";
