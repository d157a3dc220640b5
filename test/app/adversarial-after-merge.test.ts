/**
 * After the merge the decision is taken: reviews submitted or dismissed afterwards, and review
 * webhooks that arrive late or race the merge, never change it, and the app's check run ends
 * completed with the outcome. Each asserted on the apiserver and on the simulator's check run.
 */
import { describe, expect, it, vi } from "vitest";
import { reconcilePull } from "../../src/app/reconcile-pull.ts";
import { decisionPath } from "../../src/core/record/layout.ts";
import { parseReceipt } from "../../src/core/record/receipt.ts";
import type { SeedInput } from "../github-sim/seed/seed-schema.ts";
import { R, type Harness, type OpenedPr } from "./harness.ts";
import { expectPending, mergeAs, refusalCodes, setUp } from "./scenario.ts";

vi.setConfig({ testTimeout: 120_000 });

const PROTECTED = {
  seed: (seed: SeedInput): SeedInput => ({
    ...seed,
    repos: (seed.repos ?? []).map((r) => ({
      ...r,
      protection: { main: { require_pull_request: true } },
    })),
  }),
};

async function receipt(h: Harness, pr: OpenedPr) {
  const path = decisionPath(pr.key);
  const parsed = parseReceipt((await h.fileOnMain(path.ok ? path.value : "")) ?? "");
  return parsed.ok && parsed.receipt.kind === "DecisionReceipt" ? parsed.receipt : undefined;
}

async function approvedCheck(h: Harness, pr: OpenedPr): Promise<void> {
  expect(await h.check(pr.headSha)).toEqual({
    title: "Approved: 2 of 2 code owner approvals",
    conclusion: "success",
    externalId: expect.stringMatching(/,!decided=approved$/) as unknown,
  });
}

describe("reviews after the merge never change the decision", () => {
  it("an approval dismissed after the merge leaves the CSR approved and the check run as decided", async () => {
    const { h, pr, name } = await setUp();
    await h.approve(pr.number, "alice");
    const bob = await h.sim.actions.review(R, pr.number, "bob", "APPROVE");
    await mergeAs(h, pr);
    expect(await h.conditions(name)).toEqual(["Approved"]);
    await approvedCheck(h, pr);

    await h.sim.actions.dismissReview(R, pr.number, bob, "carol");
    await h.sim.actions.review(R, pr.number, "dave", "COMMENT");
    await h.deliver();
    await h.resync();

    expect(await h.conditions(name)).toEqual(["Approved"]);
    await approvedCheck(h, pr);
    expect((await receipt(h, pr))?.approvedBy.map((p) => p.login)).toEqual(["alice", "bob"]);
  });

  it("an approval dismissed after the merge, while the receipt is still owed, is recorded as approved", async () => {
    const { h, pr, name } = await setUp(PROTECTED);
    await h.approve(pr.number, "alice");
    const bob = await h.sim.actions.review(R, pr.number, "bob", "APPROVE");
    await mergeAs(h, pr);
    expect(await h.conditions(name)).toEqual(["Approved"]);
    expect(await receipt(h, pr)).toBeUndefined();

    await h.sim.actions.dismissReview(R, pr.number, bob, "carol");
    await h.deliver();
    h.sim.actions.setProtection(R, "main", undefined);
    await h.resync();

    expect(await h.conditions(name)).toEqual(["Approved"]);
    expect(await receipt(h, pr)).toMatchObject({
      decision: "approved",
      approvedBy: [{ login: "alice" }, { login: "bob" }],
    });
    await approvedCheck(h, pr);
  });

  it("a code owner's changes request dismissed after a refused merge cannot get it approved", async () => {
    const { h, pr, name } = await setUp(PROTECTED);
    await h.approve(pr.number, "alice", "bob");
    const frank = await h.sim.actions.review(R, pr.number, "frank", "REQUEST_CHANGES");
    await mergeAs(h, pr);
    await expectPending(h, name);
    expect(await h.check(pr.headSha)).toMatchObject({
      title: "Not approved: changes-requested",
      conclusion: "failure",
      externalId: expect.stringMatching(/,!decided=refused:changes-requested$/) as unknown,
    });
    // The receipt is still owed (the branch refused it): the next resync reconciles the merge
    // again, and now reads no outstanding changes request.
    expect(await receipt(h, pr)).toBeUndefined();

    await h.sim.actions.dismissReview(R, pr.number, frank, "carol");
    await h.deliver();
    h.sim.actions.setProtection(R, "main", undefined);
    await h.resync();

    await expectPending(h, name);
    expect(await refusalCodes(h, pr)).toEqual(["changes-requested"]);
    expect(await h.check(pr.headSha)).toMatchObject({ conclusion: "failure" });
  });
});

describe("the check run of a merged PR ends completed", () => {
  it("when the review webhooks arrive after the merge webhook", async () => {
    const { h, pr, name } = await setUp();
    await h.approve(pr.number, "alice", "bob");
    await h.sim.actions.merge(R, pr.number, "carol");
    // Newest first: the merge is heard before either review.
    h.sim.webhooks?.setFaults({ reorder: true });
    await h.deliver();

    expect(await h.conditions(name)).toEqual(["Approved"]);
    await approvedCheck(h, pr);
    const merged = (h.sim.webhooks?.deliveries ?? []).findIndex((d) => d.action === "closed");
    const reviews = (h.sim.webhooks?.deliveries ?? []).flatMap((d, i) =>
      d.event === "pull_request_review" ? [i] : [],
    );
    expect(reviews.length).toBe(2);
    expect(reviews.every((i) => i > merged)).toBe(true);
  });

  it("when a review's reconcile read the PR open and writes its progress after the merge was decided", async () => {
    const { h, pr, name } = await setUp();
    await h.approve(pr.number, "alice", "bob");
    await h.deliver();
    // The review reconcile has read the PR as open; just before its check run write, the PR is
    // merged and the app decides it (the merge webhook handled by another replica).
    let merged = false;
    h.api.hook.before("request", async (options) => {
      if (merged || options.method !== "PATCH" || !options.url.includes("/check-runs/")) return;
      merged = true;
      await h.sim.actions.merge(R, pr.number, "carol");
      await h.deliver();
      await approvedCheck(h, pr);
    });
    // Another replica: in one process, reconciles of one PR run one at a time.
    const outcome = await reconcilePull(h.api, { ...R, number: pr.number }, { ...h.deps });

    expect(merged).toBe(true);
    expect(outcome).toMatchObject({ state: "merged", kind: "already-recorded" });
    expect(await h.conditions(name)).toEqual(["Approved"]);
    await approvedCheck(h, pr);
  });
});

describe("the check run of a closed PR ends completed", () => {
  it("closing without merging: the check run says the CSR was denied", async () => {
    const { h, pr, name } = await setUp();
    await h.sim.actions.close(R, pr.number, "alice");
    await h.deliver();
    expect(await h.conditions(name)).toEqual(["Denied"]);
    expect(await h.check(pr.headSha)).toMatchObject({
      title: "Closed without merging: CSR denied",
      conclusion: "neutral",
      externalId: expect.stringMatching(/,!decided=denied$/) as unknown,
    });
  });
});
