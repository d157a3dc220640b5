import type { GitRepository } from "../git/git-repository.ts";
import type { SeedProtection } from "../seed/seed-schema.ts";

export type Permission = "read" | "triage" | "write" | "maintain" | "admin";

export interface Account {
  readonly id: number;
  readonly login: string;
  readonly type: "User" | "Organization" | "Bot";
  readonly name: string | undefined;
  readonly email: string | undefined;
  readonly siteAdmin: boolean;
  readonly createdAtMs: number;
}

export interface TeamMembership {
  role: "member" | "maintainer";
  state: "active" | "pending";
}

export interface Team {
  readonly id: number;
  readonly org: string;
  readonly slug: string;
  readonly name: string;
  readonly description: string | undefined;
  parent: string | undefined;
  readonly members: Map<string, TeamMembership>;
  readonly createdAtMs: number;
}

export type BranchProtection = SeedProtection;

export interface Review {
  readonly id: number;
  readonly user: string;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";
  commitId: string;
  body: string;
  submittedAtMs: number;
}

export interface PullRequest {
  readonly number: number;
  readonly id: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  readonly user: string;
  readonly headRef: string;
  /** The head sha as last seen; the live branch wins while the PR is open and the branch exists. */
  headSha: string;
  baseRef: string;
  draft: boolean;
  readonly maintainerCanModify: boolean;
  readonly createdAtMs: number;
  updatedAtMs: number;
  closedAtMs: number | undefined;
  mergedAtMs: number | undefined;
  mergeCommitSha: string | undefined;
  mergedBy: string | undefined;
  /** Base sha when merged (or last computed), for the file list of a merged PR. */
  baseShaAtMerge: string | undefined;
  readonly labels: string[];
  readonly reviews: Review[];
  /** Logins and team slugs whose review is requested (GitHub drops a person once they review). */
  readonly requestedReviewers: string[];
  readonly requestedTeams: string[];
}

export interface IssueComment {
  readonly id: number;
  readonly issueNumber: number;
  readonly user: string;
  body: string;
  readonly createdAtMs: number;
  updatedAtMs: number;
}

export interface Label {
  readonly id: number;
  readonly name: string;
  readonly color: string;
  readonly description: string;
}

export interface CheckRun {
  readonly id: number;
  readonly headSha: string;
  name: string;
  status: "queued" | "in_progress" | "completed" | "waiting" | "requested" | "pending";
  conclusion: string | null;
  startedAtMs: number | undefined;
  completedAtMs: number | undefined;
  externalId: string | null;
  detailsUrl: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  readonly appId: number;
}

export interface Repo {
  readonly id: number;
  readonly owner: string;
  readonly name: string;
  readonly description: string | undefined;
  readonly private: boolean;
  readonly defaultBranch: string;
  readonly git: GitRepository;
  readonly collaborators: Map<string, Permission>;
  /** Team access by lowercase team slug (teams of the owning org). */
  readonly teams: Map<string, Permission>;
  readonly protection: Map<string, BranchProtection>;
  readonly pulls: PullRequest[];
  readonly comments: IssueComment[];
  readonly labels: Map<string, Label>;
  readonly checkRuns: CheckRun[];
  /** Commits GitHub would show as Verified (signed by GitHub: API commits by the app, merges). */
  readonly verifiedCommits: Set<string>;
  /** Who last pushed to each branch (for `require_last_push_approval`). */
  readonly lastPusher: Map<string, string>;
  readonly createdAtMs: number;
  pushedAtMs: number;
  nextNumber: number;
}

export interface Installation {
  readonly id: number;
  readonly account: string;
  readonly repositories: "all" | readonly string[];
  readonly permissions: Readonly<Record<string, string>>;
  readonly createdAtMs: number;
}

export interface App {
  readonly id: number;
  readonly slug: string;
  readonly name: string;
  readonly owner: string;
  readonly publicKeyPem: string;
  /** Present only when the seed generated the key, so a test or the CLI can hand it to the app. */
  readonly privateKeyPem: string | undefined;
  readonly webhook: { readonly url: string; readonly secret: string } | undefined;
  readonly permissions: Readonly<Record<string, string>>;
  readonly events: readonly string[];
  readonly installations: Map<number, Installation>;
  readonly createdAtMs: number;
  /** The bot account (`<slug>[bot]`) that installation tokens act as. */
  readonly botLogin: string;
}

/** Who is making a request, as established by its Authorization header. */
export type Actor =
  | { readonly kind: "anonymous" }
  | { readonly kind: "app"; readonly appId: number }
  | { readonly kind: "installation"; readonly installationId: number; readonly token: string }
  | { readonly kind: "user"; readonly login: string };
