/**
 * An approvable snapshot (two code owners approved the app's untouched PR, a third person merged,
 * the CSR is pending and allowed) and helpers to change one fact at a time: each attack row of the
 * table tests is this snapshot with the attack applied.
 */
import { DEFAULT_POLICY, type Policy } from "../../../src/core/policy/index.ts";
import { PolicySchema } from "../../../src/core/policy/policy-schema.ts";
import { DEFAULT_POLICY_INPUT } from "../../../src/core/policy/default-policy.ts";
import { DEFAULT_REPO_CONFIG } from "../../../src/core/config/config-schema.ts";
import { renderExternalId } from "../../../src/core/approval/external-id.ts";
import type {
  ApprovalSnapshot,
  GitHubUser,
  ReviewFacts,
} from "../../../src/core/approval/snapshot.ts";
import { decoded, type CsrSpec } from "../policy/decoded-csr.ts";

export const UID = "6f1f0c1e-0000-4000-8000-000000000001";
export const OTHER_UID = "6f1f0c1e-0000-4000-8000-000000000002";
export const RECORD_PATH = `clusters/prod/csr-test_${UID}/record.yaml`;
export const BRANCH = `csr-gitops/prod/${UID}`;
export const HEAD = "1".repeat(40);
export const OLD_HEAD = "2".repeat(40);
export const MERGE = "3".repeat(40);
export const BLOB = "4".repeat(40);
export const DIGEST = "0".repeat(64);
export const MERGED_AT = "2026-11-29T16:40:00Z";
export const BEFORE = "2026-11-29T16:30:00Z";
export const AFTER = "2026-11-29T16:41:00Z";

const user = (id: number, login: string, type = "User"): GitHubUser => ({ id, login, type });
export const BOT = user(9000, "csr-gitops[bot]", "Bot");
export const WEB_FLOW = user(19864447, "web-flow");
export const ALICE = user(1001, "alice");
export const BOB = user(1002, "bob");
export const CAROL = user(1003, "carol");
export const DAVE = user(1004, "dave");
export const ERIN = user(1005, "erin");
export const FRANK = user(1006, "frank");
export const DEPENDABOT = user(49699333, "dependabot[bot]", "Bot");

export const CODEOWNERS = "/.github/ @acme/security\n/clusters/ @acme/csr-approvers @bob\n";

let nextReview = 1;
export function review(
  who: GitHubUser | null,
  state: string,
  commitId: string | null = HEAD,
  submittedAt: string | null = BEFORE,
): ReviewFacts {
  return { id: nextReview++, user: who, state, commitId, submittedAt };
}

export function policyWith(requiredApprovals: number): Policy {
  return PolicySchema.parse({ ...DEFAULT_POLICY_INPUT, requiredApprovals });
}

/** The default policy without any rule for kubelet-serving: it denies the fixture's CSR. */
export const DENYING_POLICY: Policy = PolicySchema.parse({
  ...DEFAULT_POLICY_INPUT,
  signers: Object.fromEntries(
    Object.entries(DEFAULT_POLICY_INPUT.signers).filter(
      ([k]) => k !== "kubernetes.io/kubelet-serving",
    ),
  ),
});

export function liveCsr(spec: CsrSpec = {}, uid = UID): ApprovalSnapshot["live"] {
  const d = decoded(spec);
  if (!d.ok || d.csr.object === undefined) return { present: true, decoded: d };
  return {
    present: true,
    decoded: { ok: true, csr: { ...d.csr, object: { ...d.csr.object, uid } } },
  };
}

export function approvable(): ApprovalSnapshot {
  return {
    app: { botLogin: BOT.login, botId: BOT.id },
    repo: "acme/csr-audit",
    defaultBranch: "main",
    pull: {
      number: 12,
      state: "closed",
      merged: true,
      mergedAt: MERGED_AT,
      mergeCommitSha: MERGE,
      mergedBy: CAROL,
      closedBy: CAROL,
      author: BOT,
      headRef: BRANCH,
      headSha: HEAD,
      headRepo: "acme/csr-audit",
      baseRepo: "acme/csr-audit",
      baseRef: "main",
    },
    commits: [{ sha: HEAD, author: BOT, committer: BOT, verified: true }],
    files: [{ filename: RECORD_PATH, status: "added", blobSha: BLOB }],
    reviews: [review(ALICE, "APPROVED"), review(BOB, "APPROVED")],
    codeowners: { path: ".github/CODEOWNERS", text: CODEOWNERS },
    teams: [
      { org: "acme", slug: "csr-approvers", userId: ALICE.id, state: "active" },
      { org: "acme", slug: "csr-approvers", userId: ERIN.id, state: "pending" },
      { org: "acme", slug: "csr-approvers", userId: FRANK.id, state: "active" },
      { org: "acme", slug: "csr-approvers", userId: BOB.id, state: "absent" },
      { org: "acme", slug: "csr-approvers", userId: DAVE.id, state: "absent" },
      { org: "acme", slug: "csr-approvers", userId: CAROL.id, state: "absent" },
      { org: "acme", slug: "csr-approvers", userId: DEPENDABOT.id, state: "active" },
    ],
    permissions: [
      { userId: ALICE.id, permission: "write" },
      { userId: BOB.id, permission: "admin" },
      { userId: CAROL.id, permission: "write" },
      { userId: DAVE.id, permission: "write" },
      { userId: ERIN.id, permission: "write" },
      { userId: FRANK.id, permission: "read" },
      { userId: DEPENDABOT.id, permission: "write" },
      { userId: BOT.id, permission: "write" },
    ],
    record: {
      ok: true,
      path: RECORD_PATH,
      cluster: "prod",
      csrName: "csr-test",
      csrUid: UID,
      requestSha256: DIGEST,
    },
    live: liveCsr(),
    configAtBase: { ok: true, clusterChecks: DEFAULT_REPO_CONFIG.clusterChecks },
    node: {
      kind: "read",
      name: "node-1",
      node: {
        name: "node-1",
        addresses: [
          { type: "InternalIP", address: "10.0.0.5" },
          { type: "Hostname", address: "node-1" },
        ],
      },
    },
    policyAtBase: { ok: true, policy: DEFAULT_POLICY, source: "builtin", blobSha: null },
    policyAtTip: { ok: true, policy: DEFAULT_POLICY, source: "builtin", blobSha: null },
    checkRunExternalId: renderExternalId({
      records: [{ path: RECORD_PATH, blobSha: BLOB }],
      tampered: false,
    }),
  };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The approvable snapshot with some facts replaced. */
export function withFacts(
  change: Partial<Mutable<ApprovalSnapshot>>,
  pull: Partial<Mutable<ApprovalSnapshot["pull"]>> = {},
): ApprovalSnapshot {
  const base = approvable();
  return { ...base, ...change, pull: { ...base.pull, ...pull } };
}
