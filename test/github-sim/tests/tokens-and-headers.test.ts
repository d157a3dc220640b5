import { createHmac } from "node:crypto";
import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import { describe, expect, it, onTestFinished } from "vitest";
import { startServer } from "../server.ts";
import { startReceiver } from "../webhooks/fixtures/webhook-receiver.ts";
import { failure } from "./request-failure.ts";
import {
  APP_ID,
  createSim,
  httpSim,
  INSTALLATION_ID,
  openRecordPr,
  OWNER,
  REPO,
  testSeed,
  TOKENS,
} from "./sim-fixture.ts";

describe("installation tokens narrowed at creation", () => {
  // https://docs.github.com/en/rest/apps/apps#create-an-installation-access-token-for-an-app
  it("reach only the repositories and permissions they name", async () => {
    const seed = testSeed();
    const [repo] = seed.repos ?? [];
    if (repo === undefined || seed.app === undefined) throw new Error("test seed has a repo");
    const { sim, url } = await httpSim({
      ...seed,
      repos: [...(seed.repos ?? []), { owner: OWNER, name: "other", files: { "a.txt": "a\n" } }],
      app: {
        ...seed.app,
        installations: [{ id: INSTALLATION_ID, account: OWNER, repositories: "all" }],
      },
    });
    const privateKey = sim.appPrivateKey() ?? "";
    const asApp = new Octokit({
      authStrategy: createAppAuth,
      auth: { appId: APP_ID, privateKey },
      baseUrl: url,
    });
    const narrowed = await asApp.rest.apps.createInstallationAccessToken({
      installation_id: INSTALLATION_ID,
      repositories: [REPO],
      permissions: { contents: "read", metadata: "read" },
    });
    expect(narrowed.data.repository_selection).toBe("selected");
    expect(narrowed.data.repositories?.map((r) => r.name)).toEqual([REPO]);
    const token = new Octokit({ auth: narrowed.data.token, baseUrl: url });
    expect((await token.rest.repos.get({ owner: OWNER, repo: REPO })).status).toBe(200);
    expect((await failure(token.rest.repos.get({ owner: OWNER, repo: "other" }))).status).toBe(404);
    expect(
      await failure(
        token.rest.repos.createOrUpdateFileContents({
          owner: OWNER,
          repo: REPO,
          path: "x.txt",
          message: "x",
          content: "eA==",
        }),
      ),
    ).toMatchObject({ status: 403, message: "Resource not accessible by integration" });
    // Asking beyond the installation's grant is refused.
    expect(
      await failure(
        asApp.rest.apps.createInstallationAccessToken({
          installation_id: INSTALLATION_ID,
          repositories: ["no-such-repo"],
        }),
      ),
    ).toMatchObject({ status: 422 });
    expect(
      await failure(
        asApp.rest.apps.createInstallationAccessToken({
          installation_id: INSTALLATION_ID,
          permissions: { administration: "write" },
        }),
      ),
    ).toMatchObject({
      status: 422,
      message: "The permissions requested are not granted to this installation.",
    });
  });
});

describe("API versions", () => {
  // https://docs.github.com/rest/overview/api-versions
  // "If you specify an API version that is no longer supported, you will receive a 400 error."
  it("answers 400 to an unsupported X-GitHub-Api-Version and serves 2022-11-28", async () => {
    const { user } = await httpSim();
    const alice = user(TOKENS.alice);
    const ok = await alice.request("GET /repos/{owner}/{repo}", {
      owner: OWNER,
      repo: REPO,
      headers: { "x-github-api-version": "2022-11-28" },
    });
    expect(ok.headers["x-github-api-version-selected"]).toBe("2022-11-28");
    const refused = await failure(
      alice.request("GET /repos/{owner}/{repo}", {
        owner: OWNER,
        repo: REPO,
        headers: { "x-github-api-version": "2019-01-01" },
      }),
    );
    expect(refused.status).toBe(400);
  });
});

describe("webhook headers", () => {
  // https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
  // https://docs.github.com/en/webhooks/webhook-events-and-payloads#delivery-headers
  it("carry X-Hub-Signature (SHA-1) beside X-Hub-Signature-256, and the app id as the installation target", async () => {
    const receiver = await startReceiver();
    onTestFinished(() => receiver.close());
    const seed = testSeed();
    if (seed.app === undefined) throw new Error("test seed has an app");
    const secret = "header-test-secret";
    const sim = await createSim({
      seed: { ...seed, app: { ...seed.app, webhook: { url: receiver.url, secret } } },
    });
    const server = await startServer(sim, { port: 0 });
    onTestFinished(() => server.close());
    const app = new Octokit({
      authStrategy: createAppAuth,
      auth: {
        appId: APP_ID,
        privateKey: sim.appPrivateKey() ?? "",
        installationId: INSTALLATION_ID,
      },
      baseUrl: server.url,
    });
    await openRecordPr(app, "csr/h1", "clusters/prod/h1.yaml", "v: 1\n");
    await sim.flushWebhooks();
    const [first] = receiver.received;
    if (first === undefined) throw new Error("nothing delivered");
    const mac = (alg: string) => createHmac(alg, secret).update(first.body).digest("hex");
    expect(first.headers["x-hub-signature"]).toBe(`sha1=${mac("sha1")}`);
    expect(first.headers["x-hub-signature-256"]).toBe(`sha256=${mac("sha256")}`);
    expect(first.headers["x-github-hook-installation-target-id"]).toBe(String(APP_ID));
    expect(first.headers["x-github-hook-installation-target-type"]).toBe("integration");
  });
});
