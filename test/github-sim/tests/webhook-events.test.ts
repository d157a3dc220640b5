import { afterEach, describe, expect, it } from "vitest";
import { GitHubSimulator } from "../simulator.ts";
import { appOctokit, openRecordPr, OWNER, REPO, testSeed } from "./sim-fixture.ts";

let sim: GitHubSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe("webhook events from simulator state", () => {
  it("sends schema-valid pull_request and pull_request_review events to the app", async () => {
    const received: { event: string; action: string }[] = [];
    const seed = testSeed();
    const app = seed.app;
    if (app === undefined) throw new Error("seed has an app");
    sim = await GitHubSimulator.create({
      seed: {
        ...seed,
        app: { ...app, webhook: { url: "http://127.0.0.1:9/hook", secret: "s3cret" } },
      },
      validateResponses: true,
      webhookFetch: (_url, init) => {
        const headers = new Headers(init?.headers);
        const body = JSON.parse(typeof init?.body === "string" ? init.body : "{}") as {
          action: string;
        };
        received.push({ event: headers.get("x-github-event") ?? "", action: body.action });
        return Promise.resolve(new Response(null, { status: 202 }));
      },
    });
    const number = await openRecordPr(appOctokit(sim), "csr/w", "clusters/prod/w.yaml", "w\n");
    await sim.actions.review({ owner: OWNER, repo: REPO }, number, "alice", "APPROVE");
    await sim.actions.merge({ owner: OWNER, repo: REPO }, number, "bob");
    await sim.flushWebhooks();
    expect(sim.violations).toEqual([]);
    expect(received).toEqual([
      { event: "pull_request", action: "opened" },
      { event: "pull_request_review", action: "submitted" },
      { event: "pull_request", action: "closed" },
    ]);
  });
});
