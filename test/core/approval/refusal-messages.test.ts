/**
 * The words of every refusal, exactly as the check run and the PR comment show them to the people
 * who merged: each names the fact that is wrong (the branch, the file, the blob, the commit, the
 * account), so a reviewer can see what happened without reading the app's logs.
 */
import { describe, expect, it } from "vitest";
import { approvalProgress, decideApproval } from "../../../src/core/approval/decide.ts";
import { renderExternalId } from "../../../src/core/approval/external-id.ts";
import type { ApprovalSnapshot } from "../../../src/core/approval/snapshot.ts";
import {
  ALICE,
  BLOB,
  BOB,
  BOT,
  DAVE,
  DENYING_POLICY,
  HEAD,
  OLD_HEAD,
  RECORD_PATH,
  review,
  withFacts,
} from "./snapshot-fixture.ts";

interface Refusal {
  code: string;
  message: string;
}

function refusals(s: ApprovalSnapshot): Refusal[] {
  const d = decideApproval(s);
  return d.approve ? [] : d.refusals.map((r) => ({ code: r.code, message: r.message }));
}

const OTHER_BLOB = "6".repeat(40);
const appCheckRun = renderExternalId({
  records: [{ path: RECORD_PATH, blobSha: BLOB }],
  tampered: false,
});

const rows: [string, ApprovalSnapshot, Refusal[]][] = [
  [
    "a PR into another branch names both branches",
    withFacts({}, { baseRef: "release" }),
    [{ code: "wrong-base", message: 'the PR targets "release", not the default branch "main"' }],
  ],
  [
    "a head in a fork names the fork",
    withFacts({}, { headRepo: "mallory/csr-audit" }),
    [{ code: "fork-head", message: "the PR's head is in mallory/csr-audit" }],
  ],
  [
    "a head whose fork was deleted is a fork too",
    withFacts({}, { headRepo: null }),
    [{ code: "fork-head", message: "the PR's head is in null" }],
  ],
  [
    "a PR merged into another repository's copy is refused as a fork",
    withFacts({}, { baseRepo: "mallory/csr-audit" }),
    [{ code: "fork-head", message: "the PR's head is in acme/csr-audit" }],
  ],
  [
    "a PR a person opened names that person and the app",
    withFacts({}, { author: DAVE }),
    [{ code: "not-app-pull", message: "the PR was opened by dave, not by csr-gitops[bot]" }],
  ],
  [
    "a PR whose author's account was deleted says so",
    withFacts({}, { author: null }),
    [
      {
        code: "not-app-pull",
        message: "the PR was opened by a deleted account, not by csr-gitops[bot]",
      },
    ],
  ],
  [
    "no check run of the app on the head",
    withFacts({ checkRunExternalId: null }),
    [{ code: "check-run-missing", message: "the app's check run on the head commit is missing" }],
  ],
  [
    "a check run whose external_id names no record blob says what it holds",
    withFacts({ checkRunExternalId: "hello" }),
    [
      {
        code: "check-run-missing",
        message: `the app's check run does not name the record blob: not a record entry: "hello"`,
      },
    ],
  ],
  [
    "without the check run, the commits are still checked",
    withFacts({
      checkRunExternalId: null,
      commits: [{ sha: HEAD, author: DAVE, committer: DAVE, verified: true }],
    }),
    [
      { code: "check-run-missing", message: "the app's check run on the head commit is missing" },
      {
        code: "head-not-app-commit",
        message: "head commit 111111111111 is not the app's own signed commit",
      },
    ],
  ],
  [
    "a push by someone else, as the app's check run recorded it",
    withFacts({
      checkRunExternalId: renderExternalId({
        records: [{ path: RECORD_PATH, blobSha: BLOB }],
        tampered: true,
      }),
    }),
    [{ code: "tampered", message: "someone other than the app pushed to this PR's branch" }],
  ],
  [
    "two commits count both",
    withFacts({
      commits: [
        { sha: OLD_HEAD, author: BOT, committer: BOT, verified: true },
        { sha: HEAD, author: BOT, committer: BOT, verified: true },
      ],
    }),
    [{ code: "extra-commits", message: "the PR holds 2 commits; the app makes exactly one" }],
  ],
  [
    "no commit at all is not the app's one commit",
    withFacts({ commits: [] }),
    [{ code: "extra-commits", message: "the PR holds 0 commits; the app makes exactly one" }],
  ],
  [
    "a head commit the app did not make names its first 12 digits",
    withFacts({ commits: [{ sha: HEAD, author: DAVE, committer: BOT, verified: true }] }),
    [
      {
        code: "head-not-app-commit",
        message: "head commit 111111111111 is not the app's own signed commit",
      },
    ],
  ],
  [
    "a head commit without a linked author is not the app's",
    withFacts({ commits: [{ sha: HEAD, author: null, committer: BOT, verified: true }] }),
    [
      {
        code: "head-not-app-commit",
        message: "head commit 111111111111 is not the app's own signed commit",
      },
    ],
  ],
  [
    "a branch that is not the app's names the branch",
    withFacts({}, { headRef: "feature/x" }),
    [
      {
        code: "not-app-branch",
        message: 'head branch "feature/x" is not the app\'s branch for this CSR',
      },
    ],
  ],
  [
    "a PR with an extra file names every file and the one the app added",
    withFacts({
      files: [
        { filename: RECORD_PATH, status: "added", blobSha: BLOB },
        { filename: "README.md", status: "modified", blobSha: OTHER_BLOB },
      ],
    }),
    [
      {
        code: "files-not-record",
        message: `the PR changes "${RECORD_PATH}", "README.md"; the app added only ${RECORD_PATH}`,
      },
    ],
  ],
  [
    "a PR that changes nothing says so",
    withFacts({ files: [] }),
    [
      {
        code: "files-not-record",
        message: `the PR changes nothing; the app added only ${RECORD_PATH}`,
      },
    ],
  ],
  [
    "the record listed twice in the diff is not the app's one file",
    withFacts({
      files: [
        { filename: RECORD_PATH, status: "added", blobSha: BLOB },
        { filename: RECORD_PATH, status: "added", blobSha: BLOB },
      ],
    }),
    [
      {
        code: "files-not-record",
        message: `the PR changes "${RECORD_PATH}", "${RECORD_PATH}"; the app added only ${RECORD_PATH}`,
      },
    ],
  ],
  [
    "an edited record names the blob found and the blob the app wrote",
    withFacts({ files: [{ filename: RECORD_PATH, status: "added", blobSha: OTHER_BLOB }] }),
    [
      {
        code: "record-blob-mismatch",
        message: `${RECORD_PATH} is blob ${OTHER_BLOB}, the app wrote ${BLOB}`,
      },
    ],
  ],
  [
    "an unreadable record says why",
    withFacts({ record: { ok: false, error: "record.yaml:1:1: bad" } }),
    [{ code: "record-unreadable", message: "the record could not be read: record.yaml:1:1: bad" }],
  ],
  [
    "a record that names another CSR than its path names the path",
    withFacts({
      record: {
        ok: true,
        path: RECORD_PATH,
        cluster: "prod",
        csrName: "csr-other",
        csrUid: "6f1f0c1e-0000-4000-8000-000000000001",
        requestSha256: "0".repeat(64),
      },
    }),
    [
      {
        code: "record-path-mismatch",
        message: `the record at ${RECORD_PATH} does not belong at that path or is not one the app wrote`,
      },
    ],
  ],
  [
    "a PR closed without merging names its number",
    withFacts({}, { merged: false, mergedAt: null, mergeCommitSha: null }),
    [
      { code: "not-merged", message: "PR #12 is not merged" },
      { code: "too-few-approvals", message: "0 of 2 code owner approvals" },
    ],
  ],
  [
    "a merged PR without a merge time is not taken as merged",
    withFacts({}, { mergedAt: null }),
    [
      { code: "not-merged", message: "PR #12 is not merged" },
      { code: "too-few-approvals", message: "0 of 2 code owner approvals" },
    ],
  ],
  [
    "a merged PR without a merge commit is not taken as merged",
    withFacts({}, { mergeCommitSha: null }),
    [{ code: "not-merged", message: "PR #12 is not merged" }],
  ],
  [
    "no CODEOWNERS file says nobody is a code owner",
    withFacts({ codeowners: undefined }),
    [
      {
        code: "no-codeowners",
        message: "there is no CODEOWNERS file at the merge base, so nobody is a code owner",
      },
      { code: "too-few-approvals", message: "0 of 2 code owner approvals" },
    ],
  ],
  [
    "a CODEOWNERS without an owner for the record names the record's path",
    withFacts({ codeowners: { path: ".github/CODEOWNERS", text: "/.github/ @acme/security\n" } }),
    [
      {
        code: "record-path-unowned",
        message: `CODEOWNERS at the merge base names no owner for ${RECORD_PATH}`,
      },
      { code: "too-few-approvals", message: "0 of 2 code owner approvals" },
    ],
  ],
  [
    "owners who request changes are named in review order",
    withFacts({
      reviews: [
        review(ALICE, "APPROVED"),
        review(BOB, "APPROVED"),
        review(BOB, "CHANGES_REQUESTED"),
        review(ALICE, "CHANGES_REQUESTED"),
      ],
    }),
    [
      { code: "too-few-approvals", message: "0 of 2 code owner approvals" },
      { code: "changes-requested", message: "changes requested by alice, bob" },
    ],
  ],
  [
    "a denying policy names where it denies and the reason codes",
    withFacts({
      policyAtBase: { ok: true, policy: DENYING_POLICY, source: "repository", blobSha: BLOB },
    }),
    [
      {
        code: "policy-denies",
        message: "the policy at the merge base denies it: unknown-signer",
      },
    ],
  ],
  [
    "a policy on the default branch's tip that denies names the tip",
    withFacts({
      policyAtTip: { ok: true, policy: DENYING_POLICY, source: "repository", blobSha: BLOB },
    }),
    [
      {
        code: "policy-denies",
        message: "the policy at the tip of main denies it: unknown-signer",
      },
    ],
  ],
  [
    "a broken config names the merge base and the error",
    withFacts({ configAtBase: { ok: false, error: "csr-gitops.yml:1:1: bad" } }),
    [
      {
        code: "config-invalid",
        message: "the config at the merge base is invalid: csr-gitops.yml:1:1: bad",
      },
    ],
  ],
  [
    "a broken policy at the merge base names the merge base",
    withFacts({ policyAtBase: { ok: false, error: "policy.yaml:3:1: bad" } }),
    [
      {
        code: "policy-invalid",
        message: "the policy at the merge base is invalid: policy.yaml:3:1: bad",
      },
    ],
  ],
];

describe("every refusal names what is wrong", () => {
  it.each(rows)("%s", (_, snapshot, expected) => {
    expect(refusals(snapshot)).toEqual(expected);
  });
});

describe("what is not a refusal", () => {
  it("a repository name in another case is the same repository", () => {
    const s = withFacts({ repo: "ACME/CSR-Audit" }, { headRepo: "Acme/Csr-Audit" });
    expect(refusals(s)).toEqual([]);
  });

  it("the app's check run is read, not the PR's own claims", () => {
    expect(refusals(withFacts({ checkRunExternalId: appCheckRun }))).toEqual([]);
  });
});

describe("a decision that fails unexpectedly", () => {
  it("refuses with the error's words and claims nothing else", () => {
    const broken = { ...withFacts({}), reviews: null } as unknown as ApprovalSnapshot;
    const d = decideApproval(broken);
    expect(d.approve).toBe(false);
    expect(d.approve ? [] : d.refusals.map((r) => r.code)).toEqual(["record-unreadable"]);
    expect(d.approve ? "" : d.refusals[0]?.message).toMatch(
      /^the decision failed unexpectedly: \S/,
    );
    expect(d).toMatchObject({
      approvers: [],
      required: 2,
      ignored: [],
      changesRequestedBy: [],
      warnings: [],
      policyBlob: null,
    });
  });

  it("a thrown value that is not an Error is still written out", () => {
    const hostile = withFacts({});
    Object.defineProperty(hostile, "reviews", {
      get() {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- the point of the test
        throw "not an error";
      },
    });
    const d = decideApproval(hostile);
    expect(d.approve ? [] : d.refusals).toEqual([
      { code: "record-unreadable", message: "the decision failed unexpectedly: not an error" },
    ]);
  });
});

describe("an open PR's progress", () => {
  it("counts approvals on the head and lists blockers without the count itself", () => {
    const s = withFacts(
      { reviews: [review(ALICE, "APPROVED")], codeowners: undefined },
      { state: "open", merged: false, mergedAt: null, mergeCommitSha: null },
    );
    const p = approvalProgress(s);
    expect(p.text).toBe("0 of 2 code owner approvals");
    expect(p.blockers).toEqual([
      {
        code: "no-codeowners",
        message: "there is no CODEOWNERS file at the merge base, so nobody is a code owner",
      },
    ]);
  });

  it("an approval submitted now counts while the PR is open (no merge time yet)", () => {
    const s = withFacts(
      { reviews: [review(ALICE, "APPROVED", HEAD, "2099-01-01T00:00:00Z")] },
      { state: "open", merged: false, mergedAt: null, mergeCommitSha: null },
    );
    const p = approvalProgress(s);
    expect(p.approvers.map((a) => a.login)).toEqual(["alice"]);
    expect(p.text).toBe("1 of 2 code owner approvals");
    expect(p.required).toBe(2);
  });
});
