import { describe, expect, it } from "vitest";
import { GitPushRejected } from "../ops/protection-rules.ts";
import type { SeedInput } from "../seed/seed-schema.ts";
import { failure } from "./request-failure.ts";
import { httpSim, openRecordPr, OWNER, REPO, testSeed, TOKENS } from "./sim-fixture.ts";

const repoRef = { owner: OWNER, repo: REPO };
const DAVE = "ghp_dave_admin_token_0005";

type Protection = Parameters<typeof testSeed>[0];

/** The usual test seed plus dave, a repository admin, and a `release` team (bob) with write access. */
function seedWith(protection: Protection): SeedInput {
  const seed = testSeed(protection);
  const [repo] = seed.repos ?? [];
  const [org] = seed.orgs ?? [];
  if (repo === undefined || org === undefined) throw new Error("test seed has a repo and an org");
  return {
    ...seed,
    users: [...(seed.users ?? []), { login: "dave", token: DAVE }],
    orgs: [{ ...org, teams: [...(org.teams ?? []), { slug: "release", members: ["bob"] }] }],
    repos: [
      {
        ...repo,
        collaborators: { ...repo.collaborators, dave: "admin" },
        teams: { ...repo.teams, release: "write" },
      },
    ],
  };
}

const REVIEWED = {
  required_approving_review_count: 2,
  require_code_owner_reviews: true,
  required_status_checks: ["csr-gitops"],
};

const receipt = (text: string) => ({
  owner: OWNER,
  repo: REPO,
  path: "receipts/r1.json",
  message: "Record approval receipt",
  content: Buffer.from(text).toString("base64"),
});

describe("admins and branch protection", () => {
  // https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/managing-protected-branches/about-protected-branches#do-not-allow-bypassing-the-above-settings
  // "By default, the restrictions of a branch protection rule don't apply to people with admin permissions"
  it("with enforce_admins off (the default) an admin merges a PR without reviews or checks", async () => {
    const { app, user } = await httpSim(seedWith({ main: REVIEWED }));
    const number = await openRecordPr(app, "csr/a1", "clusters/prod/a1.yaml", "v: 1\n");
    const pr = await app.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: number });
    expect(pr.data.mergeable_state).toBe("blocked");
    // bob (write) is refused; dave (admin) goes around the same rules.
    const refused = await failure(
      user(TOKENS.bob).rest.pulls.merge({ owner: OWNER, repo: REPO, pull_number: number }),
    );
    expect(refused.status).toBe(405);
    const merged = await user(DAVE).rest.pulls.merge({
      owner: OWNER,
      repo: REPO,
      pull_number: number,
    });
    expect(merged.data.merged).toBe(true);
    const after = await app.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: number });
    expect(after.data.merged_by?.login).toBe("dave");
    const reviews = await app.rest.pulls.listReviews({
      owner: OWNER,
      repo: REPO,
      pull_number: number,
    });
    expect(reviews.data).toEqual([]);
  });

  // https://docs.github.com/en/rest/branches/branch-protection#update-branch-protection (enforce_admins)
  it("a PUT that turns admin enforcement on binds the admin, and off again frees them; GET shows each", async () => {
    const { app, user } = await httpSim(seedWith({ main: REVIEWED }));
    const dave = user(DAVE);
    const put = (enforce: boolean) =>
      dave.rest.repos.updateBranchProtection({
        owner: OWNER,
        repo: REPO,
        branch: "main",
        // eslint-disable-next-line @typescript-eslint/no-deprecated -- GitHub's schema still requires contexts
        required_status_checks: { strict: false, contexts: ["csr-gitops"] },
        enforce_admins: enforce,
        required_pull_request_reviews: { required_approving_review_count: 2 },
        restrictions: null,
      });
    const get = async () =>
      (await dave.rest.repos.getBranchProtection({ owner: OWNER, repo: REPO, branch: "main" }))
        .data;
    expect((await get()).enforce_admins?.enabled).toBe(false);
    await put(true);
    expect((await get()).enforce_admins?.enabled).toBe(true);
    const number = await openRecordPr(app, "csr/a2", "clusters/prod/a2.yaml", "v: 1\n");
    const merge = () => dave.rest.pulls.merge({ owner: OWNER, repo: REPO, pull_number: number });
    expect(await failure(merge())).toMatchObject({
      status: 405,
      message: "At least 2 approving reviews are required by reviewers with write access.",
    });
    await put(false);
    expect((await get()).enforce_admins?.enabled).toBe(false);
    expect((await merge()).data.merged).toBe(true);
  });
});

describe("require a pull request before merging: direct writes", () => {
  // https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/managing-protected-branches/about-protected-branches#require-pull-request-reviews-before-merging
  // "collaborators can only push changes to a protected branch via a pull request"
  it("refuses the app's receipt commit (contents 409, ref update 422) and a git push, GH006-style", async () => {
    const { sim, app } = await httpSim(seedWith({ main: { required_approving_review_count: 1 } }));
    expect(await failure(app.rest.repos.createOrUpdateFileContents(receipt("{}")))).toMatchObject({
      status: 409,
      message: "Changes must be made through a pull request.",
    });
    // The git data way: a commit on top of main, then moving main to it.
    const main = await app.rest.git.getRef({ owner: OWNER, repo: REPO, ref: "heads/main" });
    const base = await app.rest.git.getCommit({
      owner: OWNER,
      repo: REPO,
      commit_sha: main.data.object.sha,
    });
    const tree = await app.rest.git.createTree({
      owner: OWNER,
      repo: REPO,
      base_tree: base.data.tree.sha,
      tree: [{ path: "receipts/r1.json", mode: "100644", type: "blob", content: "{}\n" }],
    });
    const commit = await app.rest.git.createCommit({
      owner: OWNER,
      repo: REPO,
      message: "Record approval receipt",
      tree: tree.data.sha,
      parents: [main.data.object.sha],
    });
    expect(
      await failure(
        app.rest.git.updateRef({
          owner: OWNER,
          repo: REPO,
          ref: "heads/main",
          sha: commit.data.sha,
        }),
      ),
    ).toMatchObject({ status: 422, message: "Changes must be made through a pull request." });
    // A person's git push meets GitHub's pre-receive refusal.
    const pushed = sim.actions.push(repoRef, "main", "alice", { "x.txt": "x\n" });
    await expect(pushed).rejects.toThrow(GitPushRejected);
    await expect(pushed).rejects.toThrow(
      "GH006: Protected branch update failed for refs/heads/main.\nChanges must be made through a pull request.",
    );
    const still = await app.rest.git.getRef({ owner: OWNER, repo: REPO, ref: "heads/main" });
    expect(still.data.object.sha).toBe(main.data.object.sha);
  });

  // https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/managing-rulesets/creating-rulesets-for-a-repository#granting-bypass-permissions-for-your-ruleset
  it("lets the app through when it is on the bypass list, and an admin's push when admins are not enforced", async () => {
    const { sim, app } = await httpSim(
      seedWith({
        main: { required_approving_review_count: 1, bypass_actors: { apps: ["csr-gitops"] } },
      }),
    );
    const written = await app.rest.repos.createOrUpdateFileContents(receipt("{}"));
    expect(written.status).toBe(201);
    const main = await app.rest.git.getRef({ owner: OWNER, repo: REPO, ref: "heads/main" });
    expect(main.data.object.sha).toBe(written.data.commit.sha);
    const sha = await sim.actions.push(repoRef, "main", "dave", { "admin.txt": "a\n" });
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    sim.actions.setProtection(repoRef, "main", {
      required_approving_review_count: 1,
      enforce_admins: true,
    });
    await expect(sim.actions.push(repoRef, "main", "dave", { "b.txt": "b\n" })).rejects.toThrow(
      GitPushRejected,
    );
  });

  // https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/managing-protected-branches/managing-a-branch-protection-rule
  // "Allow specified actors to bypass required pull requests"; required status checks still bind.
  it("a pull-request bypass allowance pushes directly and merges without reviews, but not without checks", async () => {
    const { sim, app, user } = await httpSim(
      seedWith({
        main: {
          required_approving_review_count: 2,
          required_status_checks: ["csr-gitops"],
          bypass_pull_request_allowances: { teams: ["release"] },
        },
      }),
    );
    const number = await openRecordPr(app, "csr/b1", "clusters/prod/b1.yaml", "v: 1\n");
    const bob = user(TOKENS.bob);
    const merge = () => bob.rest.pulls.merge({ owner: OWNER, repo: REPO, pull_number: number });
    expect(await failure(merge())).toMatchObject({
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
    expect((await merge()).data.merged).toBe(true);
    // A direct push by bob is still refused for its missing check, alice's for the PR rule too.
    await expect(sim.actions.push(repoRef, "main", "bob", { "c.txt": "c\n" })).rejects.toThrow(
      'GH006: Protected branch update failed for refs/heads/main.\nRequired status check "csr-gitops" is expected.',
    );
    await expect(sim.actions.push(repoRef, "main", "alice", { "c.txt": "c\n" })).rejects.toThrow(
      "Changes must be made through a pull request. Required status check",
    );
  });

  // https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/managing-rulesets/about-rulesets#about-rule-layering
  it("a bypass team merges without reviews or checks", async () => {
    const { app, user } = await httpSim(
      seedWith({ main: { ...REVIEWED, bypass_actors: { teams: ["release"] } } }),
    );
    const number = await openRecordPr(app, "csr/b2", "clusters/prod/b2.yaml", "v: 1\n");
    const refused = await failure(
      user(TOKENS.alice).rest.pulls.merge({ owner: OWNER, repo: REPO, pull_number: number }),
    );
    expect(refused.status).toBe(405);
    const merged = await user(TOKENS.bob).rest.pulls.merge({
      owner: OWNER,
      repo: REPO,
      pull_number: number,
    });
    expect(merged.data.merged).toBe(true);
  });
});
