import { failure } from "./request-failure.ts";
import { Octokit } from "@octokit/rest";
import { describe, expect, it, onTestFinished } from "vitest";
import { startServer } from "../server.ts";
import { startReceiver } from "../webhooks/fixtures/webhook-receiver.ts";
import {
  appOctokit,
  createSim,
  newSim,
  openRecordPr,
  OWNER,
  REPO,
  testSeed,
  TOKENS,
  userOctokit,
} from "./sim-fixture.ts";

describe("rate limits on the simulator's clock", () => {
  it("primary: headers count down, exhaustion is 403 with remaining 0, the window resets after an hour", async () => {
    const sim = await newSim();
    sim.rateLimits.configure({ primaryPerHour: 3 });
    const alice = userOctokit(sim, TOKENS.alice);
    const first = await alice.rest.repos.get({ owner: OWNER, repo: REPO });
    expect(first.headers["x-ratelimit-limit"]).toBe("3");
    expect(first.headers["x-ratelimit-remaining"]).toBe("2");
    expect(first.headers["x-ratelimit-resource"]).toBe("core");
    await alice.rest.repos.get({ owner: OWNER, repo: REPO });
    await alice.rest.repos.get({ owner: OWNER, repo: REPO });
    const err = await failure(alice.rest.repos.get({ owner: OWNER, repo: REPO }));
    expect(err.status).toBe(403);
    expect(err.headers["x-ratelimit-remaining"]).toBe("0");
    expect(err.message).toMatch(/^API rate limit exceeded/);
    const limits = await alice.rest.rateLimit.get();
    expect(limits.data.rate.remaining).toBe(0);
    sim.clock.advance(60 * 60 * 1000);
    expect((await alice.rest.repos.get({ owner: OWNER, repo: REPO })).status).toBe(200);
  });

  it("secondary: the 81st content-creating request in a minute is 403 with retry-after", async () => {
    const sim = await newSim();
    const alice = userOctokit(sim, TOKENS.alice);
    const pr = await sim.actions.createBranch({ owner: OWNER, repo: REPO }, "f", "main", "alice");
    expect(pr).toMatch(/^[0-9a-f]{40}$/);
    await sim.actions.push({ owner: OWNER, repo: REPO }, "f", "alice", { "f.txt": "f\n" });
    const number = await sim.actions.openPull({ owner: OWNER, repo: REPO }, "alice", {
      title: "f",
      head: "f",
    });
    for (let i = 0; i < 80; i++) {
      await alice.rest.issues.createComment({
        owner: OWNER,
        repo: REPO,
        issue_number: number,
        body: `c${i}`,
      });
    }
    const err = await failure(
      alice.rest.issues.createComment({
        owner: OWNER,
        repo: REPO,
        issue_number: number,
        body: "one too many",
      }),
    );
    expect(err.status).toBe(403);
    expect(Number(err.headers["retry-after"])).toBeGreaterThan(0);
    expect(err.message).toMatch(/secondary rate limit/);
    sim.clock.advance(61_000);
    const ok = await alice.rest.issues.createComment({
      owner: OWNER,
      repo: REPO,
      issue_number: number,
      body: "later",
    });
    expect(ok.status).toBe(201);
  });

  it("secondary: the 501st content-creating request in an hour is 403 even at 80 a minute or less", async () => {
    const sim = await newSim();
    const alice = userOctokit(sim, TOKENS.alice);
    await sim.actions.createBranch({ owner: OWNER, repo: REPO }, "h", "main", "alice");
    await sim.actions.push({ owner: OWNER, repo: REPO }, "h", "alice", { "h.txt": "h\n" });
    const number = await sim.actions.openPull({ owner: OWNER, repo: REPO }, "alice", {
      title: "h",
      head: "h",
    });
    const comment = (body: string) =>
      alice.rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: number, body });
    // 500 writes at 50 a minute stay under the per-minute limit, so only the hourly one can trip.
    for (let i = 0; i < 500; i++) {
      await comment(`c${i}`);
      if (i % 50 === 49) sim.clock.advance(60_000);
    }
    const err = await failure(comment("one too many this hour"));
    expect(err.status).toBe(403);
    expect(err.message).toMatch(/secondary rate limit/);
    // The first write of the hour leaves the window 60 min after it was made; 10 min have passed.
    const retryAfter = Number(err.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThan(49 * 60);
    expect(retryAfter).toBeLessThanOrEqual(50 * 60);
    sim.clock.advance(retryAfter * 1000);
    expect((await comment("next hour")).status).toBe(201);
  });

  it("installation tokens expire after an hour of simulated time", async () => {
    const sim = await newSim();
    const { token } = (await appOctokit(sim).auth({ type: "installation" })) as { token: string };
    expect(token).toMatch(/^ghs_/);
    const client = new Octokit({ auth: token, request: { fetch: sim.fetch } });
    expect((await client.rest.repos.get({ owner: OWNER, repo: REPO })).status).toBe(200);
    sim.clock.advance(60 * 60 * 1000);
    expect((await failure(client.rest.repos.get({ owner: OWNER, repo: REPO }))).status).toBe(401);
  });
});

describe("faults", () => {
  it("answers a chosen route with a 5xx the chosen number of times", async () => {
    const sim = await newSim();
    sim.faults.add({ method: "GET", path: "/repos/*/csr-audit", status: 502, times: 1 });
    const alice = userOctokit(sim, TOKENS.alice);
    expect((await failure(alice.rest.repos.get({ owner: OWNER, repo: REPO }))).status).toBe(502);
    expect((await alice.rest.repos.get({ owner: OWNER, repo: REPO })).status).toBe(200);
    expect(sim.faults.log).toEqual([{ method: "GET", path: "/repos/acme/csr-audit", status: 502 }]);
  });

  it("adds latency on a chosen route only, and the request still succeeds", async () => {
    const sim = await newSim();
    sim.faults.add({ method: "POST", path: /\/issues\/\d+\/comments$/, delayMs: 20, times: 1 });
    const alice = userOctokit(sim, TOKENS.alice);
    await sim.actions.createBranch({ owner: OWNER, repo: REPO }, "l", "main", "alice");
    await sim.actions.push({ owner: OWNER, repo: REPO }, "l", "alice", { "l.txt": "l\n" });
    const number = await sim.actions.openPull({ owner: OWNER, repo: REPO }, "alice", {
      title: "l",
      head: "l",
    });
    await alice.rest.repos.get({ owner: OWNER, repo: REPO });
    const slow = await alice.rest.issues.createComment({
      owner: OWNER,
      repo: REPO,
      issue_number: number,
      body: "slow",
    });
    expect(slow.status).toBe(201);
    await alice.rest.issues.createComment({
      owner: OWNER,
      repo: REPO,
      issue_number: number,
      body: "no longer slow",
    });
    expect(sim.faults.log).toEqual([
      { method: "POST", path: `/repos/acme/csr-audit/issues/${number}/comments`, delayMs: 20 },
    ]);
  });
});

describe("HTTP server mode", () => {
  it("delivers webhooks on its own after each request when asked (as the start command does)", async () => {
    const receiver = await startReceiver();
    onTestFinished(() => receiver.close());
    const seed = testSeed();
    if (seed.app === undefined) throw new Error("the test seed has an app");
    const sim = await createSim({
      seed: { ...seed, app: { ...seed.app, webhook: { url: receiver.url, secret: "s" } } },
    });
    const server = await startServer(sim, { port: 0, deliverWebhooks: true });
    try {
      await openRecordPr(appOctokit(sim, server.url), "csr/h", "clusters/prod/h.yaml", "h\n");
    } finally {
      await server.close();
    }
    expect(receiver.received.map((r) => r.headers["x-github-event"])).toEqual([
      "pull_request",
      "pull_request",
    ]);
    expect(sim.webhooks?.deliveries.map((d) => [d.action, d.status])).toEqual([
      ["opened", 202],
      ["review_requested", 202],
    ]);
  });

  it("serves Octokit with a baseUrl through the same handler", async () => {
    const sim = await newSim();
    const server = await startServer(sim, { port: 0 });
    try {
      const client = new Octokit({ auth: TOKENS.bob, baseUrl: server.url });
      const repo = await client.rest.repos.get({ owner: OWNER, repo: REPO });
      expect(repo.data.full_name).toBe(`${OWNER}/${REPO}`);
      expect(repo.data.url).toBe(`${server.url}/repos/${OWNER}/${REPO}`);
      expect(repo.headers["x-github-request-id"]).toBeTruthy();
      const readme = await client.rest.repos.getContent({
        owner: OWNER,
        repo: REPO,
        path: "README.md",
      });
      const content =
        Array.isArray(readme.data) || !("content" in readme.data) ? "" : readme.data.content;
      expect(Buffer.from(content, "base64").toString()).toBe("# audit\n");
    } finally {
      await server.close();
    }
  });
});
