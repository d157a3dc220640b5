import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Probot, createNodeMiddleware } from "probot";
import { WebhookDispatcher, signPayload } from "../webhooks/dispatcher.ts";
import { pullRequestClosed } from "../webhooks/fixtures/pull-request-payloads.ts";
import { startReceiver, type Receiver } from "../webhooks/fixtures/webhook-receiver.ts";
import type { GitHubSimulator } from "../simulator.ts";
import { appOctokit, createSim, openRecordPr, OWNER, REPO, testSeed } from "./sim-fixture.ts";

const SECRET = "probot-test-secret";
const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

/** A simulator whose app webhook goes to `url`, signed with `secret`. */
async function simDelivering(url: string, secret: string): Promise<GitHubSimulator> {
  const seed = testSeed();
  if (seed.app === undefined) throw new Error("the test seed has an app");
  return createSim({ seed: { ...seed, app: { ...seed.app, webhook: { url, secret } } } });
}

function newProbot(): Probot {
  return new Probot({ appId: 123, privateKey, secret: SECRET, logLevel: "fatal" });
}

/** Probot 14 builds `webhooks` asynchronously: wait for it before touching it directly. */
async function readyProbot(): Promise<Probot> {
  const probot = newProbot();
  await probot.ready();
  return probot;
}

describe("Probot receives the simulator's webhooks", () => {
  const handled: { number: number; merged: boolean }[] = [];
  let receiver: Receiver;

  beforeAll(async () => {
    const middleware = await createNodeMiddleware(
      (app) => {
        app.on("pull_request.closed", (context) => {
          handled.push({
            number: context.payload.pull_request.number,
            merged: context.payload.pull_request.merged,
          });
          return Promise.resolve();
        });
      },
      { probot: newProbot() },
    );
    receiver = await startReceiver(async (req, res) => {
      // The receiver already read the body; hand Probot a fresh stream with the same bytes.
      const { Readable } = await import("node:stream");
      const received = receiver.received.at(-1);
      const replay = Object.assign(Readable.from([Buffer.from(received?.body ?? "")]), {
        headers: req.headers,
        method: req.method,
        url: "/api/github/webhooks",
      });
      await middleware(replay as unknown as typeof req, res, () => res.writeHead(404).end());
    });
  });
  afterAll(() => receiver.close());

  it("accepts a delivery signed with the app's secret and runs the handler", async () => {
    const dispatcher = new WebhookDispatcher({ url: receiver.url, secret: SECRET });
    dispatcher.send("pull_request", pullRequestClosed({ number: 11, merged: true }));
    await dispatcher.flush();
    expect(dispatcher.deliveries.map((d) => d.status)).toEqual([200]);
    expect(handled).toEqual([{ number: 11, merged: true }]);
  });

  it("runs the handler for a merge made in the simulator, delivered with the seed's secret", async () => {
    const sim = await simDelivering(receiver.url, SECRET);
    const number = await openRecordPr(appOctokit(sim), "csr/p", "clusters/prod/p.yaml", "p\n");
    await sim.actions.review({ owner: OWNER, repo: REPO }, number, "alice", "APPROVE");
    await sim.actions.merge({ owner: OWNER, repo: REPO }, number, "bob");
    handled.length = 0;
    await sim.flushWebhooks();
    expect(sim.webhooks?.deliveries.map((d) => [d.event, d.action, d.status])).toEqual([
      ["pull_request", "opened", 200],
      // The code owners (CODEOWNERS on main) are asked to review when the PR opens.
      ["pull_request", "review_requested", 200],
      ["pull_request_review", "submitted", 200],
      ["pull_request", "closed", 200],
    ]);
    expect(handled).toEqual([{ number, merged: true }]);
  });

  it("refuses the simulator's deliveries when the seed's secret is not the app's", async () => {
    const sim = await simDelivering(receiver.url, "not-the-app-secret");
    const number = await openRecordPr(appOctokit(sim), "csr/q", "clusters/prod/q.yaml", "q\n");
    await sim.actions.close({ owner: OWNER, repo: REPO }, number, "alice");
    handled.length = 0;
    await sim.flushWebhooks();
    for (const d of sim.webhooks?.deliveries ?? []) {
      expect(d.status).toBeGreaterThanOrEqual(400);
      expect(d.status).toBeLessThan(500);
    }
    expect(sim.webhooks?.deliveries.map((d) => d.action)).toEqual([
      "opened",
      "review_requested",
      "closed",
    ]);
    expect(handled).toEqual([]);
  });

  it("rejects a delivery signed with a wrong secret and never runs the handler", async () => {
    const dispatcher = new WebhookDispatcher({ url: receiver.url, secret: "wrong-secret" });
    dispatcher.send("pull_request", pullRequestClosed({ number: 12, merged: true }));
    await dispatcher.flush();
    const [delivery] = dispatcher.deliveries;
    expect(delivery?.status).toBeGreaterThanOrEqual(400);
    expect(delivery?.status).toBeLessThan(500);
    expect(handled.map((h) => h.number)).not.toContain(12);
  });
});

describe("probot.webhooks.verifyAndReceive", () => {
  const payload = pullRequestClosed({ number: 21, merged: false });
  const body = JSON.stringify(payload);

  it("verifies signPayload's signature", async () => {
    const probot = await readyProbot();
    const seen: number[] = [];
    probot.on("pull_request.closed", (context) => {
      seen.push(context.payload.number);
      return Promise.resolve();
    });
    await probot.webhooks.verifyAndReceive({
      id: "1",
      name: "pull_request",
      payload: body,
      signature: signPayload(SECRET, body),
    });
    expect(seen).toEqual([21]);
  });

  it("refuses a signature made with another secret", async () => {
    const probot = await readyProbot();
    await expect(
      probot.webhooks.verifyAndReceive({
        id: "2",
        name: "pull_request",
        payload: body,
        signature: signPayload("not-the-secret", body),
      }),
    ).rejects.toThrow(/signature/i);
  });
});
