/**
 * `npm run bench` (scale part, run from bench/run.ts; alone: `node bench/scale.ts`): a node-pool
 * sized burst of CSRs against the controller with batching on, under GitHub's secondary limits.
 *
 * Method:
 * - A real kube-apiserver (test/kube-server) and the GitHub simulator with its default limits on
 *   (80 content-creating requests a minute, 500 an hour, 5,000 requests an hour), on the
 *   simulator's driven clock (bench/driven-clock.ts): whenever the controller's GitHub requests
 *   only wait (write spacing, a secondary-limit retry-after), simulated time jumps to the end of
 *   the wait. The controller's own clock and timers (batch windows, caches, backoff) are the wall
 *   clock, as creationTimestamps are; simulated time = wall time + the waits skipped.
 * - The controller as `serve` runs it: write spacing 1 s, concurrency 4, cache TTL 10 s, and the
 *   audit repo config `batch: { maxSize: 100, windowSeconds: 30 }`.
 * - SCALE_CSRS (default 1,000) CSRs for `kubernetes.io/kube-apiserver-client` (allowed by the
 *   default policy, no risk tier), each by its own user (the admin impersonating `bench-user-<i>`,
 *   as each node of a pool has its own identity), created with at most 50 requests in flight and
 *   429s retried (docs/benchmarks.md says why). The clock is held while they are created.
 * - Measured in simulated time from the first create: when each CSR's PR was opened (the
 *   controller's event), every PR and the records it adds (duplicates, lost CSRs), and every
 *   request the app's client sent (content-creating = not GET).
 * - Memory: `csr-gitops serve` itself (the built bundle, dry run) over the cluster once
 *   SCALE_MEMORY_CSRS (default 10,000) bench CSRs exist, measured by bench/serve-memory.ts once it
 *   has listed and reconciled them all (docs/benchmarks.md, "Memory of serve").
 * Prints JSON.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import { builtinTemplates } from "../src/controller/builtin-templates.ts";
import type { ControllerEvents } from "../src/controller/controller-events.ts";
import { CsrController } from "../src/controller/csr-controller.ts";
import { parseCsrPath } from "../src/core/record/layout.ts";
import { installRequestPolicy } from "../src/github/request-policy.ts";
import { ensureBuilt } from "../test/kube-server/launcher/build.ts";
import { startServer, stopServer } from "../test/kube-server/launcher/server.ts";
import { startServer as startSimServer } from "../test/github-sim/server.ts";
import { GitHubSimulator } from "../test/github-sim/simulator.ts";
import { allowCsrCreation, BENCH_LABEL, createCsrs, kubeConfig, makeCsrs } from "./bench-kube.ts";
import { DrivenClock } from "./driven-clock.ts";
import { measureServeMemory } from "./serve-memory.ts";

const CSRS = Number(process.env.SCALE_CSRS ?? 1000);
const MEMORY_CSRS = Number(process.env.SCALE_MEMORY_CSRS ?? 10_000);
const root = join(import.meta.dirname, "..");
/**
 * The Node flags and environment the image runs serve with: the Dockerfile's ENTRYPOINT flags
 * (between `node` and the script) and the final stage's `ENV KEY=value` lines.
 */
function imageRuntime(): { nodeFlags: string[]; env: Record<string, string> } {
  const dockerfile = readFileSync(join(root, "Dockerfile"), "utf8");
  const final = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
  const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(final)?.[1];
  const args = entrypoint === undefined ? [] : (JSON.parse(entrypoint) as string[]);
  const env = Object.fromEntries(
    [...final.matchAll(/^ENV ([A-Z_]+)=(\S+)$/gm)].map(([, key = "", value = ""]) => [key, value]),
  );
  return { nodeFlags: args.slice(1, -1), env };
}

/**
 * Builds of the CLI to measure in turn over the same CSRs (comma-separated paths to their
 * `bin/csr-gitops.js`, e.g. another checkout's, built; `this`, this tree's with no flags; or
 * `image`, this tree's with the image's Node flags and NODE_OPTIONS, the default). Each may be
 * followed by Node flags and environment variables, e.g. `this --max-semi-space-size=2
 * MALLOC_ARENA_MAX=2`. Each round measures every build once, so a comparison shares the cluster,
 * the CSRs and the machine's load.
 */
const MEMORY_BINS = (process.env.SCALE_MEMORY_BINS ?? "image").split(",").map((entry) => {
  const [path = "this", ...rest] = entry.trim().split(/\s+/);
  const image = path === "image" ? imageRuntime() : { nodeFlags: [], env: {} };
  const env = {
    ...image.env,
    ...Object.fromEntries(
      rest
        .filter((t) => /^[A-Z_]+=/.test(t))
        .map((t) => [t.slice(0, t.indexOf("=")), t.slice(t.indexOf("=") + 1)]),
    ),
  };
  const nodeFlags = [...image.nodeFlags, ...rest.filter((t) => !/^[A-Z_]+=/.test(t))];
  const bin = path === "this" || path === "image" ? undefined : path;
  const label =
    path === "image"
      ? `${entry.trim()} (${[...nodeFlags, ...Object.entries(env).map(([k, v]) => `${k}=${v}`)].join(" ")})`
      : entry.trim();
  return { label, bin, nodeFlags, env };
});
const MEMORY_ROUNDS = Number(process.env.SCALE_MEMORY_ROUNDS ?? 1);
const REPO = { owner: "acme", repo: "csr-audit" };
const CONFIG = "apiVersion: csr-gitops/config-v1\nbatch:\n  maxSize: 100\n  windowSeconds: 30\n";

function newSim(): Promise<GitHubSimulator> {
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
            ".github/csr-gitops.yml": CONFIG,
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

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined };

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? 0;
}

async function batching(state: { kubeconfigs: { admin: string; app: string } }) {
  const sim = await newSim();
  const clock = new DrivenClock(sim.clock);
  const requests: { method: string; path: string }[] = [];
  const fetch = clock.track((request) => {
    const path = new URL(request.url).pathname;
    if (!path.endsWith("/access_tokens")) requests.push({ method: request.method, path });
    return sim.fetch(request);
  });
  const octokit = new Octokit({
    authStrategy: createAppAuth,
    auth: { appId: 4242, privateKey: sim.appPrivateKey() ?? "", installationId: 77 },
    request: {
      fetch: (input: string | URL | Request, init?: RequestInit) => fetch(new Request(input, init)),
    },
    log: { ...quiet, error: () => undefined },
  });
  const waits = new Map<string, number>();
  installRequestPolicy(octokit, {
    sleep: clock.sleep,
    now: clock.now,
    writeSpacingMs: 1000,
    onWait: (wait) => {
      waits.set(wait.reason, (waits.get(wait.reason) ?? 0) + 1);
    },
  });
  const opened = new Map<string, number>();
  let t0 = clock.now();
  let batchesOpened = 0;
  let singlesOpened = 0;
  const events: ControllerEvents = {
    log(level, message, fields) {
      if (level === "error" || process.env.BENCH_DEBUG !== undefined)
        process.stderr.write(`${level}: ${message} ${JSON.stringify(fields).slice(0, 300)}\n`);
      if (message === "opened a batch pull request for pending CSRs") {
        process.stderr.write(
          `batch of ${String(fields?.size)} opened at +${String(Math.round((clock.now() - t0) / 1000))} s (simulated)\n`,
        );
        batchesOpened += 1;
        for (const uid of (fields?.uids ?? []) as string[]) opened.set(uid, clock.now());
      }
      if (message === "opened a pull request for a pending CSR") {
        singlesOpened += 1;
        opened.set(String(fields?.uid), clock.now());
      }
    },
    count() {
      // Not measured here.
    },
  };
  const run = "scale";
  const controller = new CsrController({
    clusters: [
      {
        name: "bench",
        kubeConfig: kubeConfig(state.kubeconfigs.app),
        labelSelector: `${BENCH_LABEL}=${run}`,
      },
    ],
    github: octokit,
    repo: REPO,
    baseBranch: "main",
    templates: builtinTemplates(),
    events,
    // Kubernetes time is the wall clock (creationTimestamp, batch windows, caches); only GitHub's
    // waits (write spacing, retry-after) run on the driven clock, through the request policy.
    now: () => Date.now(),
    sleep: (ms) => sleep(ms),
    snapshotMaxAgeMs: 60_000,
    concurrency: 4,
  });
  const bodies = makeCsrs(run, CSRS);
  clock.start();
  await controller.start();
  t0 = clock.now();
  const wall0 = performance.now();
  const created = await createCsrs(state.kubeconfigs.admin, bodies);
  const createdSimS = (clock.now() - t0) / 1000;
  const createdWallS = (performance.now() - wall0) / 1000;
  clock.hold(false);
  const deadline = performance.now() + 30 * 60_000;
  while (opened.size < CSRS && performance.now() < deadline) await sleep(100);
  const lastOpenedS = (Math.max(...opened.values()) - t0) / 1000;
  await controller.idle();
  await controller.stop();
  const counted = [...requests];

  // Every PR and the records it adds, read as a reviewer (not counted).
  const reviewer = new Octokit({
    auth: "ghp_alice_bench_token_00001",
    request: {
      fetch: (input: string | URL | Request, init?: RequestInit) =>
        sim.fetch(new Request(input, init)),
    },
    log: { ...quiet, error: () => undefined },
  });
  installRequestPolicy(reviewer, { sleep: clock.sleep, now: clock.now, writeSpacingMs: 0 });
  const pulls = await reviewer.paginate(reviewer.rest.pulls.list, {
    ...REPO,
    state: "all",
    per_page: 100,
  });
  const holders = new Map<string, number>();
  for (const pull of pulls) {
    const files = await reviewer.paginate(reviewer.rest.pulls.listFiles, {
      ...REPO,
      pull_number: pull.number,
      per_page: 100,
    });
    for (const f of files) {
      const parsed = parseCsrPath(f.filename);
      if (parsed.ok && parsed.value.kind === "record")
        holders.set(parsed.value.key.uid, (holders.get(parsed.value.key.uid) ?? 0) + 1);
    }
  }
  clock.stop();
  await sim.close();
  const writes = counted.filter((r) => r.method !== "GET");
  const byPath = new Map<string, number>();
  for (const w of writes) {
    const kind = `${w.method} ${w.path
      .replace(/\/repos\/acme\/csr-audit/, "")
      .replace(/\/\d+/g, "/N")
      .replace(/\/refs\/.*/, "/refs")}`;
    byPath.set(kind, (byPath.get(kind) ?? 0) + 1);
  }
  const latencies = created.uids.map((uid) => ((opened.get(uid) ?? Number.NaN) - t0) / 1000);
  return {
    csrs: CSRS,
    created: {
      count: created.uids.length,
      wallSeconds: Math.round(createdWallS),
      simSeconds: Math.round(createdSimS),
      retried429: created.retries429,
    },
    everyCsrInAPrWithinSimSeconds: Math.round(lastOpenedS),
    createdToPrOpenedSimSeconds: {
      median: Math.round(percentile(latencies, 50)),
      p99: Math.round(percentile(latencies, 99)),
    },
    pullRequests: pulls.length,
    batchPullRequests: batchesOpened,
    singlePullRequests: singlesOpened,
    csrsInExactlyOnePr: created.uids.filter((u) => holders.get(u) === 1).length,
    csrsInSeveralPrs: created.uids.filter((u) => (holders.get(u) ?? 0) > 1).length,
    csrsInNoPr: created.uids.filter((u) => !holders.has(u)).length,
    contentCreatingRequests: writes.length,
    contentCreatingPerCsr: Number((writes.length / CSRS).toFixed(3)),
    perCsrDesignContentCreatingPerCsr: 5,
    requestsPerCsr: Number((counted.length / CSRS).toFixed(3)),
    writesByKind: Object.fromEntries(byPath),
    githubWaits: Object.fromEntries(waits),
    simSecondsSkippedByDriving: Math.round(clock.skippedMs / 1000),
  };
}

/**
 * `csr-gitops serve` (the built bundle, as deployed) over a cluster holding MEMORY_CSRS pending
 * CSRs: its resident memory once it has listed and reconciled them all (bench/serve-memory.ts).
 */
async function memory(state: { kubeconfigs: { admin: string; app: string } }, dir: string) {
  const run = "memory";
  const keys0 = performance.now();
  const bodies = makeCsrs(run, MEMORY_CSRS);
  const keysSeconds = Math.round((performance.now() - keys0) / 1000);
  const wall0 = performance.now();
  const created = await createCsrs(state.kubeconfigs.admin, bodies);
  const createSeconds = Math.round((performance.now() - wall0) / 1000);
  process.stderr.write(
    `memory: ${String(created.uids.length)} CSRs created in ${String(createSeconds)} s (${String(created.retries429)} 429s retried)\n`,
  );
  // The serving process runs the built CLI, as the image does: bundle it from this tree.
  execFileSync(process.execPath, [join(root, "scripts", "build.ts")], { stdio: "inherit" });
  const sim = await newSim();
  const server = await startSimServer(sim);
  const keyFile = join(dir, "app.pem");
  writeFileSync(keyFile, sim.appPrivateKey() ?? "", { mode: 0o600 });
  try {
    const snapshotDir = process.env.SCALE_MEMORY_HEAP_SNAPSHOT;
    const runs: Record<string, unknown>[] = [];
    for (let round = 0; round < MEMORY_ROUNDS; round += 1) {
      for (const { label, bin, nodeFlags, env } of MEMORY_BINS) {
        process.stderr.write(`memory: round ${String(round + 1)}, ${label}\n`);
        const measured = await measureServeMemory({
          ...(bin === undefined ? {} : { bin }),
          nodeFlags,
          leaseName: `csr-gitops-bench-memory-${String(runs.length)}`,
          kubeconfig: state.kubeconfigs.app,
          context: kubeConfig(state.kubeconfigs.app).currentContext,
          githubUrl: server.url,
          privateKeyPath: keyFile,
          labelSelector: `${BENCH_LABEL}=${run}`,
          expect: MEMORY_CSRS,
          extraEnv: {
            ...env,
            ...(snapshotDir === undefined
              ? {}
              : {
                  NODE_OPTIONS: `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${snapshotDir}`,
                }),
          },
          ...(snapshotDir === undefined
            ? {}
            : {
                // A heap snapshot of the settled process, for analysis (not part of the figure).
                whenSettled: async (pid) => {
                  process.kill(pid, "SIGUSR2");
                  await sleep(60_000);
                },
              }),
          ...(process.env.SCALE_MEMORY_MALLOC_STATS === "1"
            ? {
                // The C library allocator's arenas of the settled process (gdb), then how much
                // RSS malloc_trim(0) gives back: memory malloc holds free (after the figure).
                whenSettled: (pid) => {
                  const rssKiB = () =>
                    /^VmRSS:\s+(\d+)/m.exec(
                      readFileSync(`/proc/${String(pid)}/status`, "utf8"),
                    )?.[1];
                  const before = rssKiB();
                  execFileSync(
                    "gdb",
                    [
                      "-p",
                      String(pid),
                      "-batch",
                      "-ex",
                      "call (void)malloc_stats()",
                      "-ex",
                      "call (int)malloc_trim(0)",
                    ],
                    { stdio: ["ignore", "ignore", "inherit"] },
                  );
                  process.stderr.write(
                    `malloc_trim(0): VmRSS ${String(before)} kB -> ${String(rssKiB())} kB\n`,
                  );
                  return Promise.resolve();
                },
              }
            : {}),
        });
        const result = { round: round + 1, build: label, ...measured };
        process.stderr.write(`${JSON.stringify(result)}\n`);
        runs.push(result);
      }
    }
    return {
      csrsInCluster: created.uids.length,
      keysSeconds,
      createSeconds,
      retried429: created.retries429,
      runs,
    };
  } finally {
    await server.close();
    await sim.close();
  }
}

const { binary } = await ensureBuilt(process.env, (log) => {
  process.stderr.write(`building the Kubernetes test server first (many minutes); log: ${log}\n`);
});
const stateDir = mkdtempSync(join(tmpdir(), "csr-gitops-scale-"));
const state = await startServer({ binary, stateDir, exitWithPid: process.pid });
try {
  await allowCsrCreation(state.kubeconfigs.admin);
  const result: Record<string, unknown> = { benchmark: "scale", node: process.version };
  if (CSRS > 0) result.batching = await batching(state);
  process.stderr.write(`${JSON.stringify(result)}\n`);
  if (MEMORY_CSRS > 0) result.memory = await memory(state, stateDir);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await stopServer(stateDir);
  rmSync(stateDir, { recursive: true, force: true });
}
