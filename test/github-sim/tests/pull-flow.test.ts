import { describe, expect, it } from "vitest";
import { git } from "./git-log.ts";
import {
  appOctokit,
  newSim,
  openRecordPr,
  OWNER,
  REPO,
  TOKENS,
  userOctokit,
} from "./sim-fixture.ts";

describe("a one-file PR the app's way, reviewed and merged", () => {
  it("merge: a merge commit with two parents lands on main", async () => {
    const sim = await newSim();
    const app = appOctokit(sim);
    const number = await openRecordPr(app, "csr/abc", "clusters/prod/abc.yaml", "uid: abc\n");
    const pr = await app.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: number });
    expect(pr.data.user.login).toBe("csr-gitops[bot]");
    expect(pr.data.changed_files).toBe(1);

    await userOctokit(sim, TOKENS.alice).rest.pulls.createReview({
      owner: OWNER,
      repo: REPO,
      pull_number: number,
      event: "APPROVE",
    });
    await userOctokit(sim, TOKENS.bob).rest.pulls.createReview({
      owner: OWNER,
      repo: REPO,
      pull_number: number,
      event: "APPROVE",
    });
    const reviews = await app.rest.pulls.listReviews({
      owner: OWNER,
      repo: REPO,
      pull_number: number,
    });
    expect(reviews.data.map((r) => [r.user?.login, r.state])).toEqual([
      ["alice", "APPROVED"],
      ["bob", "APPROVED"],
    ]);

    const merged = await userOctokit(sim, TOKENS.alice).rest.pulls.merge({
      owner: OWNER,
      repo: REPO,
      pull_number: number,
    });
    expect(merged.data.merged).toBe(true);

    const repoPath = sim.repoPath(OWNER, REPO);
    expect(git(repoPath, "log", "-1", "--format=%H", "main").trim()).toBe(merged.data.sha);
    const parents = git(repoPath, "log", "-1", "--format=%P", "main").trim().split(" ");
    expect(parents).toHaveLength(2);
    expect(parents[1]).toBe(pr.data.head.sha);
    expect(git(repoPath, "log", "-1", "--format=%s", "main").trim()).toBe(
      `Merge pull request #${number} from acme/csr/abc`,
    );
    expect(git(repoPath, "show", "main:clusters/prod/abc.yaml")).toBe("uid: abc\n");

    const after = await app.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: number });
    expect(after.data.merged).toBe(true);
    expect(after.data.merge_commit_sha).toBe(merged.data.sha);
    expect(after.data.merged_by?.login).toBe("alice");
  });

  it("the app's API commit is attributed to its bot and verified", async () => {
    const sim = await newSim();
    const app = appOctokit(sim);
    const number = await openRecordPr(app, "csr/bot", "clusters/prod/bot.yaml", "x: 1\n");
    const pr = await app.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: number });
    const commit = await app.rest.git.getCommit({
      owner: OWNER,
      repo: REPO,
      commit_sha: pr.data.head.sha,
    });
    expect(commit.data.author.name).toBe("csr-gitops[bot]");
    expect(commit.data.verification.verified).toBe(true);
    const author = git(
      sim.repoPath(OWNER, REPO),
      "log",
      "-1",
      "--format=%an <%ae>",
      pr.data.head.sha,
    ).trim();
    expect(author).toMatch(
      /^csr-gitops\[bot\] <\d+\+csr-gitops\[bot\]@users\.noreply\.github\.com>$/,
    );
  });

  it("squash: one new commit on main with one parent", async () => {
    const sim = await newSim();
    const app = appOctokit(sim);
    const number = await openRecordPr(app, "csr/sq", "clusters/prod/sq.yaml", "a\n");
    await sim.actions.push(
      { owner: OWNER, repo: REPO },
      "csr/sq",
      "alice",
      { "clusters/prod/sq.yaml": "a\nb\n" },
      "Second",
    );
    const before = git(sim.repoPath(OWNER, REPO), "rev-parse", "main").trim();
    const res = await userOctokit(sim, TOKENS.bob).rest.pulls.merge({
      owner: OWNER,
      repo: REPO,
      pull_number: number,
      merge_method: "squash",
    });
    const repoPath = sim.repoPath(OWNER, REPO);
    expect(git(repoPath, "log", "-1", "--format=%P", "main").trim()).toBe(before);
    expect(git(repoPath, "rev-parse", "main").trim()).toBe(res.data.sha);
    expect(git(repoPath, "log", "-1", "--format=%s", "main").trim()).toBe(
      `Approve clusters/prod/sq.yaml (#${number})`,
    );
    expect(git(repoPath, "show", "main:clusters/prod/sq.yaml")).toBe("a\nb\n");
    const after = await app.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: number });
    expect(after.data.merge_commit_sha).toBe(res.data.sha);
  });

  it("rebase: the head commits replayed on main, authors kept", async () => {
    const sim = await newSim();
    const app = appOctokit(sim);
    const number = await openRecordPr(app, "csr/rb", "clusters/prod/rb.yaml", "a\n");
    await sim.actions.push(
      { owner: OWNER, repo: REPO },
      "csr/rb",
      "alice",
      { "clusters/prod/rb.yaml": "a\nb\n" },
      "Second",
    );
    // Move main so the replay is not a fast-forward.
    await sim.actions.push(
      { owner: OWNER, repo: REPO },
      "main",
      "bob",
      { "README.md": "# audit log\n" },
      "Docs",
    );
    const before = git(sim.repoPath(OWNER, REPO), "rev-parse", "main").trim();
    const res = await userOctokit(sim, TOKENS.bob).rest.pulls.merge({
      owner: OWNER,
      repo: REPO,
      pull_number: number,
      merge_method: "rebase",
    });
    const repoPath = sim.repoPath(OWNER, REPO);
    // GitHub names the last replayed commit, the new tip of the base, as the merge commit.
    expect(git(repoPath, "log", "-1", "--format=%H", "main").trim()).toBe(res.data.sha);
    const after = await app.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: number });
    expect(after.data.merge_commit_sha).toBe(res.data.sha);
    const log = git(repoPath, "log", "--format=%s|%an|%cn|%P", `${before}..main`)
      .trim()
      .split("\n");
    expect(log).toHaveLength(2);
    expect(log[0]).toMatch(/^Second\|Alice\|GitHub\|[0-9a-f]{40}$/);
    expect(log[1]).toBe(`Add clusters/prod/rb.yaml|csr-gitops[bot]|GitHub|${before}`);
    expect(git(repoPath, "show", "main:README.md")).toBe("# audit log\n");
  });
});
