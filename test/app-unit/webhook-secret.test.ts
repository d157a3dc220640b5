import { describe, expect, it } from "vitest";
import { requireWebhookSecret } from "../../src/app/webhook-secret.ts";

describe("the app refuses to start without a real webhook secret", () => {
  it.each([
    ["unset", undefined, /not set/],
    ["empty", "", /not set/],
    ["blank", "   ", /not set/],
    ["Probot's default", "development", /default "development"/],
    ["too short", "short-secret", /shorter than 16/],
  ])("%s", (_, value, error) => {
    const r = requireWebhookSecret(value);
    expect(r.ok ? "" : r.error).toMatch(error);
  });

  it("accepts a long random secret", () => {
    expect(requireWebhookSecret("4f7c1d9e0b3a4c2e8f6a")).toEqual({
      ok: true,
      secret: "4f7c1d9e0b3a4c2e8f6a",
    });
  });
});
