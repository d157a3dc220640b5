import { createHmac, timingSafeEqual } from "node:crypto";
import { describe, expect, it, onTestFinished } from "vitest";
import { startReceiver, type Receiver } from "../webhooks/fixtures/webhook-receiver.ts";
import { validateWebhookPayload } from "../webhooks/webhook-schema.ts";
import type { GitHubSimulator } from "../simulator.ts";
import { appOctokit, createSim, openRecordPr, OWNER, REPO, testSeed } from "./sim-fixture.ts";

const SECRET = "webhook-test-secret";
const repo = { owner: OWNER, repo: REPO };

interface Delivered {
  readonly event: string;
  readonly action: string;
  readonly payload: Record<string, unknown> & { action: string };
}

function signedWith(secret: string, body: string, header: unknown): boolean {
  if (typeof header !== "string") return false;
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(body).digest("hex")}`);
  const got = Buffer.from(header);
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/** A simulator whose app webhook points at a real HTTP receiver on 127.0.0.1. */
async function simWithReceiver(
  protection: Parameters<typeof testSeed>[0] = {},
): Promise<{ sim: GitHubSimulator; receiver: Receiver }> {
  const receiver = await startReceiver();
  onTestFinished(() => receiver.close());
  const seed = testSeed(protection);
  if (seed.app === undefined) throw new Error("the test seed has an app");
  const sim = await createSim({
    seed: { ...seed, app: { ...seed.app, webhook: { url: receiver.url, secret: SECRET } } },
  });
  return { sim, receiver };
}

/**
 * What arrived, after checking each delivery the way a receiver should: the signature verifies
 * with the secret, and the payload matches GitHub's schema for its event.
 */
function delivered(receiver: Receiver): Delivered[] {
  return receiver.received.map(({ headers, body }) => {
    expect(signedWith(SECRET, body, headers["x-hub-signature-256"])).toBe(true);
    const event = String(headers["x-github-event"]);
    const payload = JSON.parse(body) as Delivered["payload"];
    expect(validateWebhookPayload(event, payload)).toEqual([]);
    return { event, action: payload.action, payload };
  });
}

const kinds = (d: readonly Delivered[]) => d.map((x) => `${x.event}.${x.action}`);

function only(d: readonly Delivered[], kind: string): Delivered["payload"] {
  const hits = d.filter((x) => `${x.event}.${x.action}` === kind);
  expect(hits, kind).toHaveLength(1);
  const [hit] = hits;
  if (hit === undefined) throw new Error(`no ${kind}`);
  return hit.payload;
}

describe("webhooks built from simulator state, delivered over HTTP", () => {
  it("opened, review submitted (lowercase state), closed by the merge", async () => {
    const { sim, receiver } = await simWithReceiver();
    const number = await openRecordPr(appOctokit(sim), "csr/w", "clusters/prod/w.yaml", "w\n");
    await sim.actions.review(repo, number, "alice", "APPROVE");
    await sim.actions.merge(repo, number, "bob");
    await sim.flushWebhooks();
    const d = delivered(receiver);
    expect(kinds(d)).toEqual([
      "pull_request.opened",
      "pull_request.review_requested",
      "pull_request_review.submitted",
      "pull_request.closed",
    ]);
    expect(only(d, "pull_request_review.submitted")).toMatchObject({
      review: { state: "approved", user: { login: "alice" } },
    });
    expect(only(d, "pull_request.closed")).toMatchObject({
      number,
      pull_request: { merged: true, merged_by: { login: "bob" } },
      installation: { id: 77 },
    });
  });

  it("synchronize: a push to the head branch, with before and after", async () => {
    const { sim, receiver } = await simWithReceiver();
    const number = await openRecordPr(appOctokit(sim), "csr/s", "clusters/prod/s.yaml", "1\n");
    const before = (await appOctokit(sim).rest.pulls.get({ ...repo, pull_number: number })).data
      .head.sha;
    const after = await sim.actions.push(repo, "csr/s", "alice", { "clusters/prod/s.yaml": "2\n" });
    await sim.flushWebhooks();
    const d = delivered(receiver);
    expect(kinds(d)).toEqual([
      "pull_request.opened",
      "pull_request.review_requested",
      "pull_request.synchronize",
    ]);
    expect(only(d, "pull_request.synchronize")).toMatchObject({
      number,
      before,
      after,
      pull_request: { head: { sha: after, ref: "csr/s" }, state: "open" },
      sender: { login: "alice" },
    });
  });

  it("closed then reopened", async () => {
    const { sim, receiver } = await simWithReceiver();
    const number = await openRecordPr(appOctokit(sim), "csr/r", "clusters/prod/r.yaml", "r\n");
    await sim.actions.close(repo, number, "alice");
    await sim.actions.reopen(repo, number, "bob");
    await sim.flushWebhooks();
    const d = delivered(receiver);
    expect(kinds(d)).toEqual([
      "pull_request.opened",
      "pull_request.review_requested",
      "pull_request.closed",
      "pull_request.reopened",
    ]);
    expect(only(d, "pull_request.closed")).toMatchObject({
      pull_request: { state: "closed", merged: false },
      sender: { login: "alice" },
    });
    expect(only(d, "pull_request.reopened")).toMatchObject({
      pull_request: { state: "open" },
      sender: { login: "bob" },
    });
  });

  it("review dismissed by a person, state lowercase", async () => {
    const { sim, receiver } = await simWithReceiver();
    const number = await openRecordPr(appOctokit(sim), "csr/d", "clusters/prod/d.yaml", "d\n");
    const id = await sim.actions.review(repo, number, "alice", "APPROVE");
    await sim.actions.dismissReview(repo, number, id, "bob");
    await sim.flushWebhooks();
    const d = delivered(receiver);
    expect(kinds(d)).toEqual([
      "pull_request.opened",
      "pull_request.review_requested",
      "pull_request_review.submitted",
      "pull_request_review.dismissed",
    ]);
    expect(only(d, "pull_request_review.dismissed")).toMatchObject({
      review: { id, state: "dismissed", user: { login: "alice" } },
      sender: { login: "bob" },
    });
  });

  it("review dismissed as stale by a push when protection says so", async () => {
    const { sim, receiver } = await simWithReceiver({
      main: { required_approving_review_count: 1, dismiss_stale_reviews: true },
    });
    const number = await openRecordPr(appOctokit(sim), "csr/t", "clusters/prod/t.yaml", "1\n");
    const id = await sim.actions.review(repo, number, "alice", "APPROVE");
    await sim.actions.push(repo, "csr/t", "carol", { "clusters/prod/t.yaml": "2\n" });
    await sim.flushWebhooks();
    const d = delivered(receiver);
    expect(kinds(d)).toEqual([
      "pull_request.opened",
      "pull_request.review_requested",
      "pull_request_review.submitted",
      "pull_request.synchronize",
      "pull_request_review.dismissed",
    ]);
    expect(only(d, "pull_request_review.dismissed")).toMatchObject({
      review: { id, state: "dismissed" },
    });
  });

  it("check_run created and completed by the app", async () => {
    const { sim, receiver } = await simWithReceiver();
    const app = appOctokit(sim);
    const number = await openRecordPr(app, "csr/c", "clusters/prod/c.yaml", "c\n");
    const head = (await app.rest.pulls.get({ ...repo, pull_number: number })).data.head.sha;
    const run = await app.rest.checks.create({
      ...repo,
      name: "csr-gitops/policy",
      head_sha: head,
      status: "in_progress",
    });
    await app.rest.checks.update({
      ...repo,
      check_run_id: run.data.id,
      status: "completed",
      conclusion: "success",
    });
    await sim.flushWebhooks();
    const d = delivered(receiver);
    expect(kinds(d)).toEqual([
      "pull_request.opened",
      "pull_request.review_requested",
      "check_run.created",
      "check_run.completed",
    ]);
    expect(only(d, "check_run.created")).toMatchObject({
      check_run: { id: run.data.id, head_sha: head, status: "in_progress", conclusion: null },
      sender: { login: "csr-gitops[bot]" },
    });
    expect(only(d, "check_run.completed")).toMatchObject({
      check_run: { id: run.data.id, status: "completed", conclusion: "success" },
    });
  });
});

describe("webhook delivery faults through the simulator", () => {
  it("drop: the next delivery never arrives and the log says so", async () => {
    const { sim, receiver } = await simWithReceiver();
    sim.webhooks?.setFaults({ drop: 1 });
    const number = await openRecordPr(appOctokit(sim), "csr/x", "clusters/prod/x.yaml", "x\n");
    await sim.actions.close(repo, number, "alice");
    await sim.flushWebhooks();
    expect(kinds(delivered(receiver))).toEqual([
      "pull_request.review_requested",
      "pull_request.closed",
    ]);
    expect(sim.webhooks?.deliveries.map((x) => [x.action, x.status])).toEqual([
      ["opened", "dropped"],
      ["review_requested", 202],
      ["closed", 202],
    ]);
  });

  it("duplicate: the same delivery id arrives twice, as a redelivery", async () => {
    const { sim, receiver } = await simWithReceiver();
    sim.webhooks?.setFaults({ duplicate: 1 });
    await openRecordPr(appOctokit(sim), "csr/y", "clusters/prod/y.yaml", "y\n");
    await sim.flushWebhooks();
    expect(kinds(delivered(receiver))).toEqual([
      "pull_request.opened",
      "pull_request.opened",
      "pull_request.review_requested",
    ]);
    const ids = receiver.received.map((r) => r.headers["x-github-delivery"]);
    expect(ids[0]).toBeDefined();
    expect(ids[1]).toBe(ids[0]);
    expect(sim.webhooks?.deliveries).toMatchObject([
      { action: "opened", attempts: 2 },
      { action: "review_requested", attempts: 1 },
    ]);
  });

  it("reorder: the next flush delivers newest first", async () => {
    const { sim, receiver } = await simWithReceiver();
    sim.webhooks?.setFaults({ reorder: true });
    const number = await openRecordPr(appOctokit(sim), "csr/z", "clusters/prod/z.yaml", "z\n");
    await sim.actions.close(repo, number, "alice");
    await sim.actions.reopen(repo, number, "alice");
    await sim.flushWebhooks();
    expect(kinds(delivered(receiver))).toEqual([
      "pull_request.reopened",
      "pull_request.closed",
      "pull_request.review_requested",
      "pull_request.opened",
    ]);
  });
});
