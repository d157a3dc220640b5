/**
 * `npm run bench`: decode + verify + evaluate over a corpus of 10,000 mixed, real CSRs.
 *
 * Method: the corpus is generated first (real keys, real PKCS#10, shaped like kubelet and user
 * requests) and not timed. One warm-up pass, then ROUNDS timed passes over the whole corpus on one
 * thread (one core). Prints JSON: CSRs/s for each pass and their median, and the median
 * microseconds per CSR by key type, next to the cost of the bare signature verification by key type.
 * Then the scale benchmark (bench/scale.ts) as a process of its own, unless BENCH_SCALE=0.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { decodeCsrObject } from "../src/core/csr/decode.ts";
import { DEFAULT_POLICY, evaluate } from "../src/core/policy/index.ts";
import {
  kubeletClient,
  kubeletServing,
  makeCsrObject,
  userClient,
} from "../test/support/make-csr.ts";
import type { MakeCsrObjectOptions } from "../test/support/make-csr.ts";
import { verifyFloor } from "./verify-floor.ts";

const CORPUS_SIZE = Number(process.env.BENCH_CORPUS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const keyTypes = ["rsa2048", "rsa3072", "rsa4096", "p256", "p384", "ed25519"] as const;
type KeyType = (typeof keyTypes)[number];

interface Sample {
  readonly key: KeyType;
  readonly object: Record<string, unknown>;
}

function buildCorpus(size: number): Sample[] {
  const shapes = [
    (i: number) => kubeletServing(`worker-${i}`),
    (i: number) => kubeletClient(`worker-${i}`),
    (i: number) => userClient(`user-${i}`, ["team-a"]),
  ];
  const corpus: Sample[] = [];
  for (let i = 0; i < size; i++) {
    const key = keyTypes[i % keyTypes.length] ?? "p256";
    // Every key type gets every shape: the shape changes once per cycle of key types.
    const shape = shapes[Math.floor(i / keyTypes.length) % shapes.length];
    if (shape === undefined) throw new Error("no CSR shapes");
    const options: MakeCsrObjectOptions = { ...shape(i), key };
    corpus.push({ key, object: makeCsrObject({ ...options, name: `csr-${i}` }) });
  }
  return corpus;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function pass(corpus: readonly Sample[], perKey: Map<KeyType, number[]>): number {
  const totals = new Map<KeyType, number>();
  let allowed = 0;
  const started = performance.now();
  for (const sample of corpus) {
    const t0 = performance.now();
    const verdict = evaluate(DEFAULT_POLICY, decodeCsrObject(sample.object));
    totals.set(sample.key, (totals.get(sample.key) ?? 0) + performance.now() - t0);
    if (verdict.decision === "allow") allowed++;
  }
  const elapsed = performance.now() - started;
  if (allowed === 0) throw new Error("benchmark corpus produced no allowed CSR: check the corpus");
  for (const key of keyTypes) {
    const count = corpus.filter((s) => s.key === key).length;
    perKey.get(key)?.push(((totals.get(key) ?? 0) * 1000) / count);
  }
  return (corpus.length / elapsed) * 1000;
}

const generationStart = performance.now();
const corpus = buildCorpus(CORPUS_SIZE);
const generationSeconds = (performance.now() - generationStart) / 1000;

const perKey = new Map<KeyType, number[]>(keyTypes.map((k) => [k, []]));
pass(corpus, new Map());
const rounds: number[] = [];
for (let r = 0; r < ROUNDS; r++) rounds.push(pass(corpus, perKey));

const result = {
  benchmark: "decode + verify + evaluate (default policy)",
  node: process.version,
  corpus: CORPUS_SIZE,
  rounds: ROUNDS,
  corpusGenerationSeconds: Math.round(generationSeconds * 10) / 10,
  csrsPerSecond: {
    median: Math.round(median(rounds)),
    perRound: rounds.map((r) => Math.round(r)),
  },
  microsecondsPerCsrByKey: Object.fromEntries(
    keyTypes.map((k) => [k, Math.round(median(perKey.get(k) ?? []) * 10) / 10]),
  ),
  signatureVerifyOnlyMicrosecondsByKey: Object.fromEntries(
    keyTypes.map((k) => [k, Math.round(verifyFloor(k) * 10) / 10]),
  ),
  heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 1024 / 1024),
};
process.stdout.write(JSON.stringify(result, null, 2) + "\n");

if (process.env.BENCH_SCALE !== "0") {
  // Its own process: it measures its child's memory, and its clock must not share this one's.
  const scale = spawnSync(process.execPath, [join(import.meta.dirname, "scale.ts")], {
    stdio: "inherit",
  });
  if (scale.status !== 0) process.exitCode = scale.status ?? 1;
}
