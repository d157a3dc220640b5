/**
 * Approval by a bot, end to end: another GitHub App's bot user (`deploy-bot[bot]`, type "Bot", as
 * GitHub shows it in reviews) that CODEOWNERS names as an owner of the records, with write access,
 * approves next to one human code owner. Everything else about its review would count, so the
 * count would reach 2 without the rule that bots never approve; the CSR must stay pending,
 * asserted on the apiserver.
 */
import { describe, expect, it, vi } from "vitest";
import { decisionPath } from "../../src/core/record/layout.ts";
import { parseReceipt } from "../../src/core/record/receipt.ts";
import { addBotAccount } from "../github-sim/ops/bot-account.ts";
import { OWNER, R, REPO } from "./harness.ts";
import { expectPending, mergeAs, refusalCodes, setUp } from "./scenario.ts";

vi.setConfig({ testTimeout: 120_000 });

const BOT_OWNS_RECORDS =
  "/.github/ @acme/security\n/clusters/ @acme/csr-approvers @deploy-bot[bot]\n";

describe("the CSR stays pending when a bot approves", () => {
  it("approval by a bot that CODEOWNERS names as an owner, next to one human code owner", async () => {
    const { h, pr, name } = await setUp({ files: { ".github/CODEOWNERS": BOT_OWNS_RECORDS } });
    const bot = addBotAccount(h.sim, "deploy-bot", {
      owner: OWNER,
      repo: REPO,
      permission: "write",
    });
    await h.approve(pr.number, "alice");
    await h.sim.actions.review(R, pr.number, bot.login, "APPROVE");
    await h.deliver();
    // While the PR is open, the check run already does not count the bot.
    expect((await h.check(pr.headSha))?.title).toBe("1 of 2 code owner approvals");
    await mergeAs(h, pr);

    await expectPending(h, name);
    expect(await refusalCodes(h, pr)).toEqual(["too-few-approvals"]);
    const path = decisionPath(pr.key);
    const receipt = parseReceipt((await h.fileOnMain(path.ok ? path.value : "")) ?? "");
    expect(
      receipt.ok && receipt.receipt.kind === "DecisionReceipt"
        ? receipt.receipt.approvedBy.map((p) => p.login)
        : undefined,
    ).toEqual(["alice"]);
    // The bot's review did not count for one reason only: it is a bot (it is a code owner, on
    // the merged head, with write access).
    const comments = (await h.comments(pr.number)).join("\n");
    expect(comments).toContain("1 of 2 code owner approvals");
    expect(comments).toMatch(/^- `deploy-bot\[bot\]`: Bots never count as approvers\.$/m);
    expect(h.metrics.get("refusal:too-few-approvals")).toBe(1);
  });
});
