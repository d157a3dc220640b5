/**
 * Everything "may we approve?" needs from GitHub about one app PR, read now, in as few calls as
 * the REST API allows: the PR, its commits, files and reviews; CODEOWNERS, config and policy at
 * the merge commit's first parent (the base as merged into; the base tip for an open PR); the
 * policy at the default branch's tip; the record at the head; the app's own check run; and, for
 * each reviewer, team memberships (child teams included) and repository permission.
 * The live CSR is read from Kubernetes by the caller, last, just before deciding.
 */
import {
  owningTeams,
  parseExternalId,
  pathOwners,
  type ApprovalSnapshot,
  type AppIdentity,
  type CommitFacts,
  type GitHubUser,
  type PermissionFact,
  type RecordFacts,
  type RepoPermission,
  type TeamFact,
} from "../core/approval/index.ts";
import type { RepoConfig } from "../core/config/index.ts";
import { formatYamlError } from "../core/config/index.ts";
import { parseRecord } from "../core/record/record.ts";
import { findAppCheckRun, type AppCheckRun } from "./app-check-run.ts";
import { httpStatus, type GitHubApi, type RepoRef } from "./github-api.ts";
import { readFileAt } from "./read-file-at.ts";
import { readCodeownersAt, readConfigAt, readPolicyAt } from "./read-repo-rules.ts";

export interface PullSnapshot {
  readonly facts: Omit<ApprovalSnapshot, "live" | "node">;
  readonly labels: readonly string[];
  readonly checkRun: AppCheckRun | undefined;
  /** The commit the rules were read at (merge commit's first parent, or the base tip). */
  readonly baseSha: string;
  readonly config: RepoConfig | undefined;
  /** Who asked the recorded CSR of which signer, and when: for the decision's log and metrics. */
  readonly requested: RequestedCsr | undefined;
}

export interface RequestedCsr {
  readonly uid: string;
  readonly signer: string;
  readonly requester: string;
  readonly createdAt: string;
  /** The record's verdict says the policy names no rule for this signer. */
  readonly unknownSigner: boolean;
}

interface RawUser {
  readonly id: number;
  readonly login: string;
  readonly type?: string;
}

export function userOf(u: RawUser | null | undefined): GitHubUser | null {
  return u === null || u === undefined
    ? null
    : { id: u.id, login: u.login, type: u.type ?? "User" };
}

const ROLES: ReadonlySet<string> = new Set(["admin", "maintain", "write", "triage", "read"]);

async function permissionOf(
  api: GitHubApi,
  repo: RepoRef,
  user: GitHubUser,
): Promise<PermissionFact> {
  try {
    const res = await api.rest.repos.getCollaboratorPermissionLevel({
      ...repo,
      username: user.login,
    });
    const role = res.data.role_name;
    // Only trust the answer about this very account: a rename between review and now must not
    // let another account's permission stand in.
    const permission = (ROLES.has(role) ? role : "none") as RepoPermission;
    return { userId: res.data.user?.id === user.id ? user.id : -1, permission };
  } catch (error) {
    if (httpStatus(error) === 404) return { userId: user.id, permission: "none" };
    throw error;
  }
}

export async function membershipOf(
  api: GitHubApi,
  team: { org: string; slug: string },
  user: GitHubUser,
): Promise<TeamFact> {
  try {
    const res = await api.rest.teams.getMembershipForUserInOrg({
      org: team.org,
      team_slug: team.slug,
      username: user.login,
    });
    const state = res.data.state === "active" ? "active" : "pending";
    return { ...team, userId: user.id, state };
  } catch (error) {
    if (httpStatus(error) === 404) return { ...team, userId: user.id, state: "absent" };
    throw error;
  }
}

export async function recordFacts(
  api: GitHubApi,
  repo: RepoRef,
  path: string | undefined,
  headSha: string,
): Promise<RecordFacts & { requested?: RequestedCsr }> {
  if (path === undefined) return { ok: false, error: "the app's check run names no record" };
  const file = await readFileAt(api, repo, path, headSha);
  if (file === undefined) return { ok: false, error: `${path} does not exist at the head commit` };
  const parsed = parseRecord(file.text, path);
  if (!parsed.ok) return { ok: false, error: parsed.errors.map(formatYamlError).join("; ") };
  const r = parsed.record;
  return {
    ok: true,
    path,
    cluster: r.cluster,
    csrName: r.csr.name,
    csrUid: r.csr.uid,
    requestSha256: r.request.sha256,
    requested: {
      uid: r.csr.uid,
      signer: r.csr.signerName,
      requester: r.csr.requester.username,
      createdAt: r.csr.creationTimestamp,
      unknownSigner: r.verdict.reasons.some((reason) => reason.code === "unknown-signer"),
    },
  };
}

export interface ReadPullOptions {
  readonly app: AppIdentity;
  readonly appId: number;
  /** Who closed the PR, from the webhook (the PR object does not say). */
  readonly closedBy?: GitHubUser | null;
}

export async function readPullSnapshot(
  api: GitHubApi,
  repo: RepoRef,
  number: number,
  options: ReadPullOptions,
): Promise<PullSnapshot> {
  const [pullRes, repoRes] = await Promise.all([
    api.rest.pulls.get({ ...repo, pull_number: number }),
    api.rest.repos.get({ owner: repo.owner, repo: repo.repo }),
  ]);
  const pr = pullRes.data;
  const defaultBranch = repoRes.data.default_branch;
  const [commitsRaw, filesRaw, reviewsRaw] = await Promise.all([
    api.paginate(api.rest.pulls.listCommits, { ...repo, pull_number: number, per_page: 100 }),
    api.paginate(api.rest.pulls.listFiles, { ...repo, pull_number: number, per_page: 100 }),
    api.paginate(api.rest.pulls.listReviews, { ...repo, pull_number: number, per_page: 100 }),
  ]);
  // The fixed point of "at merge time": the base as merged into.
  let baseSha: string;
  if (pr.merged && pr.merge_commit_sha !== null) {
    const merge = await api.rest.git.getCommit({ ...repo, commit_sha: pr.merge_commit_sha });
    baseSha = merge.data.parents[0]?.sha ?? pr.base.sha;
  } else {
    const tip = await api.rest.repos.getBranch({ ...repo, branch: defaultBranch });
    baseSha = tip.data.commit.sha;
  }
  const tipRes = await api.rest.repos.getBranch({ ...repo, branch: defaultBranch });
  const tipSha = tipRes.data.commit.sha;
  const checkRun = await findAppCheckRun(api, repo, pr.head.sha, options.appId);
  const external = checkRun?.externalId == null ? undefined : parseExternalId(checkRun.externalId);
  const recordPathOf = external?.ok === true ? external.records[0]?.path : undefined;
  const [configAt, policyAtBase, policyAtTip, codeowners, record] = await Promise.all([
    readConfigAt(api, repo, baseSha),
    readPolicyAt(api, repo, baseSha),
    readPolicyAt(api, repo, tipSha),
    readCodeownersAt(api, repo, baseSha),
    recordFacts(api, repo, recordPathOf, pr.head.sha),
  ]);
  const reviews = reviewsRaw.map((r) => ({
    id: r.id,
    user: userOf(r.user),
    state: r.state.toUpperCase(),
    commitId: r.commit_id ?? null,
    submittedAt: r.submitted_at ?? null,
  }));
  const reviewers = new Map<number, GitHubUser>();
  for (const r of reviews)
    if (r.user !== null && ["APPROVED", "CHANGES_REQUESTED"].includes(r.state))
      reviewers.set(r.user.id, r.user);
  const owners =
    codeowners === undefined || !record.ok ? [] : (pathOwners(codeowners.text, record.path) ?? []);
  const teams = owningTeams(owners);
  const people = [...reviewers.values()];
  const [teamFacts, permissions] = await Promise.all([
    Promise.all(people.flatMap((u) => teams.map((t) => membershipOf(api, t, u)))),
    Promise.all(people.map((u) => permissionOf(api, repo, u))),
  ]);
  const commits: CommitFacts[] = commitsRaw.map((c) => ({
    sha: c.sha,
    author: userOf(c.author as RawUser | null),
    committer: userOf(c.committer as RawUser | null),
    verified: c.commit.verification?.verified === true,
  }));
  const facts: Omit<ApprovalSnapshot, "live" | "node"> = {
    app: options.app,
    repo: `${repo.owner}/${repo.repo}`,
    defaultBranch,
    pull: {
      number: pr.number,
      state: pr.state === "open" ? "open" : "closed",
      merged: pr.merged,
      mergedAt: pr.merged_at,
      mergeCommitSha: pr.merged ? pr.merge_commit_sha : null,
      mergedBy: userOf(pr.merged_by),
      closedBy: options.closedBy ?? null,
      author: userOf(pr.user),
      headRef: pr.head.ref,
      headSha: pr.head.sha,
      // Typed non-null, but GitHub sends null when the head's fork was deleted.
      headRepo: (pr.head.repo as { full_name: string } | null)?.full_name ?? null,
      baseRepo: pr.base.repo.full_name,
      baseRef: pr.base.ref,
    },
    commits,
    files: filesRaw.map((f) => ({
      filename: f.filename,
      status: f.status,
      blobSha: f.sha ?? null,
    })),
    reviews,
    codeowners,
    teams: teamFacts,
    permissions,
    record: record.ok
      ? {
          ok: true,
          path: record.path,
          cluster: record.cluster,
          csrName: record.csrName,
          csrUid: record.csrUid,
          requestSha256: record.requestSha256,
        }
      : record,
    configAtBase: configAt.ok
      ? { ok: true, clusterChecks: configAt.value.clusterChecks }
      : configAt,
    policyAtBase,
    policyAtTip,
    checkRunExternalId: checkRun?.externalId ?? null,
  };
  return {
    facts,
    labels: pr.labels.map((l) => l.name),
    checkRun,
    baseSha,
    config: configAt.ok ? configAt.value : undefined,
    requested: record.ok ? record.requested : undefined,
  };
}
