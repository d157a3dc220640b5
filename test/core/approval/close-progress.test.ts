import { describe, expect, it } from "vitest";
import { approvalProgress } from "../../../src/core/approval/decide.ts";
import {
  closeCsrDecision,
  closeTargets,
  type CloseSnapshot,
} from "../../../src/core/approval/decide-close.ts";
import { parseExternalId, renderExternalId } from "../../../src/core/approval/external-id.ts";
import { latestOpinions } from "../../../src/core/approval/latest-opinions.ts";
import { approvalWarnings } from "../../../src/core/approval/warnings.ts";
import {
  ALICE,
  approvable,
  BLOB,
  BOB,
  BOT,
  CODEOWNERS,
  DAVE,
  HEAD,
  liveCsr,
  OTHER_UID,
  RECORD_PATH,
  review,
  UID,
  withFacts,
} from "./snapshot-fixture.ts";

const key = { cluster: "prod", name: "csr-test", uid: UID };

function closed(change: Partial<CloseSnapshot> = {}, pull: object = {}): CloseSnapshot {
  const s = approvable();
  return {
    app: s.app,
    pull: {
      ...s.pull,
      merged: false,
      mergedAt: null,
      mergeCommitSha: null,
      closedBy: DAVE,
      ...pull,
    },
    labels: ["csr-gitops"],
    checkRunExternalId: s.checkRunExternalId,
    onClose: "deny",
    ...change,
  };
}

describe("closing an app PR without merging", () => {
  it("denies the CSR the app's check run names, recording the closer", () => {
    expect(closeTargets(closed())).toEqual({ deny: true, keys: [key], closedBy: DAVE });
    expect(closeCsrDecision(key, liveCsr())).toEqual({ deny: true });
  });

  it.each([
    ["the app closed it itself", closed({}, { closedBy: BOT }), "closed-by-app"],
    ["the app labelled it superseded", closed({ labels: ["Superseded"] }), "closed-by-app"],
    ["the CSR was decided elsewhere", closed({ labels: ["decided-elsewhere"] }), "closed-by-app"],
    ["the config says ignore", closed({ onClose: "ignore" }), "on-close-ignore"],
    ["a PR a person opened", closed({}, { author: DAVE }), "not-app-pull"],
    ["a PR from another branch", closed({}, { headRef: "feature/x" }), "not-app-pull"],
    ["no check run", closed({ checkRunExternalId: null }), "check-run-missing"],
    ["a forged check run id", closed({ checkRunExternalId: "x=y" }), "check-run-missing"],
    ["a merged PR", closed({}, { merged: true }), "merged"],
    ["an open PR", closed({}, { state: "open" }), "still-open"],
  ] as const)("does not deny when %s", (_, s, skip) => {
    const t = closeTargets(s);
    expect(t.deny ? "deny" : t.skip).toBe(skip);
  });

  it.each([
    ["the CSR is gone", { present: false } as const, "csr-missing"],
    ["the CSR was re-created", liveCsr({}, OTHER_UID), "csr-replaced"],
    ["the CSR is approved", liveCsr({ phase: "Approved" }), "csr-already-decided"],
    ["the CSR is denied", liveCsr({ phase: "Denied" }), "csr-already-decided"],
    ["the CSR failed", liveCsr({ phase: "Failed" }), "csr-already-decided"],
  ] as const)("does not deny when %s", (_, live, skip) => {
    expect(closeCsrDecision(key, live)).toEqual({ deny: false, skip });
  });

  it("denies by the record the app wrote even if someone pushed another record", () => {
    // The push does not change the check run the app wrote: the key comes from there.
    expect(closeTargets(closed())).toMatchObject({ keys: [key] });
  });
});

describe("the check run's count on an open PR", () => {
  it("counts approvals on the current head: 1 of 2 code owner approvals", () => {
    const s = withFacts(
      { reviews: [review(ALICE, "APPROVED")] },
      { state: "open", merged: false, mergedAt: null, mergeCommitSha: null },
    );
    const p = approvalProgress(s);
    expect(p.text).toBe("1 of 2 code owner approvals");
    expect(p.blockers).toEqual([]);
  });

  it("shows blockers: tampering, and an owner's request for changes", () => {
    const s = withFacts(
      {
        reviews: [review(ALICE, "APPROVED"), review(BOB, "CHANGES_REQUESTED")],
        commits: [{ sha: HEAD, author: DAVE, committer: DAVE, verified: false }],
      },
      { state: "open", merged: false, mergedAt: null, mergeCommitSha: null },
    );
    expect(approvalProgress(s).blockers.map((b) => b.code)).toEqual([
      "head-not-app-commit",
      "changes-requested",
    ]);
  });
});

describe("check run external_id", () => {
  it("round-trips records and the tampered mark", () => {
    const id = { records: [{ path: RECORD_PATH, blobSha: BLOB }], tampered: true };
    expect(renderExternalId(id)).toBe(`${RECORD_PATH}=${BLOB},!tampered`);
    expect(parseExternalId(renderExternalId(id))).toEqual({ ok: true, ...id });
  });

  it.each([
    ["", /not a record entry/],
    ["!tampered", /no record entry/],
    [`${RECORD_PATH}=${BLOB},${RECORD_PATH}=${BLOB}`, /named twice/],
    [`README.md=${BLOB}`, /not a record entry/],
    [`${RECORD_PATH}=abc`, /not a record entry/],
  ])("refuses %j", (text, error) => {
    const r = parseExternalId(text);
    expect(r.ok ? "" : r.error).toMatch(error);
  });
});

describe("warnings", () => {
  it("warns when CODEOWNERS leaves the config and policy unowned", () => {
    const w = approvalWarnings({ path: ".github/CODEOWNERS", text: "/clusters/ @bob\n" }, 2);
    expect(w).toEqual([
      {
        code: "config-not-code-owned",
        message:
          "CODEOWNERS does not cover .github/csr-gitops.yml, .github/csr-gitops/policy.yaml, .github/CODEOWNERS: whoever can edit them alone can lower the number of approvals",
      },
    ]);
  });

  it("checks the CODEOWNERS file where it actually is", () => {
    const w = approvalWarnings({ path: "CODEOWNERS", text: "/.github/ @bob\n" }, 2);
    expect(w.map((x) => x.message)).toEqual([
      "CODEOWNERS does not cover CODEOWNERS: whoever can edit it alone can lower the number of approvals",
    ]);
  });

  it("reports CODEOWNERS lines GitHub ignores", () => {
    const w = approvalWarnings({ path: ".github/CODEOWNERS", text: `${CODEOWNERS}[x] @bob\n` }, 2);
    expect(w.map((x) => x.code)).toEqual(["codeowners-errors"]);
  });

  it("says nothing for a covering CODEOWNERS and two approvals", () => {
    expect(approvalWarnings({ path: ".github/CODEOWNERS", text: CODEOWNERS }, 2)).toEqual([]);
  });
});

describe("latest opinion per reviewer", () => {
  it("orders by submission time, then by review id", () => {
    const late = review(ALICE, "APPROVED", HEAD, "2026-11-29T16:35:00Z");
    const early = review(ALICE, "CHANGES_REQUESTED", HEAD, "2026-11-29T16:20:00Z");
    expect(latestOpinions([late, early], null).latest.map((o) => o.state)).toEqual(["APPROVED"]);
    const first = review(BOB, "APPROVED");
    const second = review(BOB, "CHANGES_REQUESTED");
    expect(latestOpinions([second, first], null).latest.map((o) => o.state)).toEqual([
      "CHANGES_REQUESTED",
    ]);
  });

  it("keeps reviewers apart by id, not login", () => {
    const renamed = review({ id: 5555, login: "alice", type: "User" }, "APPROVED");
    expect(latestOpinions([review(ALICE, "APPROVED"), renamed], null).latest).toHaveLength(2);
  });
});
