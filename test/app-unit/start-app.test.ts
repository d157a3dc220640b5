import { describe, expect, it } from "vitest";
import { CountingMetrics } from "../../src/app/metrics.ts";
import { startApp } from "../../src/app/start-app.ts";

const options = {
  appId: 1,
  privateKey: "unused: the app refuses before reading it",
  installationId: 1,
  repo: { owner: "acme", repo: "csr-audit" },
  resyncMs: 60_000,
  deps: {
    appId: 1,
    identity: { botLogin: "csr-gitops[bot]", botId: 2 },
    clusters: new Map(),
    now: () => new Date(0),
    metrics: new CountingMetrics(),
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
  },
};

describe("starting the app", () => {
  it.each([undefined, "", "development", "short"])(
    "refuses to start with webhook secret %j",
    async (webhookSecret) => {
      const started = await startApp({ ...options, webhookSecret });
      expect(started.ok).toBe(false);
    },
  );
});
