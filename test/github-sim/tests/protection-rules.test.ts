import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { failure } from "./request-failure.ts";
import { httpSim, openRecordPr, OWNER, REPO, testSeed, TOKENS } from "./sim-fixture.ts";

const repoRef = { owner: OWNER, repo: REPO };

describe("teams as code owners need write access themselves", () => {
  // https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners
  // "When the code owner is a team, that team must be visible and it must have write permissions"
  // https://docs.github.com/en/rest/teams/teams#add-or-update-team-repository-permissions
  // https://docs.github.com/en/rest/repos/repos#list-codeowners-errors
  it("a team without write access is an unknown owner whose approval does not count, until a PUT grants it", async () => {
    const seed = testSeed({
      main: { required_approving_review_count: 1, require_code_owner_reviews: true },
    });
    const [repo] = seed.repos ?? [];
    if (repo === undefined) throw new Error("test seed has a repo");
    const { sim, app, user } = await httpSim({
      ...seed,
      users: [...(seed.users ?? []), { login: "dave", token: "ghp_dave_admin_token_0005" }],
      repos: [{ ...repo, teams: {}, collaborators: { ...repo.collaborators, dave: "admin" } }],
    });
    const errors = await app.rest.repos.codeownersErrors(repoRef);
    expect(errors.data.errors).toEqual([
      {
        line: 1,
        column: 12,
        kind: "Unknown owner",
        source: "/clusters/ @acme/csr-approvers\n",
        suggestion:
          "make sure the team @acme/csr-approvers exists, is publicly visible, and has write access to the repository",
        message:
          "Unknown owner on line 1: make sure the team @acme/csr-approvers exists, is publicly visible, and has write access to the repository\n\n  /clusters/ @acme/csr-approvers\n             ^",
        path: ".github/CODEOWNERS",
      },
    ]);
    const number = await openRecordPr(app, "csr/t1", "clusters/prod/t1.yaml", "v: 1\n");
    await sim.actions.review(repoRef, number, "alice", "APPROVE");
    const merge = () =>
      user(TOKENS.bob).rest.pulls.merge({ owner: OWNER, repo: REPO, pull_number: number });
    expect(await failure(merge())).toMatchObject({
      status: 405,
      message: "Waiting on code owner review from @acme/csr-approvers.",
    });
    const dave = user("ghp_dave_admin_token_0005");
    // A write collaborator cannot grant team access; an admin can.
    expect(
      (
        await failure(
          user(TOKENS.bob).rest.teams.addOrUpdateRepoPermissionsInOrg({
            org: OWNER,
            team_slug: "csr-approvers",
            owner: OWNER,
            repo: REPO,
            permission: "push",
          }),
        )
      ).status,
    ).toBe(403);
    await dave.rest.teams.addOrUpdateRepoPermissionsInOrg({
      org: OWNER,
      team_slug: "csr-approvers",
      owner: OWNER,
      repo: REPO,
      permission: "push",
    });
    const check = await dave.rest.teams.checkPermissionsForRepoInOrg({
      org: OWNER,
      team_slug: "csr-approvers",
      owner: OWNER,
      repo: REPO,
    });
    expect(check.data.permissions?.push).toBe(true);
    expect((await app.rest.repos.codeownersErrors(repoRef)).data.errors).toEqual([]);
    expect((await merge()).data.merged).toBe(true);
  });

  it("an unknown user owner is worded as GitHub words it", async () => {
    const { sim, app } = await httpSim();
    await sim.actions.setCodeowners(repoRef, "* @ghost # nobody\n", "alice");
    const [error] = (await app.rest.repos.codeownersErrors(repoRef)).data.errors;
    expect(error).toMatchObject({
      suggestion: "make sure @ghost exists and has write access to the repository",
      message:
        "Unknown owner on line 1: make sure @ghost exists and has write access to the repository\n\n  * @ghost # nobody\n    ^",
      source: "* @ghost # nobody\n",
    });
  });
});

describe("review rules of a branch protection rule", () => {
  // https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/managing-protected-branches/about-protected-branches#require-pull-request-reviews-before-merging
  // "require approval of the most recent reviewable push ... by someone other than the person who pushed it"
  it("require_last_push_approval: the last pusher's own approval does not count", async () => {
    const { sim, app, user } = await httpSim(
      testSeed({ main: { required_approving_review_count: 1, require_last_push_approval: true } }),
    );
    const number = await openRecordPr(app, "csr/l1", "clusters/prod/l1.yaml", "v: 1\n");
    await sim.actions.push(repoRef, "csr/l1", "alice", { "clusters/prod/l1.yaml": "v: 2\n" });
    await sim.actions.review(repoRef, number, "alice", "APPROVE");
    const merge = () =>
      user(TOKENS.bob).rest.pulls.merge({ owner: OWNER, repo: REPO, pull_number: number });
    expect(await failure(merge())).toMatchObject({
      status: 405,
      message: "The most recent push must be approved by someone other than the last pusher.",
    });
    await sim.actions.review(repoRef, number, "carol", "APPROVE");
    expect((await merge()).data.merged).toBe(true);
  });

  // https://docs.github.com/en/rest/branches/branch-protection#update-branch-protection (dismissal_restrictions)
  it("dismissal_restrictions: only the listed actors dismiss an approval", async () => {
    const { sim, app, user } = await httpSim(
      testSeed({
        main: { required_approving_review_count: 1, dismissal_restrictions: { users: ["alice"] } },
      }),
    );
    const number = await openRecordPr(app, "csr/d1", "clusters/prod/d1.yaml", "v: 1\n");
    const id = await sim.actions.review(repoRef, number, "carol", "APPROVE");
    const dismiss = (token: string) =>
      user(token).rest.pulls.dismissReview({
        owner: OWNER,
        repo: REPO,
        pull_number: number,
        review_id: id,
        message: "no",
      });
    expect((await failure(dismiss(TOKENS.bob))).status).toBe(403);
    expect((await dismiss(TOKENS.alice)).data.state).toBe("DISMISSED");
  });

  // https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/managing-protected-branches/about-protected-branches#require-status-checks-before-merging
  // strict: "the branch must be up to date with the base branch before merging"
  it("strict status checks: a head behind the base is 'behind' and cannot merge even with green checks", async () => {
    const { sim, app, user } = await httpSim(
      testSeed({ main: { required_status_checks: ["csr-gitops"], strict_status_checks: true } }),
    );
    const number = await openRecordPr(app, "csr/s1", "clusters/prod/s1.yaml", "v: 1\n");
    const green = async () => {
      const pr = await app.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: number });
      await app.rest.checks.create({
        owner: OWNER,
        repo: REPO,
        name: "csr-gitops",
        head_sha: pr.data.head.sha,
        conclusion: "success",
      });
    };
    await green();
    // The base moves on (an admin's push goes around the rule).
    await sim.actions.push(repoRef, "main", OWNER, { "other.txt": "o\n" });
    const pr = await app.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: number });
    expect(pr.data.mergeable_state).toBe("behind");
    const merge = () =>
      user(TOKENS.bob).rest.pulls.merge({ owner: OWNER, repo: REPO, pull_number: number });
    expect(await failure(merge())).toMatchObject({
      status: 405,
      message: 'Required status check "csr-gitops" is expected.',
    });
    // Bring the head up to date: a commit on the head that contains the base.
    const main = await app.rest.git.getRef({ owner: OWNER, repo: REPO, ref: "heads/main" });
    const head = await app.rest.git.getRef({ owner: OWNER, repo: REPO, ref: "heads/csr/s1" });
    const mainCommit = await app.rest.git.getCommit({
      owner: OWNER,
      repo: REPO,
      commit_sha: main.data.object.sha,
    });
    const tree = await app.rest.git.createTree({
      owner: OWNER,
      repo: REPO,
      base_tree: mainCommit.data.tree.sha,
      tree: [{ path: "clusters/prod/s1.yaml", mode: "100644", type: "blob", content: "v: 1\n" }],
    });
    const merged = await app.rest.git.createCommit({
      owner: OWNER,
      repo: REPO,
      message: "Merge main",
      tree: tree.data.sha,
      parents: [head.data.object.sha, main.data.object.sha],
    });
    await app.rest.git.updateRef({
      owner: OWNER,
      repo: REPO,
      ref: "heads/csr/s1",
      sha: merged.data.sha,
    });
    await green();
    expect((await merge()).data.merged).toBe(true);
  });
});

describe("web-flow signatures", () => {
  // https://docs.github.com/en/authentication/managing-commit-signature-verification/about-commit-signature-verification#signature-verification-for-bots
  // "only work if the request is ... authenticated as the GitHub App ... and contains no custom author
  // information, custom committer information, and no custom signature information"
  it("an app's API commit without author is signed; git verify-commit in a clone accepts it with the simulator's key", async () => {
    const { sim, app } = await httpSim();
    await sim.actions.createBranch(repoRef, "receipts", "main", "alice");
    const put = (author?: { name: string; email: string }) =>
      app.rest.repos.createOrUpdateFileContents({
        owner: OWNER,
        repo: REPO,
        branch: "receipts",
        path: `r-${author === undefined ? "bot" : "named"}.json`,
        message: "Receipt",
        content: Buffer.from("{}").toString("base64"),
        ...(author === undefined ? {} : { author, committer: author }),
      });
    const signed = await put();
    const named = await put({ name: "Someone", email: "someone@example.com" });
    const get = (sha: string) =>
      app.rest.git.getCommit({ owner: OWNER, repo: REPO, commit_sha: sha });
    const v = (await get(signed.data.commit.sha ?? "")).data.verification;
    expect(v).toMatchObject({ verified: true, reason: "valid" });
    expect(v.signature).toMatch(/^-----BEGIN SSH SIGNATURE-----/);
    expect((await get(named.data.commit.sha ?? "")).data.verification).toMatchObject({
      verified: false,
      reason: "unsigned",
    });
    const dir = mkdtempSync(path.join(tmpdir(), "sim-clone-"));
    onTestFinished(() => {
      rmSync(dir, { recursive: true, force: true });
    });
    const git = (...args: string[]) =>
      execFileSync("git", args, {
        cwd: dir,
        env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null" },
      });
    git("clone", "--quiet", sim.repoPath(OWNER, REPO), ".");
    const verify = (sha: string) =>
      git(
        "-c",
        `gpg.ssh.allowedSignersFile=${sim.webFlowKey().allowedSignersPath}`,
        "verify-commit",
        sha,
      );
    expect(() => verify(signed.data.commit.sha ?? "")).not.toThrow();
    expect(() => verify(named.data.commit.sha ?? "")).toThrow();
  });
});

describe("draft pull requests", () => {
  // https://docs.github.com/en/pull-requests/collaborating-with-pull-requests/proposing-changes-to-your-work-with-pull-requests/about-pull-requests#draft-pull-requests
  // "You can't merge a draft pull request."
  it("no one merges a draft, not even an admin; once ready for review it merges", async () => {
    const { sim, app } = await httpSim();
    await sim.actions.createBranch(repoRef, "csr/draft", "main", "alice");
    await sim.actions.push(repoRef, "csr/draft", "alice", { "clusters/prod/x.yaml": "x\n" });
    const created = await app.rest.pulls.create({
      owner: OWNER,
      repo: REPO,
      head: `${OWNER}:csr/draft`,
      base: "main",
      title: "Draft",
      draft: true,
    });
    const number = created.data.number;
    const get = () => app.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: number });
    expect((await get()).data.mergeable_state).toBe("draft");
    expect(
      await failure(app.rest.pulls.merge({ owner: OWNER, repo: REPO, pull_number: number })),
    ).toMatchObject({ status: 405, message: "Pull Request is still a draft" });
    await expect(sim.actions.merge(repoRef, number, OWNER)).rejects.toThrow(
      "Pull Request is still a draft",
    );
    await sim.actions.markReadyForReview(repoRef, number, "alice");
    expect((await get()).data.draft).toBe(false);
    expect(
      (await app.rest.pulls.merge({ owner: OWNER, repo: REPO, pull_number: number })).data.merged,
    ).toBe(true);
  });
});
