/**
 * The memory half of bench/scale.ts, as a process of its own: the controller as `serve` runs it
 * (its informer caches every CSR, its queue reconciles each once) in dry-run mode against the
 * GitHub simulator over HTTP, so no PR is opened. Prints JSON with the resident memory (RSS) once
 * the informer holds SCALE_RSS_EXPECT CSRs and the queue is idle, after a garbage collection.
 */
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import { KubeConfig } from "@kubernetes/client-node";
import { builtinTemplates } from "../src/controller/builtin-templates.ts";
import { CsrController } from "../src/controller/csr-controller.ts";
import { installRequestPolicy } from "../src/github/request-policy.ts";

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

const expected = Number(env("SCALE_RSS_EXPECT"));
const kubeConfig = new KubeConfig();
kubeConfig.loadFromFile(env("SCALE_RSS_KUBECONFIG"));
const octokit = new Octokit({
  authStrategy: createAppAuth,
  auth: { appId: 4242, privateKey: readFileSync(env("SCALE_RSS_KEY"), "utf8"), installationId: 77 },
  baseUrl: env("SCALE_RSS_GITHUB"),
  log: {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
  },
});
installRequestPolicy(octokit, {
  sleep: (ms) => sleep(ms),
  now: () => Date.now(),
  writeSpacingMs: 0,
});
let reconciled = 0;
const before = process.memoryUsage().rss;
const controller = new CsrController({
  clusters: [{ name: "bench", kubeConfig, labelSelector: env("SCALE_RSS_SELECTOR") }],
  github: octokit,
  repo: { owner: "acme", repo: "csr-audit" },
  baseBranch: "main",
  templates: builtinTemplates(),
  events: {
    log(_level, message) {
      if (message === "reconciled") reconciled += 1;
    },
    count() {
      // Not measured here.
    },
  },
  now: () => Date.now(),
  sleep: (ms) => sleep(ms),
  dryRun: true,
  snapshotMaxAgeMs: 60_000,
  concurrency: 4,
});
const started = performance.now();
await controller.start();
while (reconciled < expected) await sleep(200);
await controller.idle();
const seconds = (performance.now() - started) / 1000;
globalThis.gc?.();
await sleep(1000);
const usage = process.memoryUsage();
const mib = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;
process.stdout.write(
  JSON.stringify({
    rssMiB: mib(usage.rss),
    rssAtStartMiB: mib(before),
    heapUsedMiB: mib(usage.heapUsed),
    externalMiB: mib(usage.external),
    reconciled,
    listAndReconcileSeconds: Math.round(seconds),
  }),
);
await controller.stop();
