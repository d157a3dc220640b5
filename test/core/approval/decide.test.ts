import { describe, expect, it } from "vitest";
import { decideApproval, progressText } from "../../../src/core/approval/decide.ts";
import { renderExternalId } from "../../../src/core/approval/external-id.ts";
import type { ApprovalSnapshot } from "../../../src/core/approval/snapshot.ts";
import { batchBranch } from "../../../src/core/record/layout.ts";
import {
  AFTER,
  ALICE,
  approvable,
  BLOB,
  BOB,
  BOT,
  BRANCH,
  CAROL,
  DAVE,
  DENYING_POLICY,
  DEPENDABOT,
  ERIN,
  FRANK,
  HEAD,
  liveCsr,
  MERGED_AT,
  OLD_HEAD,
  OTHER_UID,
  policyWith,
  RECORD_PATH,
  review,
  UID,
  WEB_FLOW,
  withFacts,
} from "./snapshot-fixture.ts";

const tampered = renderExternalId({
  records: [{ path: RECORD_PATH, blobSha: BLOB }],
  tampered: true,
});
const otherRecord = `clusters/prod/csr-test_${OTHER_UID}/record.yaml`;

function refusals(s: ApprovalSnapshot): string[] {
  const d = decideApproval(s);
  return d.approve ? [] : d.refusals.map((r) => r.code).sort();
}

function ignored(s: ApprovalSnapshot): Record<string, string[]> {
  return Object.fromEntries(decideApproval(s).ignored.map((i) => [i.user.login, [...i.codes]]));
}

describe("the app approves only when everything holds", () => {
  it("approves two code-owner approvals on the merged head, naming both approvers", () => {
    const d = decideApproval(approvable());
    expect(d).toMatchObject({ approve: true, required: 2, policyBlob: "builtin" });
    expect(d.approvers.map((a) => a.login)).toEqual(["alice", "bob"]);
    expect(d.ignored).toEqual([]);
    expect(d.warnings.map((w) => w.code)).toEqual([]);
  });

  it("approves when the app's API commit is committed by GitHub's web-flow (github.com)", () => {
    const s = withFacts({
      commits: [{ sha: HEAD, author: BOT, committer: WEB_FLOW, verified: true }],
    });
    expect(refusals(s)).toEqual([]);
  });

  it("approves with logins and team slugs in another case than CODEOWNERS", () => {
    const s = withFacts({
      codeowners: {
        path: ".github/CODEOWNERS",
        text: "/.github/ @ACME/Security\n/clusters/ @Acme/CSR-Approvers @BOB\n",
      },
    });
    expect(refusals(s)).toEqual([]);
  });

  it("approves a review in the same second as the merge (GitHub times have seconds)", () => {
    const s = withFacts({
      reviews: [review(ALICE, "APPROVED", HEAD, MERGED_AT), review(BOB, "APPROVED")],
    });
    expect(refusals(s)).toEqual([]);
  });

  it("approves when an approval follows an owner's earlier request for changes", () => {
    const s = withFacts({
      reviews: [
        review(BOB, "CHANGES_REQUESTED", OLD_HEAD),
        review(ALICE, "APPROVED"),
        review(BOB, "APPROVED"),
      ],
    });
    expect(refusals(s)).toEqual([]);
  });

  it("approves a single-approver policy with one approval, and says so plainly", () => {
    const one = {
      ok: true as const,
      policy: policyWith(1),
      source: "repository" as const,
      blobSha: "5".repeat(40),
    };
    const s = withFacts({
      reviews: [review(ALICE, "APPROVED")],
      policyAtBase: one,
      policyAtTip: one,
    });
    const d = decideApproval(s);
    expect(d.approve).toBe(true);
    expect(d.policyBlob).toBe("5".repeat(40));
    expect(d.warnings.map((w) => w.message)).toEqual([
      "single-approver policy: one code owner's approval is enough for this CSR, so one person alone can get it approved",
    ]);
  });
});

/** Each row is one attack (or accident) and the exact refusal codes that stop it. */
const attacks: [string, ApprovalSnapshot, string[]][] = [
  ["one approval only", withFacts({ reviews: [review(ALICE, "APPROVED")] }), ["too-few-approvals"]],
  ["no review at all", withFacts({ reviews: [] }), ["too-few-approvals"]],
  [
    "the same person approving twice",
    withFacts({ reviews: [review(ALICE, "APPROVED"), review(ALICE, "APPROVED")] }),
    ["too-few-approvals"],
  ],
  [
    "self-approval by the PR author (the app)",
    withFacts({ reviews: [review(ALICE, "APPROVED"), review(BOT, "APPROVED")] }),
    ["too-few-approvals"],
  ],
  [
    "approval by a non-owner",
    withFacts({ reviews: [review(ALICE, "APPROVED"), review(DAVE, "APPROVED")] }),
    ["too-few-approvals"],
  ],
  [
    "approval by a bot in the owning team",
    withFacts({ reviews: [review(ALICE, "APPROVED"), review(DEPENDABOT, "APPROVED")] }),
    ["too-few-approvals"],
  ],
  [
    "approval by a team member whose invitation is pending",
    withFacts({ reviews: [review(ALICE, "APPROVED"), review(ERIN, "APPROVED")] }),
    ["too-few-approvals"],
  ],
  [
    "approval by a code owner without write access",
    withFacts({ reviews: [review(ALICE, "APPROVED"), review(FRANK, "APPROVED")] }),
    ["too-few-approvals"],
  ],
  [
    "approval on an older commit",
    withFacts({ reviews: [review(ALICE, "APPROVED"), review(BOB, "APPROVED", OLD_HEAD)] }),
    ["too-few-approvals"],
  ],
  [
    "approval with no commit",
    withFacts({ reviews: [review(ALICE, "APPROVED"), review(BOB, "APPROVED", null)] }),
    ["too-few-approvals"],
  ],
  [
    "a dismissed approval",
    withFacts({ reviews: [review(ALICE, "APPROVED"), review(BOB, "DISMISSED")] }),
    ["too-few-approvals"],
  ],
  [
    "an approval later dismissed",
    withFacts({
      reviews: [review(ALICE, "APPROVED"), review(BOB, "APPROVED"), review(BOB, "DISMISSED")],
    }),
    ["too-few-approvals"],
  ],
  [
    "a comment after the approval does not erase it, a pending review neither",
    withFacts({
      reviews: [
        review(ALICE, "APPROVED"),
        review(BOB, "APPROVED"),
        review(BOB, "COMMENTED"),
        review(ALICE, "PENDING", HEAD, null),
      ],
    }),
    [],
  ],
  [
    "approval submitted after the merge",
    withFacts({ reviews: [review(ALICE, "APPROVED"), review(BOB, "APPROVED", HEAD, AFTER)] }),
    ["too-few-approvals"],
  ],
  [
    "approval with an unreadable time",
    withFacts({ reviews: [review(ALICE, "APPROVED"), review(BOB, "APPROVED", HEAD, "yesterday")] }),
    ["too-few-approvals"],
  ],
  [
    "approval from a deleted account",
    withFacts({ reviews: [review(ALICE, "APPROVED"), review(null, "APPROVED")] }),
    ["too-few-approvals"],
  ],
  [
    "a renamed account posing as an owner's login (other id)",
    withFacts({
      reviews: [
        review(ALICE, "APPROVED"),
        review({ id: 7777, login: "bob", type: "User" }, "APPROVED"),
      ],
    }),
    ["too-few-approvals"],
  ],
  [
    "changes requested by an owner, with two approvals",
    withFacts({
      reviews: [
        review(ALICE, "APPROVED"),
        review(BOB, "APPROVED"),
        review({ ...FRANK }, "CHANGES_REQUESTED"),
      ],
    }),
    ["changes-requested"],
  ],
  [
    "an owner's approval followed by a request for changes",
    withFacts({
      reviews: [
        review(ALICE, "APPROVED"),
        review(BOB, "APPROVED"),
        review(BOB, "CHANGES_REQUESTED"),
      ],
    }),
    ["changes-requested", "too-few-approvals"],
  ],
  [
    "an extra file in the PR",
    withFacts({
      files: [
        { filename: RECORD_PATH, status: "added", blobSha: BLOB },
        { filename: "README.md", status: "modified", blobSha: "6".repeat(40) },
      ],
    }),
    ["files-not-record"],
  ],
  [
    "CODEOWNERS changed in the PR",
    withFacts({
      files: [
        { filename: RECORD_PATH, status: "added", blobSha: BLOB },
        { filename: ".github/CODEOWNERS", status: "modified", blobSha: "6".repeat(40) },
      ],
    }),
    ["files-not-record"],
  ],
  [
    "policy changed in the PR",
    withFacts({
      files: [
        { filename: RECORD_PATH, status: "added", blobSha: BLOB },
        { filename: ".github/csr-gitops/policy.yaml", status: "added", blobSha: "6".repeat(40) },
      ],
    }),
    ["files-not-record"],
  ],
  [
    "the record replaced by another file",
    withFacts({ files: [{ filename: otherRecord, status: "added", blobSha: BLOB }] }),
    ["files-not-record"],
  ],
  [
    "the record file edited (another blob)",
    withFacts({ files: [{ filename: RECORD_PATH, status: "added", blobSha: "6".repeat(40) }] }),
    ["record-blob-mismatch"],
  ],
  [
    "the record modified instead of added (already on main)",
    withFacts({ files: [{ filename: RECORD_PATH, status: "modified", blobSha: BLOB }] }),
    ["files-not-record"],
  ],
  ["an empty diff", withFacts({ files: [] }), ["files-not-record"]],
  [
    "a second commit pushed by someone else",
    withFacts({
      commits: [
        { sha: OLD_HEAD, author: BOT, committer: BOT, verified: true },
        { sha: HEAD, author: DAVE, committer: DAVE, verified: false },
      ],
    }),
    ["extra-commits"],
  ],
  [
    "the app's commit replaced by a person's (force push)",
    withFacts({ commits: [{ sha: HEAD, author: DAVE, committer: DAVE, verified: true }] }),
    ["head-not-app-commit"],
  ],
  [
    "a commit claiming the bot as author, committed by a person",
    withFacts({ commits: [{ sha: HEAD, author: BOT, committer: DAVE, verified: true }] }),
    ["head-not-app-commit"],
  ],
  [
    "an unsigned commit in the bot's name",
    withFacts({ commits: [{ sha: HEAD, author: BOT, committer: BOT, verified: false }] }),
    ["head-not-app-commit"],
  ],
  [
    "commits that are not the merged head",
    withFacts({ commits: [{ sha: OLD_HEAD, author: BOT, committer: BOT, verified: true }] }),
    ["head-not-app-commit"],
  ],
  [
    "the app's check run says someone pushed",
    withFacts({ checkRunExternalId: tampered }),
    ["tampered"],
  ],
  ["the app's check run missing", withFacts({ checkRunExternalId: null }), ["check-run-missing"]],
  [
    "a check run external_id that is not the app's format",
    withFacts({ checkRunExternalId: "hello" }),
    ["check-run-missing"],
  ],
  ["merged into another branch", withFacts({}, { baseRef: "release" }), ["wrong-base"]],
  ["a PR not opened by the app", withFacts({}, { author: DAVE }), ["not-app-pull"]],
  [
    "a PR from a branch that is not the app's",
    withFacts({}, { headRef: "feature/x" }),
    ["not-app-branch"],
  ],
  [
    "the app's branch of another CSR",
    withFacts({}, { headRef: `csr-gitops/prod/${OTHER_UID}` }),
    ["not-app-branch"],
  ],
  [
    "the app's branch name in another cluster",
    withFacts({}, { headRef: `csr-gitops/staging/${UID}` }),
    ["not-app-branch"],
  ],
  [
    "a batch branch that does not match its records",
    withFacts({}, { headRef: "csr-gitops/prod/batch-0123456789abcdef" }),
    ["not-app-branch"],
  ],
  ["a head in a fork", withFacts({}, { headRepo: "mallory/csr-audit" }), ["fork-head"]],
  [
    "a PR closed without merging",
    withFacts({}, { merged: false, mergedAt: null, mergeCommitSha: null }),
    ["not-merged", "too-few-approvals"],
  ],
  ["the CSR deleted", withFacts({ live: { present: false } }), ["csr-missing"]],
  [
    "the CSR deleted and re-created under the same name",
    withFacts({ live: liveCsr({}, OTHER_UID) }),
    ["csr-replaced"],
  ],
  [
    "a request digest that does not match the record",
    withFacts({
      record: {
        ok: true,
        path: RECORD_PATH,
        cluster: "prod",
        csrName: "csr-test",
        csrUid: UID,
        requestSha256: "9".repeat(64),
      },
    }),
    ["request-digest-mismatch"],
  ],
  [
    "a record that names another CSR than its path",
    withFacts({
      record: {
        ok: true,
        path: RECORD_PATH,
        cluster: "prod",
        csrName: "csr-other",
        csrUid: UID,
        requestSha256: "0".repeat(64),
      },
    }),
    ["record-path-mismatch"],
  ],
  [
    "an unreadable record",
    withFacts({ record: { ok: false, error: "record.yaml:1:1: bad" } }),
    ["record-unreadable"],
  ],
  [
    "the CSR already approved elsewhere",
    withFacts({ live: liveCsr({ phase: "Approved" }) }),
    ["csr-already-decided", "policy-denies", "policy-denies"],
  ],
  [
    "the CSR already denied",
    withFacts({ live: liveCsr({ phase: "Denied" }) }),
    ["csr-already-decided", "policy-denies", "policy-denies"],
  ],
  [
    "policy changed on main to deny before the merge",
    withFacts({
      policyAtBase: {
        ok: true,
        policy: DENYING_POLICY,
        source: "repository",
        blobSha: "7".repeat(40),
      },
    }),
    ["policy-denies"],
  ],
  [
    "policy changed on main to deny after the merge",
    withFacts({
      policyAtTip: {
        ok: true,
        policy: DENYING_POLICY,
        source: "repository",
        blobSha: "7".repeat(40),
      },
    }),
    ["policy-denies"],
  ],
  [
    "policy raised to three approvals on main after the merge",
    withFacts({
      policyAtTip: {
        ok: true,
        policy: policyWith(3),
        source: "repository",
        blobSha: "7".repeat(40),
      },
    }),
    ["too-few-approvals"],
  ],
  [
    "a broken policy at the merge base",
    withFacts({ policyAtBase: { ok: false, error: "policy.yaml:3:1: bad" } }),
    ["policy-invalid"],
  ],
  [
    "a broken policy at the tip",
    withFacts({ policyAtTip: { ok: false, error: "policy.yaml:3:1: bad" } }),
    ["policy-invalid"],
  ],
  [
    "a broken config at the merge base",
    withFacts({ configAtBase: { ok: false, error: "csr-gitops.yml:1:1: bad" } }),
    ["config-invalid"],
  ],
  [
    "no CODEOWNERS at the merge base",
    withFacts({ codeowners: undefined }),
    ["no-codeowners", "too-few-approvals"],
  ],
  [
    "CODEOWNERS that un-owns the record path",
    withFacts({
      codeowners: { path: ".github/CODEOWNERS", text: "/clusters/ @bob\n/clusters/prod/\n" },
    }),
    ["record-path-unowned", "too-few-approvals"],
  ],
  [
    "CODEOWNERS naming only an email owner",
    withFacts({
      codeowners: { path: ".github/CODEOWNERS", text: "/clusters/ alice@example.com\n" },
    }),
    ["too-few-approvals"],
  ],
  [
    "a forged CSR signature",
    withFacts({ live: liveCsr({ signatureValid: false }) }),
    ["policy-denies", "policy-denies"],
  ],
];

describe("attacks the decision stops", () => {
  it.each(attacks)("%s", (_, snapshot, codes) => {
    expect(refusals(snapshot)).toEqual([...codes].sort());
  });

  it("names the table's attacks uniquely", () => {
    expect(new Set(attacks.map(([n]) => n)).size).toBe(attacks.length);
  });
});

describe("every review that did not count says why", () => {
  it.each([
    [
      "self-approval",
      review(BOT, "APPROVED"),
      { "csr-gitops[bot]": ["pull-author", "bot", "not-code-owner"] },
    ],
    ["non-owner", review(DAVE, "APPROVED"), { dave: ["not-code-owner"] }],
    ["bot in the team", review(DEPENDABOT, "APPROVED"), { "dependabot[bot]": ["bot"] }],
    ["pending invitation", review(ERIN, "APPROVED"), { erin: ["team-membership-pending"] }],
    ["read access", review(FRANK, "APPROVED"), { frank: ["no-write-access"] }],
    ["older commit", review(BOB, "APPROVED", OLD_HEAD), { bob: ["stale-commit"] }],
    ["after merge", review(BOB, "APPROVED", HEAD, AFTER), { bob: ["after-merge"] }],
    ["dismissed", review(BOB, "DISMISSED"), { bob: ["not-latest-approval"] }],
    [
      "renamed login",
      review({ id: 7777, login: "bob", type: "User" }, "APPROVED"),
      { bob: ["no-write-access"] },
    ],
    ["unknown permission", review(CAROL, "APPROVED"), { carol: ["not-code-owner"] }],
  ] as const)("%s", (_, extra, expected) => {
    expect(ignored(withFacts({ reviews: [review(ALICE, "APPROVED"), extra] }))).toEqual(expected);
  });

  it("a review by a deleted account is no review at all", () => {
    expect(ignored(withFacts({ reviews: [review(null, "APPROVED")] }))).toEqual({});
  });

  it("explains the count in the words of the check run", () => {
    const d = decideApproval(withFacts({ reviews: [review(ALICE, "APPROVED")] }));
    expect(d.approve ? [] : d.refusals).toEqual([
      { code: "too-few-approvals", message: "1 of 2 code owner approvals" },
    ]);
    expect(progressText(1, 1)).toBe("1 of 1 code owner approval");
  });
});

describe("N is never 0 and the stricter policy wins", () => {
  it("takes the larger required count of the merge base and the tip", () => {
    const three = {
      ok: true as const,
      policy: policyWith(3),
      source: "repository" as const,
      blobSha: "7".repeat(40),
    };
    expect(decideApproval(withFacts({ policyAtBase: three })).required).toBe(3);
    expect(decideApproval(withFacts({ policyAtTip: three })).required).toBe(3);
  });

  it("requires at least one approval even from a policy object that says 0", () => {
    const zero = { ...policyWith(1), requiredApprovals: 0 };
    const at = { ok: true as const, policy: zero, source: "repository" as const, blobSha: null };
    const d = decideApproval(withFacts({ policyAtBase: at, policyAtTip: at, reviews: [] }));
    expect(d.required).toBeGreaterThanOrEqual(1);
    expect(d.approve).toBe(false);
  });

  it("falls back to two when no policy could be read", () => {
    const broken = { ok: false as const, error: "bad" };
    expect(decideApproval(withFacts({ policyAtBase: broken, policyAtTip: broken })).required).toBe(
      2,
    );
  });
});

describe("batch PRs", () => {
  it("approves one CSR of a batch PR whose branch and check run name all its records", () => {
    const other = { cluster: "prod", name: "csr-other", uid: OTHER_UID };
    const mine = { cluster: "prod", name: "csr-test", uid: UID };
    const branch = batchBranch([mine, other]);
    const otherPath = `clusters/prod/csr-other_${OTHER_UID}/record.yaml`;
    const s = withFacts(
      {
        files: [
          { filename: RECORD_PATH, status: "added", blobSha: BLOB },
          { filename: otherPath, status: "added", blobSha: "8".repeat(40) },
        ],
        checkRunExternalId: renderExternalId({
          records: [
            { path: RECORD_PATH, blobSha: BLOB },
            { path: otherPath, blobSha: "8".repeat(40) },
          ],
          tampered: false,
        }),
      },
      { headRef: branch.ok ? branch.value : "" },
    );
    expect(refusals(s)).toEqual([]);
    expect(refusals({ ...s, pull: { ...s.pull, headRef: BRANCH } })).toEqual(["not-app-branch"]);
  });
});

describe("never throws", () => {
  it("refuses, rather than throws, on a snapshot that breaks an assumption", () => {
    const broken = { ...approvable(), reviews: null } as unknown as ApprovalSnapshot;
    const d = decideApproval(broken);
    expect(d.approve).toBe(false);
    expect(d.required).toBe(2);
  });
});
