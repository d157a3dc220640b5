/**
 * `npm run bench` (second part): the controller against a real kube-apiserver (test/kube-server)
 * and the GitHub simulator, as the app identity.
 *
 * Method:
 * - Each scenario starts a controller and first creates one warm-up CSR alone: it pays the
 *   start-up reads (the PR listing, the default branch's head, the audit repo's files), which
 *   are reported apart ("warmUp", with the read paths) and folded in again in "withWarmUpPerPr".
 * - The controller as serve runs it: push webhooks wired (`defaultBranchPushes`), so the default
 *   branch's head is not checked on a timer; resync every 5 minutes (its default).
 * - Latency: SEQUENTIAL CSRs, one at a time, each created by the node identity once the previous
 *   one has its PR; the time from just before the create call to the controller's "opened" event
 *   (PR created; the labels follow one request later). GitHub's write spacing is on (1 s between
 *   content-creating requests, the production default), so the figure includes that pacing.
 * - Requests per PR: every request the app's client sent after the warm-up (installation token
 *   exchange excluded) divided by the PRs opened, split into writes and reads, with the read paths;
 *   for the sequential CSRs and for a BURST created at once with write spacing off.
 * Prints JSON.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import { CertificatesV1Api, type V1CertificateSigningRequest } from "@kubernetes/client-node";
import { builtinTemplates } from "../src/controller/builtin-templates.ts";
import type { ControllerEvents } from "../src/controller/controller-events.ts";
import { CsrController } from "../src/controller/csr-controller.ts";
import { installRequestPolicy } from "../src/github/request-policy.ts";
import { ensureBuilt } from "../test/kube-server/launcher/build.ts";
import { startServer, stopServer } from "../test/kube-server/launcher/server.ts";
import { GitHubSimulator } from "../test/github-sim/simulator.ts";
import { benchCsr, ensureWorker1, kubeConfig } from "./bench-kube.ts";

const SEQUENTIAL = Number(process.env.BENCH_CONTROLLER_SEQUENTIAL ?? 10);
const BURST = Number(process.env.BENCH_CONTROLLER_BURST ?? 10);
const REPO = { owner: "acme", repo: "csr-audit" };

/** Worker-1's kubelet-serving request (bench/bench-kube.ts). */
function servingCsr(name: string, run: string): V1CertificateSigningRequest {
  return benchCsr({ name, run, kind: "serving" });
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? 0;
}

async function newSim(): Promise<GitHubSimulator> {
  return GitHubSimulator.create({
    seed: {
      users: [{ login: "alice", token: "ghp_alice_bench_token_00001" }],
      orgs: [{ login: "acme", members: ["alice"] }],
      repos: [
        {
          owner: "acme",
          name: "csr-audit",
          files: {
            "README.md": "# audit\n",
            ".github/CODEOWNERS": "/clusters/ @alice\n",
            ".github/csr-gitops.yml": "apiVersion: csr-gitops/config-v1\n",
          },
          collaborators: { alice: "write" },
        },
      ],
      app: {
        id: 4242,
        slug: "csr-gitops",
        owner: "acme",
        generate_key: true,
        installations: [{ id: 77, account: "acme", repositories: ["csr-audit"] }],
      },
    },
  });
}

interface Scenario {
  readonly opened: Map<string, number>;
  readonly requests: { method: string; path: string }[];
  readonly controller: CsrController;
  readonly run: string;
}

function scenario(
  sim: GitHubSimulator,
  appKubeconfig: string,
  run: string,
  writeSpacingMs: number,
): Scenario {
  const privateKey = sim.appPrivateKey() ?? "";
  const requests: { method: string; path: string }[] = [];
  const octokit = new Octokit({
    authStrategy: createAppAuth,
    auth: { appId: 4242, privateKey, installationId: 77 },
    request: {
      fetch: (input: string | URL | Request, init?: RequestInit) => {
        const request = new Request(input, init);
        const path = new URL(request.url).pathname;
        if (!path.endsWith("/access_tokens")) requests.push({ method: request.method, path });
        return sim.fetch(request);
      },
    },
    log: {
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
    },
  });
  installRequestPolicy(octokit, {
    // With write spacing on, waits are real (the latency includes them). Without it (the burst),
    // a wait moves the simulator's clock instead: GitHub's secondary limit (80 writes a minute)
    // would otherwise hold a burst of more than about 16 PRs for real minutes (docs/benchmarks.md).
    sleep: (ms) => {
      if (writeSpacingMs > 0) return sleep(ms);
      sim.clock.advance(ms);
      return Promise.resolve();
    },
    now: () => (writeSpacingMs > 0 ? Date.now() : sim.clock.now()),
    writeSpacingMs,
  });
  const opened = new Map<string, number>();
  const events: ControllerEvents = {
    log(level, message, fields) {
      if (level === "warn" || level === "error" || process.env.BENCH_DEBUG !== undefined) {
        process.stderr.write(`${level}: ${message} ${JSON.stringify(fields).slice(0, 400)}\n`);
      }
      if (message === "opened a pull request for a pending CSR") {
        opened.set(String(fields?.uid), performance.now());
      }
    },
    count() {
      // Not measured here.
    },
  };
  const controller = new CsrController({
    clusters: [
      {
        name: "bench",
        kubeConfig: kubeConfig(appKubeconfig),
        labelSelector: `csr-gitops-bench=${run}`,
      },
    ],
    github: octokit,
    repo: REPO,
    baseBranch: "main",
    // As serve runs it: push webhooks reach the controller, so the head is checked only after a
    // push, at a resync or before a final decision, never on a timer.
    defaultBranchPushes: true,
    templates: builtinTemplates(),
    events,
    now: () => Date.now(),
    sleep: (ms) => sleep(ms),
    concurrency: 4,
  });
  return { opened, requests, controller, run };
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await sleep(20);
  }
}

function readsOf(requests: readonly { method: string; path: string }[]): string[] {
  return requests
    .filter((r) => r.method === "GET")
    .map((r) => decodeURIComponent(r.path.replace(/^\/repos\/[^/]+\/[^/]+/, "")));
}

/**
 * The first CSR after start pays the start-up reads (the PR listing, the default branch's head and
 * the audit repo's four files); it is created alone, and its requests are counted apart.
 */
async function warmUp(
  s: Scenario,
  node: CertificatesV1Api,
): Promise<{ requests: number; reads: number; readPaths: string[] }> {
  const csr = await node.createCertificateSigningRequest({
    body: servingCsr(`${s.run}-warm-up`, s.run),
  });
  const uid = csr.metadata?.uid ?? "";
  await waitFor(() => s.opened.has(uid), 60_000);
  await s.controller.idle();
  const counted = s.requests.splice(0);
  return {
    requests: counted.length,
    reads: counted.filter((r) => r.method === "GET").length,
    readPaths: readsOf(counted),
  };
}

const { binary } = await ensureBuilt(process.env, (log) => {
  process.stderr.write(`building the Kubernetes test server first (many minutes); log: ${log}\n`);
});
const stateDir = mkdtempSync(join(tmpdir(), "csr-gitops-bench-"));
const state = await startServer({ binary, stateDir, exitWithPid: process.pid });
try {
  await ensureWorker1(state.kubeconfigs.admin);
  const node = kubeConfig(state.kubeconfigs.node).makeApiClient(CertificatesV1Api);

  // Latency, one CSR at a time, production write spacing.
  const sim1 = await newSim();
  const seq = scenario(sim1, state.kubeconfigs.app, "sequential", 1000);
  await seq.controller.start();
  const seqWarmUp = await warmUp(seq, node);
  const latencies: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i += 1) {
    const started = performance.now();
    const csr = await node.createCertificateSigningRequest({
      body: servingCsr(`seq-${i}`, seq.run),
    });
    const uid = csr.metadata?.uid ?? "";
    if (process.env.BENCH_DEBUG !== undefined) process.stderr.write(`created ${i} ${uid}\n`);
    await waitFor(() => seq.opened.has(uid), 60_000);
    latencies.push((seq.opened.get(uid) ?? 0) - started);
  }
  await seq.controller.idle();
  await seq.controller.stop();
  process.stderr.write(
    `sequential latencies (ms): ${latencies.map((l) => Math.round(l)).join(", ")}; requests ${seq.requests.length}\n`,
  );

  // Requests per PR, a burst, no write spacing.
  const sim2 = await newSim();
  const burst = scenario(sim2, state.kubeconfigs.app, "burst", 0);
  await burst.controller.start();
  const burstWarmUp = await warmUp(burst, node);
  await Promise.all(
    Array.from({ length: BURST }, (_, i) =>
      node.createCertificateSigningRequest({ body: servingCsr(`burst-${i}`, burst.run) }),
    ),
  );
  // A hang guard, not a measurement: on the shared machine under load a burst of 10 took over 2 min.
  await waitFor(() => burst.opened.size === BURST + 1, 600_000);
  await sleep(500);
  await burst.controller.idle();
  await burst.controller.stop();
  const writes = burst.requests.filter((r) => r.method !== "GET").length;
  const reads = burst.requests.length - writes;
  const seqWrites = seq.requests.filter((r) => r.method !== "GET").length;

  process.stdout.write(
    `${JSON.stringify(
      {
        sequential: {
          csrs: SEQUENTIAL,
          createdToPrOpenedMs: {
            median: Math.round(percentile(latencies, 50)),
            p99: Math.round(percentile(latencies, 99)),
            min: Math.round(Math.min(...latencies)),
            max: Math.round(Math.max(...latencies)),
          },
          warmUp: seqWarmUp,
          requestsPerPr: Number((seq.requests.length / SEQUENTIAL).toFixed(2)),
          withWarmUpPerPr: Number(
            ((seq.requests.length + seqWarmUp.requests) / (SEQUENTIAL + 1)).toFixed(2),
          ),
          writesPerPr: Number((seqWrites / SEQUENTIAL).toFixed(2)),
          reads: readsOf(seq.requests),
        },
        burst: {
          csrs: BURST,
          prsOpened: burst.opened.size - 1,
          warmUp: burstWarmUp,
          requestsPerPr: Number((burst.requests.length / BURST).toFixed(2)),
          withWarmUpPerPr: Number(
            ((burst.requests.length + burstWarmUp.requests) / (BURST + 1)).toFixed(2),
          ),
          writesPerPr: Number((writes / BURST).toFixed(2)),
          readsPerPr: Number((reads / BURST).toFixed(2)),
          reads: readsOf(burst.requests),
        },
      },
      null,
      2,
    )}\n`,
  );
  await sim1.close();
  await sim2.close();
} catch (error) {
  // The server's own log says why it stopped answering, if it did.
  const lines = readFileSync(state.log, "utf8").split("\n");
  process.stderr.write(
    [...lines.filter((l) => /panic|fatal|^F\d{4}/i.test(l)).slice(0, 10), ...lines.slice(-5)].join(
      "\n",
    ),
  );
  throw error;
} finally {
  await stopServer(stateDir);
  rmSync(stateDir, { recursive: true, force: true });
}
