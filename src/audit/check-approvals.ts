/**
 * Were the approvers of an approved decision code owners of the record under the CODEOWNERS of the
 * base the PR was merged into, and were there at least as many as then required?
 *
 * Git history records CODEOWNERS, not team membership: an approver the file names directly is
 * checked exactly; one who can only be an owner through a team is counted (the app checked the
 * membership at merge time) and noted on the ledger entry. Email owners never count: an app cannot
 * map them to a GitHub account.
 */
import { parseOwner } from "../core/github/codeowners.ts";
import type { DecisionReceiptFacts, RecordFacts } from "./facts.ts";
import type { FindingCode } from "./finding.ts";

export interface ApprovalCheck {
  readonly problems: readonly { readonly code: FindingCode; readonly detail: string }[];
  readonly notes: readonly string[];
}

export function checkApprovals(args: {
  readonly facts: DecisionReceiptFacts;
  readonly record: RecordFacts | undefined;
  /** Owners of the record path at the base commit; undefined: the base is not in the history. */
  readonly owners: readonly string[] | undefined;
  readonly baseCommit: string;
}): ApprovalCheck {
  const problems: { code: FindingCode; detail: string }[] = [];
  const notes: string[] = [];
  const owners = (args.owners ?? []).map(parseOwner);
  const users = new Set(owners.flatMap((o) => (o?.kind === "user" ? [o.login.toLowerCase()] : [])));
  const teams = owners.flatMap((o) => (o?.kind === "team" ? [`@${o.org}/${o.slug}`] : []));
  if (args.owners === undefined)
    problems.push({
      code: "approver-not-code-owner",
      detail: `the base commit ${args.baseCommit.slice(0, 12)} is not in the history, so no CODEOWNERS applies`,
    });
  const counted = new Set<number>();
  for (const approver of args.facts.approvedBy) {
    if (counted.has(approver.id)) continue;
    if (users.has(approver.login.toLowerCase())) counted.add(approver.id);
    else if (teams.length > 0) {
      counted.add(approver.id);
      notes.push(
        `${approver.login} (id ${approver.id}) counted as a member of ${teams.join(" or ")}; git history does not record team membership`,
      );
    } else if (args.owners !== undefined)
      problems.push({
        code: "approver-not-code-owner",
        detail: `${approver.login} (id ${approver.id}) is not a code owner of ${args.facts.recordPath} at ${args.baseCommit.slice(0, 12)}${args.owners.length === 0 ? " (nobody is)" : ` (owners: ${args.owners.join(" ")})`}`,
      });
  }
  const required = Math.max(
    args.record?.verdict.requiredApprovals ?? 0,
    args.facts.requiredApprovals ?? 0,
    1,
  );
  if (counted.size < required)
    problems.push({
      code: "approvals-too-few",
      detail: `${counted.size} code-owner approval${counted.size === 1 ? "" : "s"} where ${required} were required`,
    });
  return { problems, notes };
}
