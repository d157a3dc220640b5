import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { failure } from "./request-failure.ts";
import { describe, expect, it } from "vitest";
import { git } from "./git-log.ts";
import {
  APP_ID,
  appOctokit,
  INSTALLATION_ID,
  newSim,
  openRecordPr,
  OWNER,
  REPO,
  testSeed,
  TOKENS,
  userOctokit,
} from "./sim-fixture.ts";

const repo = { owner: OWNER, repo: REPO };

describe("CODEOWNERS", () => {
  it("errors name the line and kind: bad owners, unknown owners; per ref", async () => {
    const sim = await newSim();
    const app = appOctokit(sim);
    await sim.actions.createBranch(repo, "edit-owners", "main", "alice");
    await sim.actions.setCodeowners(
      repo,
      "/clusters/ @acme/csr-approvers\n/a/ not-an-owner\n/b/ @ghost\n/c/ @acme/no-such-team @bob\n",
      "alice",
      "edit-owners",
    );
    const onBranch = await app.rest.repos.codeownersErrors({ ...repo, ref: "edit-owners" });
    expect(onBranch.data.errors.map((e) => [e.line, e.kind, e.path])).toEqual([
      [2, "Invalid owner", ".github/CODEOWNERS"],
      [3, "Unknown owner", ".github/CODEOWNERS"],
      [4, "Unknown owner", ".github/CODEOWNERS"],
    ]);
    const onMain = await app.rest.repos.codeownersErrors(repo);
    expect(onMain.data.errors).toEqual([]);
  });

  it("errors: an escaped bracket is a path, an unescaped one is GitHub's Invalid pattern", async () => {
    const sim = await newSim();
    const app = appOctokit(sim);
    await sim.actions.setCodeowners(repo, "/pages/\\[id\\]/ @bob\n/pages/[id]/ @bob\n", "alice");
    const { data } = await app.rest.repos.codeownersErrors(repo);
    expect(data.errors.map((e) => [e.line, e.column, e.kind, e.message])).toEqual([
      [
        2,
        8,
        "Invalid pattern",
        "Invalid pattern on line 2: both `[` and `]` must be escaped with a `\\`\n\n  /pages/[id]/ @bob\n         ^",
      ],
    ]);
  });

  it("a change of CODEOWNERS on the base branch changes who must approve", async () => {
    const sim = await newSim(
      testSeed({ main: { required_approving_review_count: 1, require_code_owner_reviews: true } }),
    );
    const app = appOctokit(sim);
    // main requires a PR; the owner (an admin, admins not enforced) pushes around it.
    await sim.actions.setCodeowners(repo, "/clusters/ @bob\n", OWNER);
    const number = await openRecordPr(app, "csr/o", "clusters/prod/o.yaml", "o\n");
    const merge = () =>
      userOctokit(sim, TOKENS.alice).rest.pulls.merge({ ...repo, pull_number: number });
    await sim.actions.review(repo, number, "alice", "APPROVE");
    expect((await failure(merge())).status).toBe(405);
    await sim.actions.review(repo, number, "bob", "APPROVE");
    expect((await merge()).data.merged).toBe(true);
  });
});

describe("CODEOWNERS comes from the base branch", () => {
  it("a PR that rewrites CODEOWNERS on its head does not choose its own owners", async () => {
    const sim = await newSim(
      testSeed({ main: { required_approving_review_count: 1, require_code_owner_reviews: true } }),
    );
    // main requires a PR; the owner (an admin, admins not enforced) pushes around it.
    await sim.actions.setCodeowners(repo, "/clusters/ @bob\n", OWNER);
    const number = await openRecordPr(appOctokit(sim), "csr/h", "clusters/prod/h.yaml", "h\n");
    await sim.actions.setCodeowners(repo, "/clusters/ @alice\n", "alice", "csr/h");
    await sim.actions.review(repo, number, "alice", "APPROVE");
    const alice = userOctokit(sim, TOKENS.alice);
    expect((await failure(alice.rest.pulls.merge({ ...repo, pull_number: number }))).status).toBe(
      405,
    );
  });
});

describe("issue comments and labels on a PR", () => {
  it("comments are created, listed and edited; labels added (created when new), listed, removed", async () => {
    const sim = await newSim();
    const app = appOctokit(sim);
    const number = await openRecordPr(app, "csr/l", "clusters/prod/l.yaml", "l\n");
    const created = await app.rest.issues.createComment({
      ...repo,
      issue_number: number,
      body: "one",
    });
    expect(created.status).toBe(201);
    await app.rest.issues.updateComment({
      ...repo,
      comment_id: created.data.id,
      body: "one, edited",
    });
    const comments = await app.rest.issues.listComments({ ...repo, issue_number: number });
    expect(comments.data.map((c) => [c.body, c.user?.login])).toEqual([
      ["one, edited", "csr-gitops[bot]"],
    ]);

    await app.rest.issues.addLabels({ ...repo, issue_number: number, labels: ["csr", "prod"] });
    await app.rest.issues.removeLabel({ ...repo, issue_number: number, name: "prod" });
    const labels = await app.rest.issues.listLabelsOnIssue({ ...repo, issue_number: number });
    expect(labels.data.map((l) => l.name)).toEqual(["csr"]);
    const pr = await app.rest.pulls.get({ ...repo, pull_number: number });
    expect(pr.data.labels.map((l) => l.name)).toEqual(["csr"]);
  });
});

describe("people, teams and the app", () => {
  it("collaborator permission: write, read for org members, none for strangers", async () => {
    const sim = await newSim();
    const app = appOctokit(sim);
    const perm = async (username: string) =>
      (await app.rest.repos.getCollaboratorPermissionLevel({ ...repo, username })).data.permission;
    expect(await perm("alice")).toBe("write");
    sim.actions.setCollaborator(repo, "carol", undefined);
    expect(await perm("carol")).toBe("read");
    expect(await perm("mallory")).toBe("none");
  });

  it("team by slug; users by login", async () => {
    const sim = await newSim();
    const app = appOctokit(sim);
    const team = await app.rest.teams.getByName({ org: OWNER, team_slug: "csr-approvers" });
    expect(team.data.parent?.slug).toBe("security");
    const bob = await app.rest.users.getByUsername({ username: "bob" });
    expect(bob.data).toMatchObject({ login: "bob", name: "Bob", type: "User" });
    expect((await failure(app.rest.users.getByUsername({ username: "nobody" }))).status).toBe(404);
  });

  it("the app, its installations and the repository's installation, with the app's JWT", async () => {
    const sim = await newSim();
    const app = appOctokit(sim);
    const jwt = ((await app.auth({ type: "app" })) as { token: string }).token;
    const asApp = userOctokit(sim, jwt);
    expect((await asApp.rest.apps.getAuthenticated()).data).toMatchObject({
      id: APP_ID,
      slug: "csr-gitops",
    });
    const installations = await asApp.rest.apps.listInstallations();
    expect(installations.data.map((i) => i.id)).toEqual([INSTALLATION_ID]);
    const inst = await asApp.rest.apps.getRepoInstallation(repo);
    expect(inst.data.id).toBe(INSTALLATION_ID);
  });
});

/** An app JWT as @octokit/auth-app makes it: RS256 over iat (60 s back), exp and iss. */
function appJwt(privateKey: KeyObject | string, nowS: number, appId = APP_ID): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const body = `${part({ alg: "RS256", typ: "JWT" })}.${part({ iat: nowS - 60, exp: nowS + 540, iss: appId })}`;
  return `${body}.${sign("sha256", Buffer.from(body), privateKey).toString("base64url")}`;
}

describe("app JWTs are checked as GitHub checks them", () => {
  it("accepts the app's key, refuses another key, another app id, and an expired token", async () => {
    const sim = await newSim();
    const key = sim.appPrivateKey() ?? "";
    const nowS = Math.floor(sim.clock.now() / 1000);
    const getApp = (jwt: string) => userOctokit(sim, jwt).rest.apps.getAuthenticated();
    expect((await getApp(appJwt(key, nowS))).data?.id).toBe(APP_ID);

    const { privateKey: otherKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    expect(await failure(getApp(appJwt(otherKey, nowS)))).toMatchObject({
      status: 401,
      message: "A JSON web token could not be decoded",
    });
    expect(await failure(getApp(appJwt(key, nowS, 999)))).toMatchObject({
      status: 401,
      message: "Integration not found",
    });
    const jwt = appJwt(key, nowS);
    sim.clock.advance(10 * 60 * 1000);
    expect((await failure(getApp(jwt))).status).toBe(401);
  });
});

describe("git refs, commits and contents", () => {
  it("update-ref fast-forwards, refuses a non-fast-forward unless forced; matching refs; delete", async () => {
    const sim = await newSim();
    const app = appOctokit(sim);
    const path = sim.repoPath(OWNER, REPO);
    const base = git(path, "rev-parse", "main").trim();
    await sim.actions.createBranch(repo, "work", "main", "alice");
    const ahead = await sim.actions.push(repo, "main", "alice", { "n.txt": "n\n" });
    await app.rest.git.updateRef({ ...repo, ref: "heads/work", sha: ahead });
    expect(git(path, "rev-parse", "work").trim()).toBe(ahead);
    const back = app.rest.git.updateRef({ ...repo, ref: "heads/work", sha: base });
    expect(await failure(back)).toMatchObject({
      status: 422,
      message: "Update is not a fast forward",
    });
    await app.rest.git.updateRef({ ...repo, ref: "heads/work", sha: base, force: true });
    expect(git(path, "rev-parse", "work").trim()).toBe(base);

    const refs = await app.rest.git.listMatchingRefs({ ...repo, ref: "heads/wo" });
    expect(refs.data.map((r) => r.ref)).toEqual(["refs/heads/work"]);
    await app.rest.git.deleteRef({ ...repo, ref: "heads/work" });
    expect(git(path, "branch", "--list", "work").trim()).toBe("");
  });

  it("list commits by path, one commit with its files, a PR's files and commits", async () => {
    const sim = await newSim();
    const app = appOctokit(sim);
    const number = await openRecordPr(app, "csr/f", "clusters/prod/f.yaml", "f\n");
    const second = await sim.actions.push(repo, "csr/f", "alice", {
      "clusters/prod/f.yaml": "g\n",
    });
    const byPath = await app.rest.repos.listCommits({
      ...repo,
      sha: "csr/f",
      path: "clusters/prod/f.yaml",
    });
    expect(byPath.data.map((c) => c.sha)).toEqual(
      git(sim.repoPath(OWNER, REPO), "log", "--format=%H", "csr/f", "--", "clusters/prod/f.yaml")
        .trim()
        .split("\n"),
    );
    const one = await app.rest.repos.getCommit({ ...repo, ref: second });
    expect(one.data.files?.map((f) => [f.filename, f.status])).toEqual([
      ["clusters/prod/f.yaml", "modified"],
    ]);
    const files = await app.rest.pulls.listFiles({ ...repo, pull_number: number });
    expect(files.data.map((f) => [f.filename, f.status])).toEqual([
      ["clusters/prod/f.yaml", "added"],
    ]);
    const commits = await app.rest.pulls.listCommits({ ...repo, pull_number: number });
    expect(commits.data.map((c) => c.sha).at(-1)).toBe(second);
    expect(commits.data).toHaveLength(2);
  });

  it("a file is deleted with its sha, and a PR is retitled and closed through update", async () => {
    const sim = await newSim();
    const app = appOctokit(sim);
    const number = await openRecordPr(app, "csr/d", "clusters/prod/d.yaml", "d\n");
    const file = await app.rest.repos.getContent({
      ...repo,
      path: "clusters/prod/d.yaml",
      ref: "csr/d",
    });
    const sha = Array.isArray(file.data) ? "" : file.data.sha;
    await app.rest.repos.deleteFile({
      ...repo,
      path: "clusters/prod/d.yaml",
      branch: "csr/d",
      sha,
      message: "Withdraw",
    });
    const tree = git(sim.repoPath(OWNER, REPO), "ls-tree", "-r", "--name-only", "csr/d");
    expect(tree).not.toContain("clusters/prod/d.yaml");

    await app.rest.pulls.update({
      ...repo,
      pull_number: number,
      title: "Withdrawn",
      state: "closed",
    });
    const pr = await app.rest.pulls.get({ ...repo, pull_number: number });
    expect([pr.data.title, pr.data.state, pr.data.merged]).toEqual(["Withdrawn", "closed", false]);
  });
});
