import { failure } from "./request-failure.ts";
import { describe, expect, it } from "vitest";
import { git } from "./git-log.ts";
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

const repo = { owner: OWNER, repo: REPO };

describe("GET /repos/{owner}/{repo}/branches/{branch}", () => {
  it("names the tip commit that git has, and summarises protection", async () => {
    const sim = await newSim(testSeed({ main: { required_status_checks: ["csr-gitops"] } }));
    const { data } = await userOctokit(sim, TOKENS.bob).rest.repos.getBranch({
      ...repo,
      branch: "main",
    });
    expect(data.commit.sha).toBe(git(sim.repoPath(OWNER, REPO), "rev-parse", "main").trim());
    expect(data.protected).toBe(true);
    expect(data.protection.required_status_checks).toMatchObject({ contexts: ["csr-gitops"] });
    expect(data.protection_url).toMatch(/\/branches\/main\/protection$/);
  });

  it("serves a branch with a slash in its name, unprotected", async () => {
    const sim = await newSim();
    const app = appOctokit(sim);
    const number = await openRecordPr(app, "csr/abc", "clusters/prod/abc.yaml", "abc\n");
    const pr = await app.rest.pulls.get({ ...repo, pull_number: number });
    const { data } = await app.rest.repos.getBranch({ ...repo, branch: "csr/abc" });
    expect(data.name).toBe("csr/abc");
    expect(data.commit.sha).toBe(pr.data.head.sha);
    expect(data.commit.commit.message).toBe("Add clusters/prod/abc.yaml");
    expect(data.protected).toBe(false);
  });

  it("answers 404 for a branch that does not exist", async () => {
    const sim = await newSim();
    const alice = userOctokit(sim, TOKENS.alice);
    expect(await failure(alice.rest.repos.getBranch({ ...repo, branch: "nope" }))).toMatchObject({
      status: 404,
      message: "Branch not found",
    });
  });
});

describe("branch protection over REST", () => {
  it("an admin reads and replaces it; the new rules are enforced at merge", async () => {
    const sim = await newSim();
    sim.actions.setCollaborator(repo, "alice", "admin");
    const alice = userOctokit(sim, TOKENS.alice);
    expect(
      await failure(alice.rest.repos.getBranchProtection({ ...repo, branch: "main" })),
    ).toMatchObject({ status: 404, message: "Branch not protected" });
    await alice.rest.repos.updateBranchProtection({
      ...repo,
      branch: "main",
      required_status_checks: null,
      enforce_admins: true,
      required_pull_request_reviews: { required_approving_review_count: 1 },
      restrictions: null,
    });
    const read = await alice.rest.repos.getBranchProtection({ ...repo, branch: "main" });
    expect(read.data.required_pull_request_reviews?.required_approving_review_count).toBe(1);

    const number = await openRecordPr(appOctokit(sim), "csr/p", "clusters/prod/p.yaml", "p\n");
    const merge = () => alice.rest.pulls.merge({ ...repo, pull_number: number });
    expect((await failure(merge())).status).toBe(405);
    await sim.actions.review(repo, number, "bob", "APPROVE");
    expect((await merge()).data.merged).toBe(true);
  });

  it("someone with write but not admin may not read or change it", async () => {
    const sim = await newSim(testSeed({ main: { required_approving_review_count: 1 } }));
    const bob = userOctokit(sim, TOKENS.bob);
    expect(
      (await failure(bob.rest.repos.getBranchProtection({ ...repo, branch: "main" }))).status,
    ).toBe(403);
    const put = bob.rest.repos.updateBranchProtection({
      ...repo,
      branch: "main",
      required_status_checks: null,
      enforce_admins: null,
      required_pull_request_reviews: null,
      restrictions: null,
    });
    expect((await failure(put)).status).toBe(403);
  });
});
