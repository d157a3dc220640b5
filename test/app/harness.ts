/**
 * The app end to end: the real apiserver (the app acts with its own least-privilege identity), the
 * GitHub simulator delivering signed webhooks over HTTP to Probot running the app, and a stand-in
 * for the controller that opens PRs exactly as docs/audit-repo.md says (one app commit adding the
 * record rendered by record.ts, a check run whose external_id names the record blob).
 */
import { execFileSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { V1CertificateSigningRequest } from "@kubernetes/client-node";
import { createNodeMiddleware, Probot } from "probot";
import { onTestFinished } from "vitest";
import type { AppDeps, AppLog } from "../../src/app/app-deps.ts";
import { csrGitopsApp } from "../../src/app/csr-gitops-app.ts";
import { catchUp } from "../../src/app/catch-up.ts";
import { AppOctokit } from "../../src/github/app-octokit.ts";
import { trackInFlight } from "./in-flight.ts";
import { CountingMetrics } from "../../src/app/metrics.ts";
import { findAppCheckRun } from "../../src/github/app-check-run.ts";
import type { GitHubApi } from "../../src/github/github-api.ts";
import type { SeedInput } from "../github-sim/seed/seed-schema.ts";
import { APP_ID, appSeed, CLUSTER, INSTALLATION_ID, OWNER, R, REPO, SECRET } from "./app-seed.ts";
import { openAppPr, type OpenedPr } from "./open-app-pr.ts";

export * from "./app-seed.ts";
export type { OpenedPr } from "./open-app-pr.ts";
import type { GitHubSimulator } from "../github-sim/simulator.ts";
import { createSim } from "../github-sim/tests/sim-fixture.ts";
import { kubeClients } from "../support/kube-clients.ts";
import { uniqueName } from "../kube/csr-requests.ts";
import { kubeletServingRequest } from "./csr-bodies.ts";
import { ensureWorker1 } from "../controller/harness.ts";

const quietLog: AppLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface Harness {
  readonly sim: GitHubSimulator;
  readonly api: GitHubApi;
  readonly deps: AppDeps;
  readonly metrics: CountingMetrics;
  /** Where the app receives webhooks. */
  readonly webhookUrl: string;
  /** Delivers queued webhooks to the app and waits for its handlers. */
  deliver(): Promise<void>;
  /** Reconciles every app PR, as at start-up and on each resync. */
  resync(): Promise<void>;
  createCsr(prefix?: string): Promise<V1CertificateSigningRequest>;
  openPr(csr: V1CertificateSigningRequest): Promise<OpenedPr>;
  approve(number: number, ...logins: string[]): Promise<void>;
  csr(name: string): Promise<V1CertificateSigningRequest | undefined>;
  conditions(name: string): Promise<string[]>;
  gitLog(): string;
  fileOnMain(path: string): Promise<string | undefined>;
  comments(number: number): Promise<string[]>;
  /** The app's check run on a commit: title and conclusion. */
  check(
    sha: string,
  ): Promise<
    { title: string | null; conclusion: string | null; externalId: string | null } | undefined
  >;
  labels(number: number): Promise<string[]>;
}

export interface HarnessOptions {
  readonly files?: Record<string, string>;
  /** Set up the simulator further (protection, teams) before the app starts. */
  readonly seed?: (seed: SeedInput) => SeedInput;
  readonly deps?: Partial<AppDeps>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  type Middleware = Awaited<ReturnType<typeof createNodeMiddleware>>;
  // The server starts first (the simulator's seed needs its URL); the app is plugged in after.
  const app: { middleware?: Middleware } = {};
  const server: Server = createServer((req, res) => {
    if (app.middleware === undefined) res.writeHead(503).end();
    else
      void app.middleware(req, res, () => {
        res.writeHead(404).end();
      });
  });
  // The scenarios' CSRs come from worker-1: the app checks its Node (addresses) at merge time.
  await ensureWorker1();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  );
  const url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/api/github/webhooks`;
  const seed = (options.seed ?? ((s) => s))(appSeed(url, options.files));
  const sim = await createSim({ seed });
  const privateKey = sim.appPrivateKey();
  if (privateKey === undefined) throw new Error("the seed generates the app key");
  const probot = new Probot({
    appId: APP_ID,
    privateKey,
    secret: SECRET,
    logLevel: "fatal",
    request: { fetch: sim.fetch },
    // Probot paces content-creating requests at one a second for the whole process (its
    // throttling plugin); here that would only make each test as slow as its count of writes, so
    // the app's client is the product's (src/github/app-octokit.ts) without the pacing. The
    // end-to-end tests run `serve` with it.
    Octokit: AppOctokit.defaults((options: { throttle?: object }) => ({
      ...options,
      throttle: { ...options.throttle, enabled: false },
    })),
  });
  const api: GitHubApi = await probot.auth(INSTALLATION_ID);
  const bot = await api.rest.users.getByUsername({ username: "csr-gitops[bot]" });
  const appKube = kubeClients("app");
  const metrics = new CountingMetrics();
  const deps: AppDeps = {
    appId: APP_ID,
    identity: { botLogin: bot.data.login, botId: bot.data.id },
    clusters: new Map([[CLUSTER, { certificates: appKube.certificates, core: appKube.core }]]),
    now: () => new Date(),
    metrics,
    log: quietLog,
    ...options.deps,
  };
  const inFlight = trackInFlight(csrGitopsApp(deps));
  app.middleware = await createNodeMiddleware(inFlight.app, { probot });
  const admin = kubeClients("admin").certificates;
  const node = kubeClients("node").certificates;

  const harness: Harness = {
    sim,
    api,
    deps,
    metrics,
    webhookUrl: url,
    async deliver() {
      // Until a flush delivers nothing more: a handler answered with 202 may still be running,
      // and what it writes can queue further deliveries.
      for (;;) {
        const before = sim.webhooks?.deliveries.length ?? 0;
        await sim.flushWebhooks();
        await inFlight.idle();
        if ((sim.webhooks?.deliveries.length ?? 0) === before) break;
      }
      const failed = (sim.webhooks?.deliveries ?? []).filter(
        (d) => typeof d.status === "number" && d.status >= 500,
      );
      if (failed.length > 0) throw new Error(`the app failed ${String(failed.length)} deliveries`);
    },
    async resync() {
      const result = await catchUp(api, R, deps);
      if (result.errors.length > 0)
        throw new Error(`catch-up failed: ${JSON.stringify(result.errors)}`);
    },
    async createCsr(prefix = "app") {
      return node.createCertificateSigningRequest({
        body: kubeletServingRequest(uniqueName(prefix)).body,
      });
    },
    async openPr(csr) {
      return openAppPr(api, csr);
    },
    async approve(number, ...logins) {
      for (const login of logins) await sim.actions.review(R, number, login, "APPROVE");
    },
    async csr(name) {
      try {
        return await admin.readCertificateSigningRequest({ name });
      } catch {
        return undefined;
      }
    },
    async conditions(name) {
      const c = await harness.csr(name);
      return (c?.status?.conditions ?? []).map((x) => x.type);
    },
    gitLog() {
      return execFileSync("git", ["log", "--format=%s", "main"], {
        cwd: sim.repoPath(OWNER, REPO),
      }).toString();
    },
    async fileOnMain(path) {
      try {
        const res = await api.rest.repos.getContent({ ...R, path, ref: "main" });
        const data = res.data;
        return !Array.isArray(data) && data.type === "file" && "content" in data
          ? Buffer.from(data.content, "base64").toString("utf8")
          : undefined;
      } catch {
        return undefined;
      }
    },
    async comments(number) {
      const list = await api.paginate(api.rest.issues.listComments, { ...R, issue_number: number });
      return list.map((c) => c.body ?? "");
    },
    async check(sha) {
      const run = await findAppCheckRun(api, R, sha, APP_ID);
      return run === undefined
        ? undefined
        : { title: run.title, conclusion: run.conclusion, externalId: run.externalId };
    },
    async labels(number) {
      const pr = await api.rest.pulls.get({ ...R, pull_number: number });
      return pr.data.labels.map((l) => l.name);
    },
  };
  return harness;
}
