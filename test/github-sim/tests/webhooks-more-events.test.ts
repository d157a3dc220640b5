/**
 * Webhooks an approval bot relies on or should watch, delivered over real HTTP, each payload
 * checked against GitHub's webhook schema (docs: "Webhook events and payloads",
 * https://docs.github.com/en/webhooks/webhook-events-and-payloads): push (#push), issue_comment
 * (#issue_comment), pull_request edited (#pull_request), installation and
 * installation_repositories (#installation, #installation_repositories; every app receives them),
 * ping (#ping); and redelivery of a past delivery (docs: "REST API endpoints for GitHub App
 * webhooks", https://docs.github.com/en/rest/apps/webhooks, and "Redelivering webhooks",
 * https://docs.github.com/en/webhooks/testing-and-troubleshooting-webhooks/redelivering-webhooks).
 */
import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import { describe, expect, it, onTestFinished } from "vitest";
import { startReceiver, type Receiver } from "../webhooks/fixtures/webhook-receiver.ts";
import { validateWebhookPayload } from "../webhooks/webhook-schema.ts";
import {
  APP_ID,
  httpSim,
  INSTALLATION_ID,
  openRecordPr,
  OWNER,
  REPO,
  testSeed,
  TOKENS,
  withWebhook,
  type HttpSim,
} from "./sim-fixture.ts";

const repo = { owner: OWNER, repo: REPO };
const ZERO = "0".repeat(40);
const EVENTS = ["pull_request", "pull_request_review", "check_run", "push", "issue_comment"];

interface Hook {
  readonly event: string;
  readonly delivery: string;
  readonly hookId: string;
  readonly payload: Record<string, unknown> & { action?: string };
}

async function setup(
  events: readonly string[] = EVENTS,
  answer?: () => number,
): Promise<{ h: HttpSim; receiver: Receiver }> {
  const receiver = await startReceiver(
    answer === undefined
      ? undefined
      : (_req, res) => {
          res.writeHead(answer()).end();
        },
  );
  onTestFinished(() => receiver.close());
  const seed = testSeed();
  const other = { owner: OWNER, name: "other", files: { "README.md": "other\n" } };
  const h = await httpSim(
    withWebhook({ ...seed, repos: [...(seed.repos ?? []), other] }, receiver.url, "s", events),
  );
  return { h, receiver };
}

function hooks(receiver: Receiver): Hook[] {
  return receiver.received.map(({ headers, body }) => {
    const event = String(headers["x-github-event"]);
    const payload = JSON.parse(body) as Hook["payload"];
    expect(validateWebhookPayload(event, payload)).toEqual([]);
    return {
      event,
      delivery: String(headers["x-github-delivery"]),
      hookId: String(headers["x-github-hook-id"]),
      payload,
    };
  });
}

const of = (receiver: Receiver, event: string) =>
  hooks(receiver)
    .filter((x) => x.event === event)
    .map((x) => x.payload);

describe("push (every branch update, creation and deletion)", () => {
  it("a new app branch, its commit, a merge to the default branch, a forced update, a deletion", async () => {
    const { h, receiver } = await setup();
    const base = (await h.app.rest.git.getRef({ ...repo, ref: "heads/main" })).data.object.sha;
    const pull = await openRecordPr(h.app, "csr/p", "clusters/prod/p.yaml", "p\n");
    const head = (await h.app.rest.pulls.get({ ...repo, pull_number: pull })).data.head.sha;
    const merged = await h.user(TOKENS.bob).rest.pulls.merge({ ...repo, pull_number: pull });
    const pushed = await h.sim.actions.push(
      repo,
      "main",
      "alice",
      { "README.md": "new\n" },
      "Edit",
    );
    const bob = h.user(TOKENS.bob);
    await bob.rest.git.updateRef({ ...repo, ref: "heads/csr/p", sha: base, force: true });
    await bob.rest.git.deleteRef({ ...repo, ref: "heads/csr/p" });
    await h.sim.flushWebhooks();

    const pushes = of(receiver, "push");
    expect(pushes.map((p) => [p.ref, p.created, p.deleted, p.forced])).toEqual([
      ["refs/heads/csr/p", true, false, false],
      ["refs/heads/csr/p", false, false, false],
      ["refs/heads/main", false, false, false],
      ["refs/heads/main", false, false, false],
      ["refs/heads/csr/p", false, false, true],
      ["refs/heads/csr/p", false, true, false],
    ]);
    const [created, commit, merge, direct, forced, deleted] = pushes;
    expect(created).toMatchObject({ before: ZERO, after: base, commits: [] });
    expect(commit).toMatchObject({
      before: base,
      after: head,
      commits: [{ id: head, added: ["clusters/prod/p.yaml"], modified: [], removed: [] }],
      head_commit: { id: head },
      pusher: { name: "csr-gitops[bot]" },
      sender: { login: "csr-gitops[bot]" },
      installation: { id: INSTALLATION_ID },
      repository: { full_name: `${OWNER}/${REPO}` },
    });
    expect(merge).toMatchObject({
      before: base,
      after: merged.data.sha,
      head_commit: { id: merged.data.sha },
      pusher: { name: "bob", email: "bob@example.com" },
    });
    expect(direct).toMatchObject({
      before: merged.data.sha,
      after: pushed,
      commits: [{ id: pushed, message: "Edit", modified: ["README.md"] }],
      pusher: { name: "alice" },
    });
    expect(forced).toMatchObject({ before: head, after: base, commits: [] });
    expect(deleted).toMatchObject({ before: base, after: ZERO, head_commit: null, commits: [] });
  });

  it("is not delivered to an app that did not subscribe to it (the seed's default events)", async () => {
    const { h, receiver } = await setup(["pull_request"]);
    await h.sim.actions.push(repo, "main", "alice", { "README.md": "x\n" });
    await h.sim.flushWebhooks();
    expect(receiver.received).toEqual([]);
  });
});

describe("issue_comment and pull_request edited", () => {
  it("comment created, edited (changes.body.from), deleted; title, body and base edits", async () => {
    const { h, receiver } = await setup();
    const pull = await openRecordPr(h.app, "csr/c", "clusters/prod/c.yaml", "c\n");
    const c = await h.app.rest.issues.createComment({ ...repo, issue_number: pull, body: "one" });
    await h.app.rest.issues.updateComment({ ...repo, comment_id: c.data.id, body: "two" });
    await h.app.rest.issues.deleteComment({ ...repo, comment_id: c.data.id });
    await h.sim.actions.createBranch(repo, "release", "main", "alice");
    const alice = h.user(TOKENS.alice);
    await alice.rest.pulls.update({ ...repo, pull_number: pull, title: "Renamed", body: "Why" });
    await alice.rest.pulls.update({ ...repo, pull_number: pull, base: "release" });
    await h.sim.flushWebhooks();

    const comments = of(receiver, "issue_comment");
    expect(comments.map((x) => x.action)).toEqual(["created", "edited", "deleted"]);
    expect(comments[0]).toMatchObject({
      comment: { id: c.data.id, body: "one", user: { login: "csr-gitops[bot]" } },
      issue: {
        number: pull,
        pull_request: { url: expect.stringContaining(`/pulls/${String(pull)}`) as string },
      },
    });
    expect(comments[1]).toMatchObject({
      comment: { body: "two" },
      changes: { body: { from: "one" } },
    });
    const edits = of(receiver, "pull_request").filter((x) => x.action === "edited");
    expect(edits).toHaveLength(2);
    expect(edits[0]).toMatchObject({
      changes: { title: { from: `Approve clusters/prod/c.yaml` }, body: { from: "" } },
      pull_request: { title: "Renamed", body: "Why" },
      sender: { login: "alice" },
    });
    expect(edits[1]).toMatchObject({
      changes: { base: { ref: { from: "main" } } },
      pull_request: { base: { ref: "release" } },
    });
  });
});

describe("installation, installation_repositories, ping", () => {
  it("are sent whatever the app subscribed to, and the token follows the repository selection", async () => {
    const { h, receiver } = await setup(["pull_request"]);
    const other = { owner: OWNER, repo: "other" };
    await expect(h.app.rest.repos.get(other)).rejects.toMatchObject({ status: 404 });
    await h.sim.actions.setInstallationRepositories(INSTALLATION_ID, { add: ["other"] }, "alice");
    expect((await h.app.rest.repos.get(other)).status).toBe(200);
    await h.sim.actions.setInstallationRepositories(
      INSTALLATION_ID,
      { remove: ["other"] },
      "alice",
    );
    await expect(h.app.rest.repos.get(other)).rejects.toMatchObject({ status: 404 });
    await h.sim.actions.installApp({ id: 78, account: "alice", repositories: "all" }, "alice");
    await h.sim.actions.uninstallApp(78, "alice");
    await h.sim.actions.pingWebhook();
    await h.sim.flushWebhooks();

    expect(hooks(receiver).map((x) => `${x.event}.${x.payload.action ?? ""}`)).toEqual([
      "installation_repositories.added",
      "installation_repositories.removed",
      "installation.created",
      "installation.deleted",
      "ping.",
    ]);
    const [added, removed] = of(receiver, "installation_repositories");
    expect(added).toMatchObject({
      installation: { id: INSTALLATION_ID, app_id: APP_ID },
      repository_selection: "selected",
      repositories_added: [{ name: "other", full_name: `${OWNER}/other` }],
      repositories_removed: [],
      sender: { login: "alice" },
    });
    expect(removed).toMatchObject({ repositories_removed: [{ name: "other" }] });
    expect(of(receiver, "installation")[0]).toMatchObject({
      installation: { id: 78, account: { login: "alice" } },
      requester: { login: "alice" },
    });
    const [ping] = hooks(receiver).filter((x) => x.event === "ping");
    expect(ping?.payload).toMatchObject({
      hook_id: Number(ping?.hookId),
      hook: {
        type: "App",
        app_id: APP_ID,
        events: ["pull_request"],
        config: { url: receiver.url },
      },
      zen: expect.any(String) as string,
    });
  });
});

describe("redelivery of a past delivery (app webhook deliveries API)", () => {
  it("a failed delivery is listed, redelivered with the same guid, then listed as a redelivery", async () => {
    let answered = 0;
    // The app is down for its first delivery (500), then up.
    const { h, receiver } = await setup(["pull_request"], () => (answered++ === 0 ? 500 : 202));
    const privateKey = h.sim.appPrivateKey() ?? "";
    const asApp = new Octokit({
      authStrategy: createAppAuth,
      auth: { appId: APP_ID, privateKey },
      baseUrl: h.url,
    });
    const pull = await openRecordPr(h.app, "csr/f", "clusters/prod/f.yaml", "f\n");
    await h.sim.flushWebhooks();

    const failed = await asApp.rest.apps.listWebhookDeliveries({ status: "failure" });
    expect(failed.data).toHaveLength(1);
    const [first] = failed.data;
    if (first === undefined) throw new Error("no failed delivery");
    expect(first).toMatchObject({
      event: "pull_request",
      action: "opened",
      status_code: 500,
      redelivery: false,
      installation_id: INSTALLATION_ID,
    });
    const detail = await asApp.rest.apps.getWebhookDelivery({ delivery_id: first.id });
    expect(detail.data.request.payload).toMatchObject({ action: "opened", number: pull });
    expect(detail.data.request.headers).toMatchObject({ "x-github-delivery": first.guid });

    const again = await asApp.rest.apps.redeliverWebhookDelivery({ delivery_id: first.id });
    expect(again.status).toBe(202);
    await h.sim.flushWebhooks();

    const received = hooks(receiver).filter((x) => x.payload.action === "opened");
    expect(received.map((x) => x.delivery)).toEqual([first.guid, first.guid]);
    const all = await asApp.rest.apps.listWebhookDeliveries();
    const series = all.data.filter((d) => d.guid === first.guid);
    // Newest first: the redelivery (202), then the failed original.
    expect(series.map((d) => [d.redelivery, d.status_code])).toEqual([
      [true, 202],
      [false, 500],
    ]);
    expect((await asApp.rest.apps.listWebhookDeliveries({ status: "failure" })).data).toHaveLength(
      1,
    );

    // Only the app's JWT reaches these endpoints; an unknown delivery is 404.
    await expect(h.user(TOKENS.alice).rest.apps.listWebhookDeliveries()).rejects.toMatchObject({
      status: 401,
    });
    await expect(
      asApp.rest.apps.redeliverWebhookDelivery({ delivery_id: 1 }),
    ).rejects.toMatchObject({ status: 404 });
  });
});
