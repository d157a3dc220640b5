/**
 * Everything "may we approve?" looks at, as plain data read at one moment by the edges
 * (src/github, src/kube). The decision is a pure function of this; nothing here is fetched lazily,
 * so a table test can state any attack as one snapshot.
 */
import type { ClusterChecksConfig, NodeFacts } from "../cluster/cluster-checks.ts";
import type { DecodeResult } from "../csr/types.ts";
import type { Policy } from "../policy/index.ts";

/** A GitHub account as the REST API presents it (`simple-user`). */
export interface GitHubUser {
  readonly id: number;
  readonly login: string;
  /** "User", "Bot" or "Organization". */
  readonly type: string;
}

/** The app's own GitHub identity: its bot user `<slug>[bot]`. */
export interface AppIdentity {
  readonly botLogin: string;
  readonly botId: number;
}

export interface PullFacts {
  readonly number: number;
  readonly state: "open" | "closed";
  readonly merged: boolean;
  readonly mergedAt: string | null;
  readonly mergeCommitSha: string | null;
  readonly mergedBy: GitHubUser | null;
  readonly closedBy: GitHubUser | null;
  readonly author: GitHubUser | null;
  readonly headRef: string;
  readonly headSha: string;
  /** `owner/name` of the head repository (null when a fork was deleted). */
  readonly headRepo: string | null;
  readonly baseRepo: string;
  readonly baseRef: string;
}

export interface CommitFacts {
  readonly sha: string;
  /** The GitHub account linked to the commit's author and committer (null when none is linked). */
  readonly author: GitHubUser | null;
  readonly committer: GitHubUser | null;
  /** GitHub verified the commit's signature (the web-flow signature of API commits). */
  readonly verified: boolean;
}

export interface FileFacts {
  readonly filename: string;
  /** "added", "modified", "removed", "renamed", ... */
  readonly status: string;
  readonly blobSha: string | null;
}

export interface ReviewFacts {
  readonly id: number;
  /** Null when the account was deleted: such a review is no review. */
  readonly user: GitHubUser | null;
  /** REST state, upper case: APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING. */
  readonly state: string;
  readonly commitId: string | null;
  readonly submittedAt: string | null;
}

/** Membership of one user in one team (child teams included), as GitHub reports it. */
export interface TeamFact {
  readonly org: string;
  readonly slug: string;
  readonly userId: number;
  readonly state: "active" | "pending" | "absent";
}

export type RepoPermission = "admin" | "maintain" | "write" | "triage" | "read" | "none";

export interface PermissionFact {
  readonly userId: number;
  readonly permission: RepoPermission;
}

/** What the record (read at the PR's head commit) says, as far as the decision needs it. */
export type RecordFacts =
  | {
      readonly ok: true;
      readonly path: string;
      readonly cluster: string;
      readonly csrName: string;
      readonly csrUid: string;
      readonly requestSha256: string;
    }
  | { readonly ok: false; readonly error: string };

/** A policy file as read at one commit, already parsed at the boundary. */
export type PolicyAt =
  | {
      readonly ok: true;
      readonly policy: Policy;
      readonly source: "builtin" | "repository";
      readonly blobSha: string | null;
    }
  | { readonly ok: false; readonly error: string };

/** The repo config at one commit: what the decision needs of it (the cluster-aware checks). */
export type ConfigAt =
  | { readonly ok: true; readonly clusterChecks: ClusterChecksConfig }
  | { readonly ok: false; readonly error: string };

/**
 * The Node the cluster-aware checks need, read from the apiserver right after the CSR: none
 * needed (`nodeToRead` named none when the edge asked), read (undefined: no such Node), or a read
 * error (which refuses: the checks fail closed).
 */
export type NodeRead =
  | { readonly kind: "not-needed" }
  | { readonly kind: "read"; readonly name: string; readonly node: NodeFacts | undefined }
  | { readonly kind: "error"; readonly name: string; readonly error: string };

/** The live CSR, read from the apiserver just now. */
export type LiveCsr =
  { readonly present: false } | { readonly present: true; readonly decoded: DecodeResult };

export interface ApprovalSnapshot {
  readonly app: AppIdentity;
  /** `owner/name` of the audit repository and its default branch. */
  readonly repo: string;
  readonly defaultBranch: string;
  readonly pull: PullFacts;
  readonly commits: readonly CommitFacts[];
  readonly files: readonly FileFacts[];
  readonly reviews: readonly ReviewFacts[];
  /** CODEOWNERS at the merge commit's first parent (undefined: no CODEOWNERS file). */
  readonly codeowners: { readonly path: string; readonly text: string } | undefined;
  readonly teams: readonly TeamFact[];
  readonly permissions: readonly PermissionFact[];
  readonly record: RecordFacts;
  readonly live: LiveCsr;
  /** The Node named by the live CSR, read just after it (cluster-aware checks). */
  readonly node: NodeRead;
  /** Config and policy at the merge commit's first parent, and the policy at the base's tip now. */
  readonly configAtBase: ConfigAt;
  readonly policyAtBase: PolicyAt;
  readonly policyAtTip: PolicyAt;
  /** `external_id` of the app's own check run on the head commit; null when there is none. */
  readonly checkRunExternalId: string | null;
}
