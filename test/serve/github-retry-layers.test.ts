/**
 * `serve`'s GitHub client is Probot's (which carries @octokit/plugin-retry) with the request policy
 * installed: a 5xx burst is retried by one layer only, so one call makes at most `maxAttempts`
 * requests, each wait is reported, and each failed answer is counted once.
 */
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import type { GitHub } from "../../src/github/repo-ref.ts";
import { installRequestPolicy, type RequestWait } from "../../src/github/request-policy.ts";
import { countGitHubErrors } from "../../src/serve/github-error-counter.ts";
import { APP_ID, INSTALLATION_ID, newSim, OWNER, REPO } from "../github-sim/tests/sim-fixture.ts";

const PATH = `/repos/${OWNER}/${REPO}`;

describe("5xx retries on serve's GitHub client", () => {
  it("retries a 5xx burst in one layer: maxAttempts requests at most, each wait reported", async () => {
    const sim = await newSim();
    let attempts = 0;
    const statuses: number[] = [];
    const probot = new Probot({
      appId: APP_ID,
      privateKey: sim.appPrivateKey() ?? "",
      log: pino({ level: "silent" }),
      request: {
        fetch: (input: string | URL | Request, init?: RequestInit) => {
          const request = new Request(input, init);
          if (new URL(request.url).pathname === PATH) attempts += 1;
          return sim.fetch(request);
        },
      },
      Octokit: ProbotOctokit.plugin(countGitHubErrors((status) => statuses.push(status))),
    });
    const api = await probot.auth(INSTALLATION_ID);
    const waits: RequestWait[] = [];
    installRequestPolicy(api as unknown as GitHub, {
      sleep: () => Promise.resolve(),
      now: () => 0,
      maxAttempts: 4,
      onWait: (wait) => waits.push(wait),
    });

    // A burst shorter than the attempts: the policy waits twice and the third attempt passes.
    sim.faults.add({ method: "GET", path: PATH, status: 503, times: 2 });
    await api.rest.repos.get({ owner: OWNER, repo: REPO });
    expect(attempts).toBe(3);
    expect(waits.map((w) => [w.reason, w.attempt])).toEqual([
      ["server-error", 1],
      ["server-error", 2],
    ]);
    expect(statuses).toEqual([503, 503]);

    // A burst longer than the attempts: 4 requests, not 4 for each of the policy's attempts.
    attempts = 0;
    sim.faults.add({ method: "GET", path: PATH, status: 502, times: 100 });
    await expect(api.rest.repos.get({ owner: OWNER, repo: REPO })).rejects.toMatchObject({
      status: 502,
    });
    expect(attempts).toBe(4);
    expect(waits).toHaveLength(5);
    expect(statuses).toEqual([503, 503, 502, 502, 502, 502]);
  });
});
