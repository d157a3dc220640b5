import { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { AppOctokit } from "../../src/github/app-octokit.ts";
import type { GitHubApi } from "../../src/github/github-api.ts";
import { writeReceipt } from "../../src/github/write-receipt.ts";
import { APP_ID, appSeed, INSTALLATION_ID, R, SECRET } from "../app/app-seed.ts";
import { GitHubSimulator } from "../github-sim/simulator.ts";

/** The app's installation client on a simulator whose `main` requires pull requests. */
async function protectedRepo() {
  const seed = appSeed("http://127.0.0.1:9/unused");
  const sim = await GitHubSimulator.create({
    seed: {
      ...seed,
      repos: (seed.repos ?? []).map((r) => ({
        ...r,
        protection: { main: { require_pull_request: true } },
      })),
    },
  });
  const writes: string[] = [];
  const probot = new Probot({
    appId: APP_ID,
    privateKey: sim.appPrivateKey() ?? "",
    secret: SECRET,
    logLevel: "fatal",
    request: {
      fetch: (input: string | URL | Request, init?: RequestInit) => {
        const method = init?.method ?? "GET";
        if (method === "PUT") writes.push(input instanceof Request ? input.url : input.toString());
        return sim.fetch(input, init);
      },
    },
    Octokit: AppOctokit,
  });
  const api: GitHubApi = await probot.auth(INSTALLATION_ID);
  return { sim, api, writes };
}

describe("the app's GitHub client", () => {
  it("takes branch protection's 409 as the answer: one receipt attempt, refused, no retry", async () => {
    const { sim, api, writes } = await protectedRepo();
    const result = await writeReceipt(
      api,
      R,
      "main",
      "clusters/prod/decisions/x.yaml",
      "kind: DecisionReceipt\n",
      "csr-gitops: approved prod/x",
    );
    expect(result).toMatchObject({ ok: false, kind: "refused", status: 409 });
    expect(writes.filter((u) => u.includes("/contents/"))).toHaveLength(1);
    await sim.close();
  });

  it("still retries a server error", async () => {
    const { sim, api } = await protectedRepo();
    sim.faults.add({ method: "GET", path: "/users/alice", status: 502, times: 1 });
    const user = await api.rest.users.getByUsername({ username: "alice" });
    expect(user.data.login).toBe("alice");
    expect(sim.faults.log).toEqual([{ method: "GET", path: "/users/alice", status: 502 }]);
    await sim.close();
  });
});
