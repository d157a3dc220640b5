/**
 * The two-person rule (DESIGN.md, "When the app may approve", 4): distinct approvals that count,
 * every review that did not count and why, and the code owners whose latest review requests
 * changes. Pure.
 */
import type { Owner } from "../github/codeowners.ts";
import { ownerStatus } from "./code-owner.ts";
import { latestOpinions } from "./latest-opinions.ts";
import type { IgnoredReviewCode } from "./reason-codes.ts";
import type {
  GitHubUser,
  PermissionFact,
  RepoPermission,
  ReviewFacts,
  TeamFact,
} from "./snapshot.ts";

export interface IgnoredReview {
  readonly user: GitHubUser;
  readonly codes: readonly IgnoredReviewCode[];
}

export interface ApprovalCount {
  readonly approvers: readonly GitHubUser[];
  readonly ignored: readonly IgnoredReview[];
  readonly changesRequestedBy: readonly GitHubUser[];
}

export interface CountInput {
  readonly reviews: readonly ReviewFacts[];
  /** Null while the PR is open (the check run's running count). */
  readonly mergedAt: string | null;
  /** The head commit that was merged (or is the head now). */
  readonly headSha: string;
  readonly authorId: number | null;
  /** Owners of the record path; empty when nobody owns it. */
  readonly owners: readonly Owner[];
  readonly teams: readonly TeamFact[];
  readonly permissions: readonly PermissionFact[];
}

const WRITE: ReadonlySet<RepoPermission> = new Set(["admin", "maintain", "write"]);

export function isBot(user: GitHubUser): boolean {
  return user.type === "Bot" || user.login.toLowerCase().endsWith("[bot]");
}

function hasWrite(userId: number, permissions: readonly PermissionFact[]): boolean {
  const fact = permissions.find((p) => p.userId === userId);
  return fact !== undefined && WRITE.has(fact.permission);
}

export function countApprovals(input: CountInput): ApprovalCount {
  const opinions = latestOpinions(input.reviews, input.mergedAt);
  const approvers: GitHubUser[] = [];
  const ignored: IgnoredReview[] = opinions.afterMerge.map((user) => ({
    user,
    codes: ["after-merge"],
  }));
  const changesRequestedBy: GitHubUser[] = [];
  for (const opinion of opinions.latest) {
    const { user } = opinion;
    const owner = ownerStatus(user, input.owners, input.teams);
    if (opinion.state === "CHANGES_REQUESTED" && owner === "owner") changesRequestedBy.push(user);
    if (opinion.state !== "APPROVED") {
      ignored.push({ user, codes: ["not-latest-approval"] });
      continue;
    }
    const codes: IgnoredReviewCode[] = [];
    if (opinion.commitId !== input.headSha) codes.push("stale-commit");
    if (input.authorId !== null && user.id === input.authorId) codes.push("pull-author");
    if (isBot(user)) codes.push("bot");
    if (owner !== "owner") codes.push(owner);
    if (!hasWrite(user.id, input.permissions)) codes.push("no-write-access");
    if (codes.length === 0) approvers.push(user);
    else ignored.push({ user, codes });
  }
  return { approvers, ignored, changesRequestedBy };
}
