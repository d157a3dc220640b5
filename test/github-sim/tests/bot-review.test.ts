/**
 * Another app's bot reviewing, as GitHub shows it: the review's user in the REST API
 * ("List reviews for a pull request", `simple-user`) and in the `pull_request_review` webhook is
 * `<slug>[bot]` with type "Bot" (docs: https://docs.github.com/en/rest/pulls/reviews and
 * https://docs.github.com/en/webhooks/webhook-events-and-payloads#pull_request_review).
 */
import { describe, expect, it, onTestFinished } from "vitest";
import { addBotAccount } from "../ops/bot-account.ts";
import { startReceiver } from "../webhooks/fixtures/webhook-receiver.ts";
import { validateWebhookPayload } from "../webhooks/webhook-schema.ts";
import {
  httpSim,
  openRecordPr,
  OWNER,
  REPO,
  testSeed,
  TOKENS,
  withWebhook,
} from "./sim-fixture.ts";

const repo = { owner: OWNER, repo: REPO };

describe("a bot account reviews like a person and is shown as a Bot", () => {
  it("its approval is listed and delivered with login name[bot] and type Bot", async () => {
    const receiver = await startReceiver();
    onTestFinished(() => receiver.close());
    const h = await httpSim(withWebhook(testSeed(), receiver.url, "s"));
    const bot = addBotAccount(h.sim, "deploy-bot", { ...repo, permission: "write" });
    const number = await openRecordPr(h.user(TOKENS.alice), "b1", "clusters/x.yaml", "x: 1\n");
    await h.sim.actions.review(repo, number, "deploy-bot[bot]", "APPROVE");
    await h.sim.flushWebhooks();

    const reviews = await h.app.rest.pulls.listReviews({ ...repo, pull_number: number });
    expect(reviews.data.map((r) => [r.state, r.user?.login, r.user?.type, r.user?.id])).toEqual([
      ["APPROVED", "deploy-bot[bot]", "Bot", bot.id],
    ]);
    const user = await h.app.rest.users.getByUsername({ username: "deploy-bot[bot]" });
    expect(user.data).toMatchObject({ login: "deploy-bot[bot]", type: "Bot", id: bot.id });
    const permission = await h.app.rest.repos.getCollaboratorPermissionLevel({
      ...repo,
      username: "deploy-bot[bot]",
    });
    expect(permission.data.permission).toBe("write");

    const submitted = receiver.received
      .map(({ headers, body }) => ({
        event: String(headers["x-github-event"]),
        payload: JSON.parse(body) as { action?: string; review?: { user?: unknown } },
      }))
      .filter((d) => d.event === "pull_request_review");
    expect(submitted).toHaveLength(1);
    const [delivery] = submitted;
    expect(validateWebhookPayload("pull_request_review", delivery?.payload)).toEqual([]);
    expect(delivery?.payload.action).toBe("submitted");
    expect(delivery?.payload.review?.user).toMatchObject({
      login: "deploy-bot[bot]",
      type: "Bot",
      id: bot.id,
    });
  });

  it("a second bot of the same name is refused", async () => {
    const h = await httpSim();
    addBotAccount(h.sim, "deploy-bot");
    expect(() => addBotAccount(h.sim, "deploy-bot")).toThrow(/already/);
  });
});
