import { failure } from "./request-failure.ts";
import { describe, expect, it } from "vitest";
import { appOctokit, newSim, openRecordPr, OWNER, REPO } from "./sim-fixture.ts";

describe("find before create", () => {
  it("finds the PR by head=OWNER:BRANCH, ignores a bare branch name, and refuses duplicates with 422", async () => {
    const sim = await newSim();
    const app = appOctokit(sim);
    const first = await openRecordPr(app, "csr/one", "clusters/prod/one.yaml", "1\n");
    await openRecordPr(app, "csr/two", "clusters/prod/two.yaml", "2\n");

    const found = await app.rest.pulls.list({
      owner: OWNER,
      repo: REPO,
      head: `${OWNER}:csr/one`,
      state: "all",
    });
    expect(found.data.map((p) => p.number)).toEqual([first]);
    const bare = await app.rest.pulls.list({
      owner: OWNER,
      repo: REPO,
      head: "csr/one",
      state: "all",
    });
    expect(bare.data).toHaveLength(2);

    const dup = await failure(
      app.rest.pulls.create({
        owner: OWNER,
        repo: REPO,
        head: `${OWNER}:csr/one`,
        base: "main",
        title: "again",
      }),
    );
    expect(dup.status).toBe(422);
    expect(dup.data).toMatchObject({
      message: "Validation Failed",
      errors: [{ message: `A pull request already exists for ${OWNER}:csr/one.` }],
    });
    const ref = await failure(
      app.rest.git.createRef({
        owner: OWNER,
        repo: REPO,
        ref: "refs/heads/csr/one",
        sha: "0".repeat(40),
      }),
    );
    expect(ref.status).toBe(422);
    const main = await app.rest.git.getRef({ owner: OWNER, repo: REPO, ref: "heads/main" });
    const exists = await failure(
      app.rest.git.createRef({
        owner: OWNER,
        repo: REPO,
        ref: "refs/heads/csr/one",
        sha: main.data.object.sha,
      }),
    );
    expect(exists).toMatchObject({ status: 422, data: { message: "Reference already exists" } });
  });

  it("a file PUT without the current sha is refused, with a stale sha is 409", async () => {
    const sim = await newSim();
    const app = appOctokit(sim);
    const put = (sha?: string): Promise<unknown> =>
      app.rest.repos.createOrUpdateFileContents({
        owner: OWNER,
        repo: REPO,
        path: "README.md",
        message: "edit",
        content: Buffer.from("new\n").toString("base64"),
        ...(sha === undefined ? {} : { sha }),
      });
    expect((await failure(put())).status).toBe(422);
    expect((await failure(put("1".repeat(40)))).status).toBe(409);
    const current = await app.rest.repos.getContent({
      owner: OWNER,
      repo: REPO,
      path: "README.md",
    });
    const sha = Array.isArray(current.data) ? "" : current.data.sha;
    const ok = await put(sha);
    expect(ok).toMatchObject({ status: 200 });
  });

  it("an invalid request body gets 422 from the OpenAPI validation", async () => {
    const sim = await newSim();
    const app = appOctokit(sim);
    const res = await failure(
      app.request("POST /repos/{owner}/{repo}/pulls", {
        owner: OWNER,
        repo: REPO,
        // A number where GitHub wants a string: the client sends it, GitHub refuses it.
        head: 42 as unknown as string,
        base: "main",
        title: "x",
      }),
    );
    expect(res.status).toBe(422);
    expect((res.data as { message: string }).message).toMatch(/^Invalid request\./);
  });
});
