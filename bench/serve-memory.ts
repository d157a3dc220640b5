/**
 * The memory figure of bench/scale.ts: `csr-gitops serve` as a deployment runs it (the built
 * CLI, `bin/csr-gitops.js serve`, settings from the environment only) against the kube test server
 * and the GitHub simulator over HTTP, in dry-run mode (it reconciles every CSR, decides and
 * renders, and logs the writes instead of making them, so GitHub's write limits do not pace it).
 *
 * Settled means: the informer holds every expected CSR (serve's own pending gauge says so), each
 * has been reconciled at least once (serve's `reconciled` debug lines), and no reconcile was
 * logged for QUIET_MS. Then the process's resident memory is read from /proc (VmRSS; VmHWM is the
 * peak so far) once a second for SAMPLE_MS, and its heap from its own /metrics (prom-client's
 * process metrics). Nothing forces a garbage collection: the figure is what a deployment sees.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";

export interface ServeMemoryOptions {
  readonly kubeconfig: string;
  readonly context: string;
  readonly githubUrl: string;
  readonly privateKeyPath: string;
  readonly labelSelector: string;
  /** CSRs the informer must hold (all pending). */
  readonly expect: number;
  /** Extra environment for the process (e.g. NODE_OPTIONS for a heap snapshot). */
  readonly extraEnv?: Readonly<Record<string, string>>;
  /** The CLI to run (default: this tree's `bin/csr-gitops.js`; another build to compare). */
  readonly bin?: string;
  /** Node flags before the script (as the image's entry point gives them). */
  readonly nodeFlags?: readonly string[];
  /** The leader Lease's name (each run in one cluster its own, so none waits for another's). */
  readonly leaseName?: string;
  /** Called once settled, with the process id, before it is stopped. */
  readonly whenSettled?: (pid: number) => Promise<void>;
}

export interface ServeMemory {
  readonly rssMiB: { readonly atSettle: number; readonly min: number; readonly max: number };
  readonly peakRssMiB: number;
  readonly heapUsedMiB: number;
  readonly heapTotalMiB: number;
  readonly externalMiB: number;
  /** Used / size of V8's heap spaces at the last reading (new, old, code, large objects). */
  readonly heapSpacesMiB: Readonly<
    Record<string, { readonly used: number; readonly size: number }>
  >;
  readonly rssBeforeListMiB: number;
  readonly reconciled: number;
  readonly listAndReconcileSeconds: number;
  /**
   * Whether serve held the leader Lease from the start to the last sample, all expected CSRs
   * cached (a leader that loses the Lease stops its controller and drops its cache, which would
   * flatter the figure). When false, `leaderLostAtSeconds` says when (from start).
   */
  readonly leaderThroughout: boolean;
  readonly leaderLostAtSeconds?: number;
  /** Lease reads or writes that failed (each a warning of serve's). */
  readonly leaseErrors: number;
  /** The longest event-loop delay serve saw between two scrapes (about one a second), in ms. */
  readonly maxEventLoopLagMs: number;
}

const QUIET_MS = 10_000;
const SAMPLE_MS = 30_000;
const root = join(import.meta.dirname, "..");

const mib = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** VmRSS and VmHWM of a process, in bytes. */
function procMemory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${String(pid)}/status`, "utf8");
  const kib = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
    return Number(match?.[1] ?? Number.NaN) * 1024;
  };
  return { rss: kib("VmRSS"), peak: kib("VmHWM") };
}

/** One sample of a prom-client metric (no labels, or the first series). */
function metric(text: string, name: string): number {
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, "m").exec(text);
  return Number(match?.[1] ?? Number.NaN);
}

/** prom-client's per-space heap gauges: `<prefix>nodejs_heap_space_size_<kind>_bytes{space="old"}`. */
function heapSpaces(text: string): Record<string, { used: number; size: number }> {
  const spaces: Record<string, { used: number; size: number }> = {};
  for (const match of text.matchAll(
    /^csr_gitops_nodejs_heap_space_size_(used|total)_bytes\{space="([a-z_]+)"\} ([0-9.e+-]+)$/gm,
  )) {
    const [, kind, space, value] = match;
    if (kind === undefined || space === undefined || value === undefined) continue;
    const entry = (spaces[space] ??= { used: 0, size: 0 });
    if (kind === "used") entry.used = mib(Number(value));
    else entry.size = mib(Number(value));
  }
  return spaces;
}

export async function measureServeMemory(options: ServeMemoryOptions): Promise<ServeMemory> {
  const child = spawn(
    process.execPath,
    [...(options.nodeFlags ?? []), options.bin ?? join(root, "bin", "csr-gitops.js"), "serve"],
    {
      env: {
        PATH: process.env.PATH ?? "",
        ...options.extraEnv,
        APP_ID: "4242",
        PRIVATE_KEY_PATH: options.privateKeyPath,
        WEBHOOK_SECRET: "bench-webhook-secret-0123456789",
        GHE_HOST: new URL(options.githubUrl).host,
        GHE_PROTOCOL: "http",
        CSR_GITOPS_AUDIT_REPO: "acme/csr-audit",
        CSR_GITOPS_CLUSTERS: `bench=${options.context}`,
        KUBECONFIG: options.kubeconfig,
        CSR_GITOPS_LABEL_SELECTOR: options.labelSelector,
        CSR_GITOPS_DRY_RUN: "true",
        CSR_GITOPS_LEASE_NAME: options.leaseName ?? "csr-gitops-bench-memory",
        // No resync during the measurement: on a loaded machine one pass over 10,000 CSRs takes
        // longer than the default 5 minutes, and the queue would never settle.
        CSR_GITOPS_RESYNC_SECONDS: "3600",
        LOG_LEVEL: "debug",
        PORT: "0",
        HOST: "127.0.0.1",
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const pid = child.pid ?? 0;
  let port: number | undefined;
  let reconciled = 0;
  let lastReconcile = performance.now();
  let errors = 0;
  let leaderLostAt: number | undefined;
  let leaseErrors = 0;
  const spawned = performance.now();
  createInterface({ input: child.stdout }).on("line", (line) => {
    let entry: { msg?: unknown; port?: unknown; level?: unknown };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      return;
    }
    if (entry.msg === "serving" && typeof entry.port === "number") port = entry.port;
    if (entry.msg === "lost the leader Lease: controller stopped")
      leaderLostAt ??= Math.round((performance.now() - spawned) / 1000);
    if (entry.msg === "leader election: Lease read or write failed") leaseErrors += 1;
    if (entry.msg === "reconciled") {
      reconciled += 1;
      lastReconcile = performance.now();
    }
    // Warnings and errors (a reconcile that failed and will be retried) are shown, the first few.
    if (typeof entry.level === "number" && entry.level >= 40 && errors++ < 10)
      process.stderr.write(`serve: ${line.slice(0, 400)}\n`);
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  try {
    const started = performance.now();
    while (port === undefined) {
      if (child.exitCode !== null) throw new Error("serve exited before it listened");
      await sleep(100);
    }
    const rssBeforeList = procMemory(pid).rss;
    const url = `http://127.0.0.1:${String(port)}/metrics`;
    const scrape = async (): Promise<string> => (await fetch(url)).text();
    let lastLog = 0;
    let maxLag = 0;
    for (;;) {
      if (child.exitCode !== null) throw new Error("serve exited while listing");
      const page = await scrape();
      const pending = metric(page, "csr_gitops_pending_csrs");
      maxLag = Math.max(maxLag, metric(page, "csr_gitops_nodejs_eventloop_lag_max_seconds") || 0);
      const quiet = performance.now() - lastReconcile >= QUIET_MS;
      if (pending === options.expect && reconciled >= options.expect && quiet) break;
      if (performance.now() - lastLog > 30_000) {
        lastLog = performance.now();
        process.stderr.write(
          `serve memory: ${String(pending)} CSRs cached, ${String(reconciled)} reconciles, RSS ${String(mib(procMemory(pid).rss))} MiB, longest event-loop delay ${String(Math.round(maxLag * 1000))} ms\n`,
        );
      }
      await sleep(1000);
    }
    const listAndReconcileSeconds = Math.round((performance.now() - started - QUIET_MS) / 1000);
    const atSettle = procMemory(pid).rss;
    const samples = [atSettle];
    const deadline = performance.now() + SAMPLE_MS;
    while (performance.now() < deadline) {
      await sleep(1000);
      samples.push(procMemory(pid).rss);
    }
    const text = await scrape();
    maxLag = Math.max(maxLag, metric(text, "csr_gitops_nodejs_eventloop_lag_max_seconds") || 0);
    const pendingAtEnd = metric(text, "csr_gitops_pending_csrs");
    const peak = procMemory(pid).peak;
    await options.whenSettled?.(pid);
    return {
      rssMiB: {
        atSettle: mib(atSettle),
        min: mib(Math.min(...samples)),
        max: mib(Math.max(...samples)),
      },
      peakRssMiB: mib(peak),
      heapUsedMiB: mib(metric(text, "csr_gitops_nodejs_heap_size_used_bytes")),
      heapTotalMiB: mib(metric(text, "csr_gitops_nodejs_heap_size_total_bytes")),
      externalMiB: mib(metric(text, "csr_gitops_nodejs_external_memory_bytes")),
      heapSpacesMiB: heapSpaces(text),
      rssBeforeListMiB: mib(rssBeforeList),
      reconciled,
      listAndReconcileSeconds,
      leaderThroughout: leaderLostAt === undefined && pendingAtEnd === options.expect,
      ...(leaderLostAt === undefined ? {} : { leaderLostAtSeconds: leaderLostAt }),
      leaseErrors,
      maxEventLoopLagMs: Math.round(maxLag * 1000),
    };
  } finally {
    if (child.exitCode === null) child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    await exited;
    clearTimeout(timer);
  }
}
