import { describe, expect, it } from "vitest";
import {
  installRequestPolicy,
  retryDelay,
  type RequestWait,
} from "../../src/github/request-policy.ts";
import { createSim, OWNER, REPO, TOKENS, userOctokit } from "../github-sim/tests/sim-fixture.ts";

const backoff = { base: 1000, max: 8000 };
const httpError = (status: number, headers: Record<string, string> = {}, message = "") => ({
  status,
  message,
  response: { headers, data: { message } },
});

describe("when to retry a GitHub request", () => {
  it.each([
    [
      "a secondary limit with retry-after",
      httpError(403, { "retry-after": "7" }),
      { reason: "secondary-rate-limit", waitMs: 7000 },
    ],
    [
      "a 429 without retry-after",
      httpError(429),
      { reason: "secondary-rate-limit", waitMs: 60_000 },
    ],
    [
      "a secondary limit named only in the message",
      httpError(403, {}, "You have exceeded a secondary rate limit."),
      { reason: "secondary-rate-limit", waitMs: 60_000 },
    ],
    [
      "an exhausted primary limit",
      httpError(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1030" }),
      { reason: "primary-rate-limit", waitMs: 31_000 },
    ],
    ["a 502", httpError(502), { reason: "server-error", waitMs: 4000 }],
    ["a forbidden request", httpError(403, { "x-ratelimit-remaining": "12" }), undefined],
    ["a 422", httpError(422), undefined],
    ["a network error without status", new Error("socket hang up"), undefined],
  ])("%s", (_name, error, expected) => {
    expect(retryDelay(error, 3, 1_000_000, backoff)).toEqual(expected);
  });

  it("caps the server-error backoff", () => {
    expect(retryDelay(httpError(500), 10, 0, backoff)).toEqual({
      reason: "server-error",
      waitMs: 8000,
    });
  });
});

describe("the request policy on the simulator", () => {
  it("waits for the primary limit's reset and then succeeds", async () => {
    const sim = await createSim();
    sim.rateLimits.configure({ primaryPerHour: 3 });
    const gh = userOctokit(sim, TOKENS.alice);
    const waits: RequestWait[] = [];
    installRequestPolicy(gh, {
      sleep: (ms) => {
        sim.clock.advance(ms);
        return Promise.resolve();
      },
      now: () => sim.clock.now(),
      onWait: (wait) => waits.push(wait),
    });
    for (let i = 0; i < 5; i += 1) await gh.rest.repos.get({ owner: OWNER, repo: REPO });
    expect(waits.map((w) => w.reason)).toEqual(["primary-rate-limit"]);
    expect(waits[0]?.waitMs).toBeGreaterThan(3_500_000);
  });

  it("spaces content-creating requests by the configured interval", async () => {
    const sim = await createSim();
    const gh = userOctokit(sim, TOKENS.alice);
    const slept: number[] = [];
    let now = 0;
    installRequestPolicy(gh, {
      sleep: (ms) => {
        slept.push(ms);
        now += ms;
        return Promise.resolve();
      },
      now: () => now,
      writeSpacingMs: 1000,
    });
    const comment = (n: number) =>
      gh.rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 1, body: `c${n}` });
    const pr = await gh.rest.pulls.list({ owner: OWNER, repo: REPO });
    expect(pr.data).toEqual([]);
    // Three writes at the same instant: the second and third wait their turn.
    await Promise.allSettled([comment(1), comment(2), comment(3)]);
    expect(slept).toEqual([1000, 1000]);
  });

  it("gives up after maxAttempts and hands the error to the caller", async () => {
    const sim = await createSim();
    sim.faults.add({ method: "GET", path: `/repos/${OWNER}/${REPO}`, status: 503 });
    const gh = userOctokit(sim, TOKENS.alice);
    const waits: RequestWait[] = [];
    installRequestPolicy(gh, {
      sleep: () => Promise.resolve(),
      now: () => 0,
      maxAttempts: 3,
      onWait: (wait) => waits.push(wait),
    });
    await expect(gh.rest.repos.get({ owner: OWNER, repo: REPO })).rejects.toMatchObject({
      status: 503,
    });
    expect(waits.map((w) => w.attempt)).toEqual([1, 2]);
  });
});
