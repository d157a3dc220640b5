/**
 * GitHub errors are counted on every client Probot makes, by status, after the client's own
 * retries; successful requests are not counted.
 */
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { countGitHubErrors } from "../../src/serve/github-error-counter.ts";
import { APP_ID, INSTALLATION_ID, newSim, OWNER, REPO } from "../github-sim/tests/sim-fixture.ts";

describe("countGitHubErrors", () => {
  it("counts each failed request by status on the installation client, and nothing else", async () => {
    const sim = await newSim();
    const statuses: number[] = [];
    const probot = new Probot({
      appId: APP_ID,
      privateKey: sim.appPrivateKey() ?? "",
      log: pino({ level: "silent" }),
      request: { fetch: sim.fetch },
      Octokit: ProbotOctokit.plugin(countGitHubErrors((status) => statuses.push(status))),
    });
    const api = await probot.auth(INSTALLATION_ID);
    await api.rest.repos.get({ owner: OWNER, repo: REPO });
    expect(statuses).toEqual([]);
    await expect(api.rest.repos.get({ owner: OWNER, repo: "absent" })).rejects.toMatchObject({
      status: 404,
    });
    sim.faults.add({ method: "GET", path: `/repos/${OWNER}/${REPO}`, status: 422, times: 1 });
    await expect(api.rest.repos.get({ owner: OWNER, repo: REPO })).rejects.toMatchObject({
      status: 422,
    });
    expect(statuses).toEqual([404, 422]);
  });
});
