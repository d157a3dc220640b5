/**
 * Who counts as a code owner and a reviewer, what a close denies, and the warnings' words, at the
 * edges the approval table does not reach: team memberships in other orgs, bots by name, deleted
 * reviewers, the labels the app sets when it closes its own PR, and check runs that name no record.
 */
import { describe, expect, it } from "vitest";
import { ownerStatus, owningTeams, pathOwners } from "../../../src/core/approval/code-owner.ts";
import { countApprovals, isBot } from "../../../src/core/approval/count-approvals.ts";
import {
  closeCsrDecision,
  closeTargets,
  type CloseSnapshot,
} from "../../../src/core/approval/decide-close.ts";
import { parseExternalId, renderExternalId } from "../../../src/core/approval/external-id.ts";
import { latestOpinions } from "../../../src/core/approval/latest-opinions.ts";
import type { LiveCsr, TeamFact } from "../../../src/core/approval/snapshot.ts";
import { approvalWarnings } from "../../../src/core/approval/warnings.ts";
import {
  AFTER,
  ALICE,
  approvable,
  BLOB,
  BOB,
  BOT,
  CAROL,
  CODEOWNERS,
  DAVE,
  HEAD,
  liveCsr,
  MERGED_AT,
  RECORD_PATH,
  review,
  UID,
} from "./snapshot-fixture.ts";

const team = (org: string, slug: string, userId: number, state: TeamFact["state"]): TeamFact => ({
  org,
  slug,
  userId,
  state,
});

describe("code owners", () => {
  const owners = pathOwners("/clusters/ @acme/csr-approvers @Bob\n", RECORD_PATH) ?? [];

  it("reads the owners of a path, and none for a path nobody owns", () => {
    expect(owners).toEqual([
      { kind: "team", org: "acme", slug: "csr-approvers" },
      { kind: "user", login: "Bob" },
    ]);
    expect(pathOwners("/clusters/ @bob\n", ".github/csr-gitops.yml")).toBeUndefined();
    expect(owningTeams(owners)).toEqual([{ org: "acme", slug: "csr-approvers" }]);
  });

  it("a login named directly is an owner in any case", () => {
    expect(ownerStatus({ ...BOB, login: "BOB" }, owners, [])).toBe("owner");
  });

  it("membership of a team with the same slug in another org does not make an owner", () => {
    const teams = [team("evil", "csr-approvers", ALICE.id, "active")];
    expect(ownerStatus(ALICE, owners, teams)).toBe("not-code-owner");
  });

  it("membership of another team of the same org does not make an owner", () => {
    const teams = [team("acme", "everyone", ALICE.id, "active")];
    expect(ownerStatus(ALICE, owners, teams)).toBe("not-code-owner");
  });

  it("another user's membership does not count for this user", () => {
    const teams = [team("acme", "csr-approvers", CAROL.id, "active")];
    expect(ownerStatus(ALICE, owners, teams)).toBe("not-code-owner");
  });

  it("an active membership counts with org and slug in another case; a pending one does not", () => {
    expect(ownerStatus(ALICE, owners, [team("ACME", "CSR-Approvers", ALICE.id, "active")])).toBe(
      "owner",
    );
    expect(ownerStatus(ALICE, owners, [team("acme", "csr-approvers", ALICE.id, "pending")])).toBe(
      "team-membership-pending",
    );
  });

  it("an active membership of a later owning team wins over a pending one of an earlier team", () => {
    const two = pathOwners("/clusters/ @acme/first @acme/second\n", RECORD_PATH) ?? [];
    const teams = [
      team("acme", "first", ALICE.id, "pending"),
      team("acme", "second", ALICE.id, "active"),
    ];
    expect(ownerStatus(ALICE, two, teams)).toBe("owner");
  });
});

describe("who is a bot", () => {
  it.each([
    [{ id: 1, login: "renovate[bot]", type: "User" }, true],
    [{ id: 2, login: "Renovate[BOT]", type: "User" }, true],
    [{ id: 3, login: "robot", type: "Bot" }, true],
    [{ id: 4, login: "bot-lover", type: "User" }, false],
  ])("%j is a bot: %s", (user, expected) => {
    expect(isBot(user)).toBe(expected);
  });
});

describe("counting approvals", () => {
  const owners = pathOwners(CODEOWNERS, RECORD_PATH) ?? [];
  const base = {
    mergedAt: MERGED_AT,
    headSha: HEAD,
    authorId: BOT.id,
    owners,
    teams: approvable().teams,
  };

  it("maintain and admin access count as write access; triage does not", () => {
    const count = countApprovals({
      ...base,
      reviews: [review(ALICE, "APPROVED"), review(BOB, "APPROVED")],
      permissions: [
        { userId: ALICE.id, permission: "maintain" },
        { userId: BOB.id, permission: "triage" },
      ],
    });
    expect(count.approvers.map((u) => u.login)).toEqual(["alice"]);
    expect(count.ignored).toEqual([{ user: BOB, codes: ["no-write-access"] }]);
  });

  it("without a known author, nobody is refused as the author", () => {
    const count = countApprovals({
      ...base,
      authorId: null,
      reviews: [review(ALICE, "APPROVED")],
      permissions: approvable().permissions,
    });
    expect(count.approvers.map((u) => u.login)).toEqual(["alice"]);
  });

  it("a non-owner's request for changes does not block; an owner's does", () => {
    const count = countApprovals({
      ...base,
      reviews: [review(DAVE, "CHANGES_REQUESTED"), review(BOB, "CHANGES_REQUESTED")],
      permissions: approvable().permissions,
    });
    expect(count.changesRequestedBy.map((u) => u.login)).toEqual(["bob"]);
    expect(count.ignored).toEqual([
      { user: DAVE, codes: ["not-latest-approval"] },
      { user: BOB, codes: ["not-latest-approval"] },
    ]);
  });
});

describe("latest opinions", () => {
  it("counts the opinionated reviews of deleted accounts, and nothing else of them", () => {
    const o = latestOpinions(
      [review(null, "APPROVED"), review(null, "COMMENTED"), review(null, "DISMISSED")],
      null,
    );
    expect(o).toEqual({ latest: [], afterMerge: [], deletedUsers: 2 });
  });

  it("a reviewer with an opinion before the merge is not listed as after it", () => {
    const o = latestOpinions(
      [review(ALICE, "APPROVED"), review(ALICE, "APPROVED", HEAD, AFTER)],
      MERGED_AT,
    );
    expect(o.latest.map((l) => l.user.login)).toEqual(["alice"]);
    expect(o.afterMerge).toEqual([]);
  });

  it("keeps the commit each opinion was given on", () => {
    const o = latestOpinions([review(ALICE, "APPROVED", "9".repeat(40))], null);
    expect(o.latest).toEqual([{ user: ALICE, state: "APPROVED", commitId: "9".repeat(40) }]);
  });

  it("a merge time that does not parse lets no review count", () => {
    const o = latestOpinions([review(ALICE, "APPROVED")], "not a time");
    expect(o.latest).toEqual([]);
    expect(o.afterMerge).toEqual([ALICE]);
  });

  it("a later review orders after an earlier one even when its id is smaller", () => {
    const later = { ...review(ALICE, "CHANGES_REQUESTED", HEAD, MERGED_AT), id: 1 };
    const earlier = { ...review(ALICE, "APPROVED", HEAD, "2026-11-29T16:00:00Z"), id: 2 };
    expect(latestOpinions([later, earlier], null).latest.map((l) => l.state)).toEqual([
      "CHANGES_REQUESTED",
    ]);
  });
});

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
    labels: [],
    checkRunExternalId: s.checkRunExternalId,
    onClose: "deny",
    ...change,
  };
}

describe("what a close denies, in words", () => {
  it.each([
    [
      "the app's own label (any case)",
      closed({ labels: ["CSR-Deleted"] }),
      "closed-by-app",
      "the app closed this PR itself",
    ],
    [
      "a PR closed by a deleted account with the app's label",
      closed({ labels: ["superseded"] }, { closedBy: null }),
      "closed-by-app",
      "the app closed this PR itself",
    ],
    [
      "onClose: ignore",
      closed({ onClose: "ignore" }),
      "on-close-ignore",
      "the config says onClose: ignore",
    ],
    [
      "a PR whose author's account was deleted",
      closed({}, { author: null }),
      "not-app-pull",
      "the PR is not one the app opened",
    ],
    [
      "no check run",
      closed({ checkRunExternalId: null }),
      "check-run-missing",
      "the app's check run naming the record is missing",
    ],
    [
      "a check run that names only a receipt",
      closed({
        checkRunExternalId: renderExternalId({
          records: [{ path: `clusters/prod/csr-test_${UID}/decision.yaml`, blobSha: BLOB }],
          tampered: false,
        }),
      }),
      "check-run-missing",
      "the check run names no record",
    ],
  ] as const)("%s denies nothing", (_, s, skip, message) => {
    expect(closeTargets(s)).toEqual({ deny: false, skip, message });
  });

  it("a PR closed by a person without any label denies, naming the closer", () => {
    expect(closeTargets(closed({ labels: ["csr-gitops", "needs-review"] }))).toEqual({
      deny: true,
      keys: [{ cluster: "prod", name: "csr-test", uid: UID }],
      closedBy: DAVE,
    });
  });

  it("a batch's check run denies every record it names, and skips entries that are not records", () => {
    const other = "6f1f0c1e-0000-4000-8000-000000000003";
    const s = closed({
      checkRunExternalId: renderExternalId({
        records: [
          { path: RECORD_PATH, blobSha: BLOB },
          { path: `clusters/prod/csr-x_${other}/certificate.yaml`, blobSha: BLOB },
          { path: `clusters/prod/csr-y_${other}/record.yaml`, blobSha: BLOB },
        ],
        tampered: true,
      }),
    });
    expect(closeTargets(s)).toEqual({
      deny: true,
      keys: [
        { cluster: "prod", name: "csr-test", uid: UID },
        { cluster: "prod", name: "csr-y", uid: other },
      ],
      closedBy: DAVE,
    });
  });

  const key = { cluster: "prod", name: "csr-test", uid: UID };

  it("a live CSR that is not an object is treated as gone", () => {
    const live: LiveCsr = {
      present: true,
      decoded: { ok: false, error: { code: "not-base64", message: "x" }, object: undefined },
    };
    expect(closeCsrDecision(key, live)).toEqual({ deny: false, skip: "csr-missing" });
  });

  it("a pending CSR whose request does not decode is still denied by its object", () => {
    const good = liveCsr();
    if (!good.present || !good.decoded.ok || good.decoded.csr.object === undefined)
      throw new Error("fixture");
    const live: LiveCsr = {
      present: true,
      decoded: {
        ok: false,
        error: { code: "not-base64", message: "x" },
        object: good.decoded.csr.object,
      },
    };
    expect(closeCsrDecision(key, live)).toEqual({ deny: true });
  });

  it("a CSR with an Approved condition is decided even while its phase still says Pending", () => {
    const good = liveCsr();
    if (!good.present || !good.decoded.ok || good.decoded.csr.object === undefined)
      throw new Error("fixture");
    const object = {
      ...good.decoded.csr.object,
      conditions: [{ type: "Approved", status: "True" }],
    };
    const live = {
      present: true,
      decoded: { ...good.decoded, csr: { ...good.decoded.csr, object } },
    } as LiveCsr;
    expect(closeCsrDecision(key, live)).toEqual({ deny: false, skip: "csr-already-decided" });
  });
});

describe("the check run's external_id, exactly", () => {
  it("reads a SHA-256 blob id as well as a SHA-1 one", () => {
    const sha256 = "a".repeat(64);
    expect(parseExternalId(`${RECORD_PATH}=${sha256}`)).toEqual({
      ok: true,
      records: [{ path: RECORD_PATH, blobSha: sha256 }],
      tampered: false,
    });
  });

  it.each([
    ["", 'not a record entry: ""'],
    ["!tampered", "no record entry"],
    [
      `${RECORD_PATH}=${BLOB},${RECORD_PATH}=${"5".repeat(40)}`,
      `record ${RECORD_PATH} named twice`,
    ],
    [`x${RECORD_PATH}=${BLOB}`, `not a record entry: "x${RECORD_PATH}=${BLOB}"`],
    [`${RECORD_PATH}=${BLOB}0`, `not a record entry: "${RECORD_PATH}=${BLOB}0"`],
  ])("%j: %s", (text, error) => {
    expect(parseExternalId(text)).toEqual({ ok: false, error });
  });

  it("renders records alone without a mark when nobody else pushed", () => {
    expect(
      renderExternalId({ records: [{ path: RECORD_PATH, blobSha: BLOB }], tampered: false }),
    ).toBe(`${RECORD_PATH}=${BLOB}`);
  });
});

describe("the warnings' words", () => {
  it("counts the CODEOWNERS lines GitHub ignores and names the first", () => {
    const w = approvalWarnings(
      { path: ".github/CODEOWNERS", text: `${CODEOWNERS}[x] @bob\n[y] @bob\n` },
      2,
    );
    expect(w).toEqual([
      {
        code: "codeowners-errors",
        message: "CODEOWNERS has 2 line(s) GitHub ignores (first: line 3)",
      },
    ]);
  });

  it("a policy needing three approvals is no single-approver policy", () => {
    expect(approvalWarnings({ path: ".github/CODEOWNERS", text: CODEOWNERS }, 3)).toEqual([]);
  });
});
