/**
 * `npm run bench` (second part): the approval path end to end, on the real apiserver and the
 * GitHub simulator, with the app running in Probot and receiving signed webhooks over HTTP.
 *
 * For each of ROUNDS CSRs: a kubelet-serving CSR is created, the controller stand-in opens its PR,
 * two code owners approve (those webhooks are delivered first and not measured), then a third
 * person merges. Measured: the GitHub and Kubernetes requests the app makes while it handles the
 * merge webhook (approval, receipt, comment, label, Event: everything), and the time from the
 * start of the merge webhook's delivery to the moment a read sees the Approved condition.
 * Beside it, in the same run on the same apiserver, the floor: a direct read and approval PUT of a
 * fresh CSR by the same identity (ROUNDS times). Prints JSON.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import {
  CertificatesV1Api,
  CoreV1Api,
  createConfiguration,
  ServerConfiguration,
} from "@kubernetes/client-node";
import { createNodeMiddleware, Probot, ProbotOctokit } from "probot";
import { csrGitopsApp } from "../src/app/csr-gitops-app.ts";
import { CountingMetrics } from "../src/app/metrics.ts";
import { AppOctokit } from "../src/github/app-octokit.ts";
import { loadKubeConfig } from "../src/kube/kube-config.ts";
import { writeCsrDecision } from "../src/kube/write-csr-decision.ts";
import { GitHubSimulator } from "../test/github-sim/simulator.ts";
import { APP_ID, appSeed, CLUSTER, INSTALLATION_ID, R, SECRET } from "../test/app/app-seed.ts";
import { trackInFlight } from "../test/app/in-flight.ts";
import { openAppPr } from "../test/app/open-app-pr.ts";
import { uniqueName } from "../test/kube/csr-requests.ts";
import { kubeletServingRequest } from "../test/app/csr-bodies.ts";
import { ensureBuilt } from "../test/kube-server/launcher/build.ts";
import { startServer, stopServer } from "../test/kube-server/launcher/server.ts";
import { ensureWorker1 } from "./bench-kube.ts";

const ROUNDS = Number(process.env.BENCH_APPROVALS ?? 200);

/**
 * client-node clients whose every request is counted, on one connection pool per identity as
 * `serve` makes them (src/kube/kube-config.ts).
 */
function countingClients(path: string, counter: { n: number }) {
  const kc = loadKubeConfig({ kind: "kubeconfig", path });
  const cluster = kc.getCurrentCluster();
  if (cluster === null) throw new Error("no cluster in kubeconfig");
  const config = createConfiguration({
    baseServer: new ServerConfiguration(cluster.server, {}),
    authMethods: { default: kc },
    promiseMiddleware: [
      {
        pre: (ctx) => {
          counter.n++;
          return Promise.resolve(ctx);
        },
        post: (ctx) => Promise.resolve(ctx),
      },
    ],
  });
  return { kc, certificates: new CertificatesV1Api(config), core: new CoreV1Api(config) };
}

/**
 * Probot's client without its write pacing (one content-creating request a second for the whole
 * process). Rounds run one after another and the app writes nothing to GitHub before the approval
 * PUT, so the pacing never delays what is measured (merge webhook to Approved); it only made each
 * round as long as its count of writes (about 10 s), and 200 rounds too long to run.
 */
function unpaced(octokit: typeof ProbotOctokit): typeof ProbotOctokit {
  return octokit.defaults((options: { throttle?: object }) => ({
    ...options,
    throttle: { ...options.throttle, enabled: false },
  }));
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? 0;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/**
 * Resolves with the first time a read (every 5 ms, by the admin, not counted) sees `name`
 * Approved; the figure is therefore at most about 5 ms late.
 */
async function approvedAt(
  api: CertificatesV1Api,
  name: string,
  timeoutMs = 120_000,
): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const csr = await api.readCertificateSigningRequest({ name });
    if (csr.status?.conditions?.some((c) => c.type === "Approved") === true)
      return performance.now();
    if (performance.now() > deadline) throw new Error(`${name} was not approved in time`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function main(): Promise<void> {
  const { binary } = await ensureBuilt(process.env, (log) => {
    console.error(`building the Kubernetes test server; log: ${log}`);
  });
  const stateDir = mkdtempSync(join(tmpdir(), "csr-gitops-bench-"));
  const state = await startServer({ binary, stateDir, exitWithPid: process.pid });
  const http = createServer();
  try {
    const kubeCount = { n: 0 };
    const app = countingClients(state.kubeconfigs.app, kubeCount);
    const node = countingClients(state.kubeconfigs.node, { n: 0 });
    const admin = countingClients(state.kubeconfigs.admin, { n: 0 });
    await ensureWorker1(state.kubeconfigs.admin);

    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${String((http.address() as AddressInfo).port)}/api/github/webhooks`;
    const sim = await GitHubSimulator.create({ seed: appSeed(url) });
    // The simulator's clock stands still in-process, so its windows never reset: lift the secondary
    // limits and the primary one (200 rounds make about 9,000 requests in one simulated instant;
    // the benchmark measures the app, not GitHub's pacing).
    sim.rateLimits.configure({
      primaryPerHour: 1_000_000,
      secondaryPerMinute: 1_000_000,
      secondaryPerHour: 1_000_000,
    });
    const key = sim.appPrivateKey() ?? "";
    const gh = { n: 0 };
    const countingFetch: typeof fetch = (input, init) => {
      gh.n++;
      return sim.fetch(input, init);
    };
    const appProbot = new Probot({
      appId: APP_ID,
      privateKey: key,
      secret: SECRET,
      logLevel: "fatal",
      request: { fetch: countingFetch },
      Octokit: unpaced(AppOctokit),
    });
    const controllerProbot = new Probot({
      appId: APP_ID,
      privateKey: key,
      secret: SECRET,
      logLevel: "fatal",
      request: { fetch: sim.fetch },
      Octokit: unpaced(ProbotOctokit),
    });
    const controller = await controllerProbot.auth(INSTALLATION_ID);
    const bot = await controller.rest.users.getByUsername({ username: "csr-gitops[bot]" });
    const metrics = new CountingMetrics();
    // A round ends when the app is done with it: its handlers are counted while they run (a
    // delivery answered 202 after 9 s still has its handler at work).
    const inFlight = trackInFlight(
      csrGitopsApp({
        appId: APP_ID,
        identity: { botLogin: bot.data.login, botId: bot.data.id },
        clusters: new Map([[CLUSTER, { certificates: app.certificates, core: app.core }]]),
        now: () => new Date(),
        metrics,
        log: {
          info: () => undefined,
          warn: (m, f) => {
            console.error("warn", m, f);
          },
          error: (m, f) => {
            console.error("error", m, f);
          },
        },
      }),
    );
    const middleware = await createNodeMiddleware(inFlight.app, { probot: appProbot });
    /** Delivers everything queued and waits until the app's handlers are done. */
    const appIdle = async (): Promise<void> => {
      for (;;) {
        const before = sim.webhooks?.deliveries.length ?? 0;
        await sim.flushWebhooks();
        await inFlight.idle();
        if ((sim.webhooks?.deliveries.length ?? 0) === before) return;
      }
    };
    http.on("request", (req, res) => {
      void middleware(req, res, () => {
        res.writeHead(404).end();
      });
    });

    /** A direct read of a fresh CSR and the approval PUT by the app's identity: its time. */
    const readAndApprove = async (): Promise<number> => {
      const created = await node.certificates.createCertificateSigningRequest({
        body: kubeletServingRequest(uniqueName("floor")).body,
      });
      const name = created.metadata?.name ?? "";
      const start = performance.now();
      const read = await app.certificates.readCertificateSigningRequest({ name });
      const written = await writeCsrDecision(
        app.certificates,
        read,
        { type: "Approved", reason: "Bench", message: "direct read-and-approve floor" },
        new Date(),
      );
      const ms = performance.now() - start;
      if (!written.ok) throw new Error(`floor approval failed: ${written.message}`);
      return ms;
    };
    const floor: number[] = [];
    const figures = () => ({
      mergeWebhookToApprovedMs: {
        median: round1(percentile(latencies, 50)),
        p99: round1(percentile(latencies, 99)),
      },
      directReadAndApproveMs: {
        median: round1(percentile(floor, 50)),
        p99: round1(percentile(floor, 99)),
      },
    });
    const latencies: number[] = [];
    const ghPer: number[] = [];
    const kubePer: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const csr = await node.certificates.createCertificateSigningRequest({
        body: kubeletServingRequest(uniqueName("bench")).body,
      });
      const pr = await openAppPr(controller, csr);
      await sim.actions.review(R, pr.number, "alice", "APPROVE");
      await sim.actions.review(R, pr.number, "bob", "APPROVE");
      await appIdle();
      await sim.actions.merge(R, pr.number, "carol");
      gh.n = 0;
      kubeCount.n = 0;
      const start = performance.now();
      const flushed = sim.flushWebhooks();
      const seen = await approvedAt(admin.certificates, pr.key.name).catch(
        async (error: unknown) => {
          await flushed;
          const comments = await controller.rest.issues.listComments({
            ...R,
            issue_number: pr.number,
          });
          console.error(comments.data.map((c) => c.body).join("\n---\n"));
          const log = (sim.webhooks?.deliveries ?? []).map((d) => [d.event, d.action, d.status]);
          throw new Error(`not approved; deliveries: ${JSON.stringify(log)}`, { cause: error });
        },
      );
      await flushed;
      latencies.push(seen - start);
      // GitHub counts any 2xx answer as delivered. Probot's middleware answers 202 ("still
      // processing") when a handler runs past 9 s, inside GitHub's 10 s delivery timeout, and the
      // handler goes on: that is a delivery, counted apart.
      const deliveries = sim.webhooks?.deliveries ?? [];
      const failed = deliveries.filter(
        (d) => typeof d.status !== "number" || d.status < 200 || d.status > 299,
      );
      if (failed.length > 0)
        throw new Error(`deliveries failed: ${JSON.stringify(failed.slice(0, 2))}`);
      // Past 9 s the app has answered 202 and is still at work (receipt, comment, label): let it
      // finish, so the rounds do not overlap and the counts are whole.
      await appIdle();
      if (metrics.get("decision:approved") !== i + 1)
        throw new Error(`round ${String(i + 1)}: the app counted another number of approvals`);
      ghPer.push(gh.n);
      kubePer.push(kubeCount.n);
      // The floor, right after each round, so both see the same machine load.
      floor.push(await readAndApprove());
      if (i % 10 === 9) console.error(JSON.stringify({ round: i + 1, ...figures() }));
    }

    const answered202 = (sim.webhooks?.deliveries ?? []).filter((d) => d.status === 202).length;
    await sim.close();
    console.log(
      JSON.stringify(
        {
          rounds: ROUNDS,
          approvedAll: metrics.get("decision:approved") === ROUNDS,
          githubRequestsPerApproval: { median: percentile(ghPer, 50), max: Math.max(...ghPer) },
          kubernetesRequestsPerApproval: {
            median: percentile(kubePer, 50),
            max: Math.max(...kubePer),
          },
          deliveriesAnswered202: answered202,
          ...figures(),
          node: process.version,
        },
        null,
        2,
      ),
    );
  } finally {
    http.close();
    await stopServer(stateDir);
    rmSync(stateDir, { recursive: true, force: true });
  }
}

await main();
