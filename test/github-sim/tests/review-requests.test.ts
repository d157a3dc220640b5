/**
 * Review requests and pending reviews over real HTTP with Octokit, as GitHub documents them:
 * - "About code owners": https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners
 *   ("Code owners are automatically requested for review when someone opens a pull request that
 *   modifies code that they own. Code owners are not automatically requested to review draft pull
 *   requests"; a team code owner must itself have write access).
 * - "REST API endpoints for review requests": https://docs.github.com/en/rest/pulls/review-requests
 * - "REST API endpoints for pull request reviews": https://docs.github.com/en/rest/pulls/reviews
 *   (a pending review is visible to its author only; submit it with .../events).
 * - "Webhook events and payloads", pull_request review_requested / review_request_removed and
 *   pull_request_review submitted: https://docs.github.com/en/webhooks/webhook-events-and-payloads
 */
import { RequestError } from "@octokit/request-error";
import { describe, expect, it, onTestFinished } from "vitest";
import { startReceiver, type Receiver } from "../webhooks/fixtures/webhook-receiver.ts";
import { validateWebhookPayload } from "../webhooks/webhook-schema.ts";
import {
  httpSim,
  openRecordPr,
  OWNER,
  REPO,
  testSeed,
  TOKENS,
  withWebhook,
  type HttpSim,
} from "./sim-fixture.ts";

const repo = { owner: OWNER, repo: REPO };
const CODEOWNERS = "/clusters/ @acme/csr-approvers @bob\n/docs/ @acme/security\n";

async function setup(): Promise<{ h: HttpSim; receiver: Receiver }> {
  const receiver = await startReceiver();
  onTestFinished(() => receiver.close());
  const seed = testSeed();
  const [r] = seed.repos ?? [];
  if (r === undefined) throw new Error("the test seed has a repo");
  const withOwners = {
    ...seed,
    repos: [{ ...r, files: { ...r.files, ".github/CODEOWNERS": CODEOWNERS } }],
  };
  const h = await httpSim(withWebhook(withOwners, receiver.url, "s"));
  return { h, receiver };
}

interface Hook {
  readonly event: string;
  readonly payload: Record<string, unknown> & { action?: string };
}

/** Every delivery, each checked against GitHub's webhook schema. */
function hooks(receiver: Receiver): Hook[] {
  return receiver.received.map(({ headers, body }) => {
    const event = String(headers["x-github-event"]);
    const payload = JSON.parse(body) as Hook["payload"];
    expect(validateWebhookPayload(event, payload)).toEqual([]);
    return { event, payload };
  });
}

/** Who each review_requested / review_request_removed webhook named. */
function requestHooks(receiver: Receiver): string[] {
  return hooks(receiver)
    .filter((x) => x.payload.action?.startsWith("review_request") === true)
    .map((x) => {
      const p = x.payload as {
        action: string;
        requested_reviewer?: { login: string };
        requested_team?: { slug: string };
      };
      return `${p.action}:${p.requested_reviewer?.login ?? `team/${p.requested_team?.slug ?? "?"}`}`;
    });
}

async function status(p: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await p;
    return { status: 200, message: "" };
  } catch (error) {
    if (!(error instanceof RequestError)) throw error;
    return { status: error.status, message: JSON.stringify(error.response?.data) };
  }
}

async function requested(h: HttpSim, pull: number): Promise<{ users: string[]; teams: string[] }> {
  const { data } = await h.app.rest.pulls.listRequestedReviewers({ ...repo, pull_number: pull });
  return { users: data.users.map((u) => u.login), teams: data.teams.map((t) => t.slug) };
}

describe("code owners are requested as reviewers (About code owners)", () => {
  it("when a PR opens: users and teams with write access, not a team without it", async () => {
    const { h, receiver } = await setup();
    const pull = await openRecordPr(h.app, "csr/a", "clusters/prod/a.yaml", "a\n");
    expect(await requested(h, pull)).toEqual({ users: ["bob"], teams: ["csr-approvers"] });
    const pr = (await h.app.rest.pulls.get({ ...repo, pull_number: pull })).data;
    expect(pr.requested_reviewers?.map((u) => u.login)).toEqual(["bob"]);
    expect(pr.requested_teams?.map((t) => t.slug)).toEqual(["csr-approvers"]);

    // docs/ belongs to @acme/security, which has no access to the repository: nobody is asked.
    const docs = await openRecordPr(h.app, "csr/docs", "docs/guide.md", "g\n");
    expect(await requested(h, docs)).toEqual({ users: [], teams: [] });
    // Once the team itself has write access, it is requested on the next PR.
    h.sim.actions.setTeamRepoPermission(repo, "security", "write");
    const docs2 = await openRecordPr(h.app, "csr/docs2", "docs/guide2.md", "g\n");
    expect(await requested(h, docs2)).toEqual({ users: [], teams: ["security"] });

    await h.sim.flushWebhooks();
    expect(requestHooks(receiver)).toEqual([
      "review_requested:bob",
      "review_requested:team/csr-approvers",
      "review_requested:team/security",
    ]);
    const [first] = hooks(receiver).filter((x) => x.payload.action === "review_requested");
    expect(first?.payload).toMatchObject({
      number: pull,
      requested_reviewer: { login: "bob" },
      pull_request: { number: pull, requested_reviewers: [{ login: "bob" }] },
      sender: { login: "csr-gitops[bot]" },
    });
  });

  it("not for a draft; when the draft is marked ready for review", async () => {
    const { h, receiver } = await setup();
    const alice = h.user(TOKENS.alice);
    const main = await alice.rest.git.getRef({ ...repo, ref: "heads/main" });
    await alice.rest.git.createRef({ ...repo, ref: "refs/heads/draft", sha: main.data.object.sha });
    await alice.rest.repos.createOrUpdateFileContents({
      ...repo,
      path: "clusters/prod/d.yaml",
      branch: "draft",
      message: "draft",
      content: Buffer.from("d\n").toString("base64"),
    });
    const pr = await alice.rest.pulls.create({
      ...repo,
      head: `${OWNER}:draft`,
      base: "main",
      title: "Draft",
      draft: true,
    });
    expect(await requested(h, pr.data.number)).toEqual({ users: [], teams: [] });
    await h.sim.actions.markReadyForReview(repo, pr.data.number, "alice");
    expect(await requested(h, pr.data.number)).toEqual({
      users: ["bob"],
      teams: ["csr-approvers"],
    });
    await h.sim.flushWebhooks();
    const actions = hooks(receiver)
      .filter((x) => x.event === "pull_request")
      .map((x) => x.payload.action);
    expect(actions).toEqual(["opened", "ready_for_review", "review_requested", "review_requested"]);
  });
});

describe("requested_reviewers endpoints (Review requests)", () => {
  it("request, list, remove, with their webhooks; GitHub's 422s", async () => {
    const { h, receiver } = await setup();
    const pull = await openRecordPr(h.app, "csr/r", "clusters/prod/r.yaml", "r\n");
    const alice = h.user(TOKENS.alice);
    const added = await alice.rest.pulls.requestReviewers({
      ...repo,
      pull_number: pull,
      reviewers: ["carol"],
    });
    expect(added.status).toBe(201);
    expect(added.data.requested_reviewers?.map((u) => u.login)).toEqual(["bob", "carol"]);
    expect((await requested(h, pull)).users).toEqual(["bob", "carol"]);

    // mallory has no access to the repository; the PR's author cannot be asked.
    const outsider = await status(
      alice.rest.pulls.requestReviewers({ ...repo, pull_number: pull, reviewers: ["mallory"] }),
    );
    expect(outsider.status).toBe(422);
    expect(outsider.message).toContain("Reviews may only be requested from collaborators");
    const author = await status(
      alice.rest.pulls.requestReviewers({
        ...repo,
        pull_number: pull,
        reviewers: ["csr-gitops[bot]"],
      }),
    );
    expect(author.status).toBe(422);
    expect(author.message).toContain("Review cannot be requested from pull request author.");

    const removed = await alice.rest.pulls.removeRequestedReviewers({
      ...repo,
      pull_number: pull,
      reviewers: ["carol"],
      team_reviewers: ["csr-approvers"],
    });
    expect(removed.status).toBe(200);
    expect(await requested(h, pull)).toEqual({ users: ["bob"], teams: [] });

    await h.sim.flushWebhooks();
    expect(requestHooks(receiver)).toEqual([
      "review_requested:bob",
      "review_requested:team/csr-approvers",
      "review_requested:carol",
      "review_request_removed:carol",
      "review_request_removed:team/csr-approvers",
    ]);
  });

  it("a submitted review removes that reviewer's request", async () => {
    const { h } = await setup();
    const pull = await openRecordPr(h.app, "csr/s", "clusters/prod/s.yaml", "s\n");
    await h
      .user(TOKENS.bob)
      .rest.pulls.createReview({ ...repo, pull_number: pull, event: "APPROVE" });
    expect(await requested(h, pull)).toEqual({ users: [], teams: ["csr-approvers"] });
  });
});

describe("pending reviews (Pull request reviews)", () => {
  it("one per user per PR; visible to its author only; update, then submit with its webhook", async () => {
    const { h, receiver } = await setup();
    const pull = await openRecordPr(h.app, "csr/p", "clusters/prod/p.yaml", "p\n");
    const bob = h.user(TOKENS.bob);
    const alice = h.user(TOKENS.alice);
    const pending = await bob.rest.pulls.createReview({ ...repo, pull_number: pull, body: "wip" });
    expect(pending.data.state).toBe("PENDING");
    expect(pending.data.submitted_at).toBeUndefined();

    // A second review while one is pending, pending or not, is refused in GitHub's words.
    for (const event of [undefined, "APPROVE"] as const) {
      const again = await status(
        bob.rest.pulls.createReview({ ...repo, pull_number: pull, ...(event ? { event } : {}) }),
      );
      expect(again).toEqual({
        status: 422,
        message: expect.stringContaining(
          "User can only have one pending review per pull request",
        ) as string,
      });
    }

    const id = { ...repo, pull_number: pull, review_id: pending.data.id };
    expect((await status(alice.rest.pulls.getReview(id))).status).toBe(404);
    expect((await alice.rest.pulls.listReviews({ ...repo, pull_number: pull })).data).toEqual([]);
    expect((await bob.rest.pulls.getReview(id)).data).toMatchObject({ state: "PENDING" });

    const updated = await bob.rest.pulls.updateReview({ ...id, body: "looks right" });
    expect(updated.data).toMatchObject({ id: pending.data.id, body: "looks right" });

    const submitted = await bob.rest.pulls.submitReview({ ...id, event: "APPROVE" });
    expect(submitted.data).toMatchObject({ state: "APPROVED", body: "looks right" });
    expect(submitted.data.submitted_at).toEqual(expect.any(String));
    expect((await alice.rest.pulls.getReview(id)).data.state).toBe("APPROVED");
    // Submitting answers bob's code-owner review request.
    expect((await requested(h, pull)).users).toEqual([]);
    // Submitted: it cannot be submitted again, nor deleted.
    expect((await status(bob.rest.pulls.submitReview({ ...id, event: "APPROVE" }))).status).toBe(
      422,
    );
    expect((await status(bob.rest.pulls.deletePendingReview(id))).status).toBe(422);

    await h.sim.flushWebhooks();
    const reviews = hooks(receiver).filter((x) => x.event === "pull_request_review");
    expect(reviews.map((x) => x.payload.action)).toEqual(["submitted"]);
    expect(reviews[0]?.payload).toMatchObject({
      review: {
        id: pending.data.id,
        state: "approved",
        body: "looks right",
        user: { login: "bob" },
      },
      sender: { login: "bob" },
    });
  });

  it("a pending review can be deleted by its author, and then a new one started", async () => {
    const { h } = await setup();
    const pull = await openRecordPr(h.app, "csr/q", "clusters/prod/q.yaml", "q\n");
    const carol = h.user(TOKENS.carol);
    const pending = await carol.rest.pulls.createReview({ ...repo, pull_number: pull });
    const id = { ...repo, pull_number: pull, review_id: pending.data.id };
    expect((await status(h.user(TOKENS.bob).rest.pulls.deletePendingReview(id))).status).toBe(404);
    const deleted = await carol.rest.pulls.deletePendingReview(id);
    expect(deleted.data).toMatchObject({ id: pending.data.id, state: "PENDING" });
    expect((await carol.rest.pulls.listReviews({ ...repo, pull_number: pull })).data).toEqual([]);
    expect((await status(carol.rest.pulls.getReview(id))).status).toBe(404);
    const next = await carol.rest.pulls.createReview({
      ...repo,
      pull_number: pull,
      event: "COMMENT",
      body: "fine",
    });
    expect(next.data.state).toBe("COMMENTED");
  });
});
