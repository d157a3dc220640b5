import { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { commentOnce } from "../../src/app/comment-once.ts";
import type { GitHubApi } from "../../src/github/github-api.ts";
import {
  APP_ID,
  closeAndCheck,
  INSTALLATION_ID,
  newSim,
  openRecordPr,
  OWNER,
  REPO,
  TOKENS,
  userOctokit,
} from "../github-sim/tests/sim-fixture.ts";

const R = { owner: OWNER, repo: REPO };

async function setUp() {
  const sim = await newSim();
  const privateKey = sim.appPrivateKey();
  if (privateKey === undefined) throw new Error("the seed generates the app key");
  const probot = new Probot({
    appId: APP_ID,
    privateKey,
    secret: "comment-once-test-secret",
    logLevel: "fatal",
    request: { fetch: sim.fetch },
  });
  const api: GitHubApi = await probot.auth(INSTALLATION_ID);
  const bot = await api.rest.users.getByUsername({ username: "csr-gitops[bot]" });
  const number = await openRecordPr(api as never, "csr-gitops/prod/x", "clusters/x.yaml", "x\n");
  return { sim, api, botId: bot.data.id, number };
}

async function marked(api: GitHubApi, number: number, key: string): Promise<string[]> {
  const list = await api.paginate(api.rest.issues.listComments, { ...R, issue_number: number });
  return list.map((c) => c.body ?? "").filter((b) => b.includes(`<!-- csr-gitops:${key} -->`));
}

describe("one comment per outcome, even from replicas writing at once", () => {
  it("leaves exactly one comment and names exactly one writer when five race", async () => {
    const { sim, api, botId, number } = await setUp();
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        commentOnce(api, R, number, "decision:u1", `### ✅ Approved (writer ${String(i)})`, botId),
      ),
    );
    expect(results.filter((r) => r)).toHaveLength(1);
    const left = await marked(api, number, "decision:u1");
    expect(left).toHaveLength(1);
    // The comment that stays is the one whose writer was told it posted.
    expect(left[0]).toContain(`(writer ${String(results.indexOf(true))})`);
    await closeAndCheck(sim);
  });

  it("posts nothing when the outcome was said already, and each outcome once", async () => {
    const { sim, api, botId, number } = await setUp();
    expect(await commentOnce(api, R, number, "decision:u1", "first", botId)).toBe(true);
    expect(await commentOnce(api, R, number, "decision:u1", "again", botId)).toBe(false);
    expect(await commentOnce(api, R, number, "certificate:u1", "cert", botId)).toBe(true);
    expect(await marked(api, number, "decision:u1")).toEqual([
      "<!-- csr-gitops:decision:u1 -->\nfirst",
    ]);
    expect(await marked(api, number, "certificate:u1")).toHaveLength(1);
    await closeAndCheck(sim);
  });

  it("ignores a marker in someone else's comment", async () => {
    const { sim, api, botId, number } = await setUp();
    await userOctokit(sim, TOKENS.alice).rest.issues.createComment({
      ...R,
      issue_number: number,
      body: "<!-- csr-gitops:decision:u1 -->\nalready approved, honest",
    });
    expect(await commentOnce(api, R, number, "decision:u1", "ours", botId)).toBe(true);
    expect(await marked(api, number, "decision:u1")).toHaveLength(2);
    await closeAndCheck(sim);
  });
});
