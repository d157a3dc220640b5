import { createHmac, timingSafeEqual } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WebhookDispatcher, WebhookPayloadError, signPayload } from "../webhooks/dispatcher.ts";
import {
  pullRequestClosed,
  pullRequestReviewSubmitted,
  without,
} from "../webhooks/fixtures/pull-request-payloads.ts";
import { knownWebhooks } from "../webhooks/webhook-schema.ts";
import { startReceiver, type Receiver } from "../webhooks/fixtures/webhook-receiver.ts";

const SECRET = "s3cret-for-tests";

function verify(secret: string, body: string, header: string | string[] | undefined): boolean {
  if (typeof header !== "string") return false;
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(body).digest("hex")}`);
  const got = Buffer.from(header);
  return got.length === expected.length && timingSafeEqual(got, expected);
}

describe("webhook deliveries", () => {
  let receiver: Receiver;
  let dispatcher: WebhookDispatcher;

  beforeEach(async () => {
    receiver = await startReceiver();
    dispatcher = new WebhookDispatcher({ url: receiver.url, secret: SECRET });
  });
  afterEach(() => receiver.close());

  const numbers = () =>
    receiver.received.map((r) => (JSON.parse(r.body) as { number: number }).number);

  it("arrive over HTTP with GitHub's headers and a signature that verifies", async () => {
    dispatcher.send("pull_request", pullRequestClosed({ number: 7, merged: true }));
    expect(receiver.received).toHaveLength(0); // queued until flush
    await dispatcher.flush();

    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    if (delivery === undefined) throw new Error("no delivery");
    expect(delivery.headers["content-type"]).toBe("application/json");
    expect(delivery.headers["x-github-event"]).toBe("pull_request");
    expect(delivery.headers["x-github-delivery"]).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(delivery.headers["x-github-hook-id"]).toMatch(/^\d+$/);
    expect(delivery.headers["user-agent"]).toMatch(/^GitHub-Hookshot\//);
    expect(verify(SECRET, delivery.body, delivery.headers["x-hub-signature-256"])).toBe(true);
    expect(verify("another-secret", delivery.body, delivery.headers["x-hub-signature-256"])).toBe(
      false,
    );
    expect(JSON.parse(delivery.body)).toMatchObject({ action: "closed", number: 7 });
    expect(dispatcher.deliveries).toMatchObject([
      {
        id: delivery.headers["x-github-delivery"],
        event: "pull_request",
        action: "closed",
        status: 202,
        attempts: 1,
        redelivery: false,
        request: { payload: { action: "closed", number: 7 } },
      },
    ]);
  });

  it("signPayload is GitHub's sha256 HMAC of the raw body", () => {
    // HMAC-SHA256("It's a Secret to Everybody", "Hello, World!"), GitHub's documented test vector.
    expect(signPayload("It's a Secret to Everybody", "Hello, World!")).toBe(
      "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
    );
  });

  it("drop: the next N deliveries never arrive and are recorded as dropped", async () => {
    dispatcher.setFaults({ drop: 1 });
    for (const n of [1, 2, 3])
      dispatcher.send("pull_request", pullRequestClosed({ number: n, merged: true }));
    await dispatcher.flush();
    expect(numbers()).toEqual([2, 3]);
    expect(dispatcher.deliveries.map((d) => d.status)).toEqual(["dropped", 202, 202]);
  });

  it("duplicate: the next N deliveries arrive twice with the same delivery id", async () => {
    dispatcher.setFaults({ duplicate: 1 });
    for (const n of [1, 2])
      dispatcher.send("pull_request", pullRequestClosed({ number: n, merged: true }));
    await dispatcher.flush();
    expect(numbers()).toEqual([1, 1, 2]);
    const ids = receiver.received.map((r) => r.headers["x-github-delivery"]);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
    expect(dispatcher.deliveries.map((d) => d.attempts)).toEqual([2, 1]);
  });

  it("reorder: the next flush delivers newest first, later flushes in order again", async () => {
    dispatcher.setFaults({ reorder: true });
    for (const n of [1, 2, 3])
      dispatcher.send("pull_request", pullRequestClosed({ number: n, merged: true }));
    await dispatcher.flush();
    expect(numbers()).toEqual([3, 2, 1]);
    for (const n of [4, 5])
      dispatcher.send("pull_request", pullRequestClosed({ number: n, merged: true }));
    await dispatcher.flush();
    expect(numbers()).toEqual([3, 2, 1, 4, 5]);
  });

  it("an unreachable receiver is recorded with status 0, not thrown", async () => {
    const url = receiver.url;
    await receiver.close();
    const offline = new WebhookDispatcher({ url, secret: SECRET });
    offline.send("pull_request", pullRequestClosed({ number: 1, merged: true }));
    await offline.flush();
    expect(offline.deliveries.map((d) => d.status)).toEqual([0]);
    receiver = await startReceiver();
  });
});

describe("webhook payload validation", () => {
  it("has GitHub's schemas for every event the simulator sends", () => {
    expect(knownWebhooks()).toEqual(
      expect.arrayContaining([
        "pull-request-opened",
        "pull-request-closed",
        "pull-request-synchronize",
        "pull-request-review-submitted",
        "pull-request-review-dismissed",
        "check-run-created",
        "check-run-completed",
        "issue-comment-created",
        "installation-created",
      ]),
    );
  });

  const dispatcher = new WebhookDispatcher({ url: "http://127.0.0.1:9/unused", secret: SECRET });

  it("refuses a payload GitHub could not send, naming the problem", () => {
    const payload = { ...pullRequestClosed({ number: 7, merged: true }), number: "7" };
    expect(() => {
      dispatcher.send("pull_request", payload);
    }).toThrow(WebhookPayloadError);
    expect(() => {
      dispatcher.send("pull_request", payload);
    }).toThrow(/\/number must be integer/);
  });

  it("refuses a payload missing a required field", () => {
    const payload = without(pullRequestClosed({ number: 7, merged: true }), "sender");
    expect(() => {
      dispatcher.send("pull_request", payload);
    }).toThrow(/sender/);
  });

  it("refuses an event/action GitHub does not have", () => {
    const payload = { ...pullRequestClosed({ number: 7, merged: true }), action: "approved" };
    expect(() => {
      dispatcher.send("pull_request", payload);
    }).toThrow(/no GitHub webhook schema for event "pull_request" action "approved"/);
  });

  it("refuses uppercase review states: webhooks carry them lowercase", () => {
    const review = pullRequestReviewSubmitted;
    expect(() => {
      dispatcher.send("pull_request_review", review("APPROVED"));
    }).toThrow(/state/);
    expect(() => {
      dispatcher.send("pull_request_review", review("approved"));
    }).not.toThrow();
  });
});
