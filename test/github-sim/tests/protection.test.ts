import { RequestError } from "@octokit/request-error";
import { describe, expect, it } from "vitest";
import {
  appOctokit,
  newSim,
  openRecordPr,
  OWNER,
  REPO,
  testSeed,
  TOKENS,
  userOctokit,
} from "./sim-fixture.ts";

const repoRef = { owner: OWNER, repo: REPO };

async function status(p: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await p;
    return { status: 200, message: "" };
  } catch (error) {
    if (!(error instanceof RequestError)) throw error;
    const data = error.response?.data as { message?: string } | undefined;
    return { status: error.status, message: data?.message ?? "" };
  }
}

describe("branch protection at merge", () => {
  it("blocks with 405 until two approvals, and a push dismisses the stale approval", async () => {
    const sim = await newSim(
      testSeed({
        main: {
          required_approving_review_count: 2,
          require_code_owner_reviews: true,
          dismiss_stale_reviews: true,
        },
      }),
    );
    const app = appOctokit(sim);
    const number = await openRecordPr(app, "csr/p1", "clusters/prod/p1.yaml", "v: 1\n");
    const alice = userOctokit(sim, TOKENS.alice);
    const merge = (): Promise<unknown> =>
      alice.rest.pulls.merge({ owner: OWNER, repo: REPO, pull_number: number });

    expect(await status(merge())).toEqual({
      status: 405,
      message: "At least 2 approving reviews are required by reviewers with write access.",
    });
    await sim.actions.review(repoRef, number, "alice", "APPROVE");
    expect((await status(merge())).status).toBe(405);

    // A push to the head branch dismisses alice's approval of the older commit.
    await sim.actions.push(
      repoRef,
      "csr/p1",
      "carol",
      { "clusters/prod/p1.yaml": "v: 2\n" },
      "Change",
    );
    const reviews = await app.rest.pulls.listReviews({
      owner: OWNER,
      repo: REPO,
      pull_number: number,
    });
    expect(reviews.data.map((r) => r.state)).toEqual(["DISMISSED"]);

    await sim.actions.review(repoRef, number, "bob", "APPROVE");
    expect((await status(merge())).status).toBe(405);
    await sim.actions.review(repoRef, number, "alice", "APPROVE");
    const pr = await app.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: number });
    expect(pr.data.mergeable_state).toBe("clean");
    expect(await status(merge())).toEqual({ status: 200, message: "" });
  });

  it("without stale dismissal the old approval stays; a code owner must approve; checks must pass", async () => {
    const sim = await newSim(
      testSeed({
        main: {
          required_approving_review_count: 1,
          require_code_owner_reviews: true,
          required_status_checks: ["csr-gitops"],
        },
      }),
    );
    const app = appOctokit(sim);
    const number = await openRecordPr(app, "csr/p2", "clusters/prod/p2.yaml", "v: 1\n");
    const bob = userOctokit(sim, TOKENS.bob);
    const merge = (): Promise<unknown> =>
      bob.rest.pulls.merge({ owner: OWNER, repo: REPO, pull_number: number });
    // carol has write access but only a pending invitation to the owning team.
    await sim.actions.review(repoRef, number, "carol", "APPROVE");
    expect(await status(merge())).toEqual({
      status: 405,
      message: "Waiting on code owner review from @acme/csr-approvers.",
    });
    await sim.actions.review(repoRef, number, "alice", "APPROVE");
    expect(await status(merge())).toEqual({
      status: 405,
      message: 'Required status check "csr-gitops" is expected.',
    });
    const pr = await app.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: number });
    await app.rest.checks.create({
      owner: OWNER,
      repo: REPO,
      name: "csr-gitops",
      head_sha: pr.data.head.sha,
      conclusion: "success",
    });
    const runs = await app.rest.checks.listForRef({
      owner: OWNER,
      repo: REPO,
      ref: pr.data.head.sha,
    });
    expect(runs.data.check_runs.map((r) => [r.name, r.status, r.conclusion])).toEqual([
      ["csr-gitops", "completed", "success"],
    ]);
    // The sha precondition guards against a head that moved.
    expect(
      await status(
        bob.rest.pulls.merge({
          owner: OWNER,
          repo: REPO,
          pull_number: number,
          sha: "0".repeat(40),
        }),
      ),
    ).toEqual({
      status: 409,
      message: "Head branch was modified. Review and try the merge again.",
    });
    expect(await status(merge())).toEqual({ status: 200, message: "" });
  });

  it("the PR author cannot approve their own PR", async () => {
    const sim = await newSim();
    await expect(
      sim.actions.openPull(repoRef, "alice", { title: "t", head: "main", base: "main" }),
    ).rejects.toMatchObject({
      status: 422,
      body: { errors: [{ code: "custom", message: "No commits between main and main" }] },
    });
    await sim.actions.createBranch(repoRef, "feature", "main", "alice");
    await sim.actions.push(repoRef, "feature", "alice", { "x.txt": "x\n" });
    const n = await sim.actions.openPull(repoRef, "alice", { title: "Feature", head: "feature" });
    const res = await status(
      userOctokit(sim, TOKENS.alice).rest.pulls.createReview({
        owner: OWNER,
        repo: REPO,
        pull_number: n,
        event: "APPROVE",
      }),
    );
    expect(res).toEqual({ status: 422, message: "Unprocessable Entity" });
  });
});

describe("teams", () => {
  it("a pending invitation is not an active membership; child team members count for the parent", async () => {
    const sim = await newSim();
    const app = appOctokit(sim);
    const carol = await app.rest.teams.getMembershipForUserInOrg({
      org: OWNER,
      team_slug: "csr-approvers",
      username: "carol",
    });
    expect(carol.data.state).toBe("pending");
    const alice = await app.rest.teams.getMembershipForUserInOrg({
      org: OWNER,
      team_slug: "security",
      username: "alice",
    });
    expect(alice.data.state).toBe("active");
    expect(
      (
        await status(
          app.rest.teams.getMembershipForUserInOrg({
            org: OWNER,
            team_slug: "security",
            username: "mallory",
          }),
        )
      ).status,
    ).toBe(404);
    sim.actions.setTeamMembership(OWNER, "csr-approvers", "carol", "active");
    const accepted = await app.rest.teams.getMembershipForUserInOrg({
      org: OWNER,
      team_slug: "csr-approvers",
      username: "carol",
    });
    expect(accepted.data.state).toBe("active");
  });
});
