/**
 * `npm run bench`: decode + verify + evaluate over a corpus of 10,000 mixed, real CSRs, beside a
 * Go approver's path over the same corpus (bench/go/, see go-reference.ts).
 *
 * Method: the corpus is generated first (real keys, real PKCS#10, shaped like kubelet and user
 * requests) and not timed. One warm-up pass each, then ROUNDS timed passes over the whole corpus on
 * one thread (one core), a Node pass and a Go pass alternating (which goes first alternates too), so
 * both see the same machine load. A pass goes key type by key type. Prints JSON: CSRs/s by wall
 * clock and by the process's CPU time for each pass and their medians, for both, the ratios
 * project/Go of the medians, the median CPU microseconds per CSR by key type, and next to them the
 * cost of the bare signature verification by key type in node:crypto and in Go.
 * With BENCH_BASELINE=REV (e.g. main before a change) another revision's decoder and policy run
 * in the same process over the same corpus, their passes in turn with this tree's and Go's.
 * Then the scale benchmark (bench/scale.ts) as a process of its own, unless BENCH_SCALE=0.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { decodeCsrObject } from "../src/core/csr/decode.ts";
import { DEFAULT_POLICY, evaluate } from "../src/core/policy/index.ts";
import {
  kubeletClient,
  kubeletServing,
  makeCsrObject,
  userClient,
} from "../test/support/make-csr.ts";
import type { MakeCsrObjectOptions } from "../test/support/make-csr.ts";
import { startGoReference, type GoPass } from "./go-reference.ts";
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

function requestOf(object: Record<string, unknown>): string {
  const spec = object.spec as { request?: unknown } | undefined;
  if (typeof spec?.request !== "string") throw new Error("corpus object without spec.request");
  return spec.request;
}

/** What a pass times: decode one object and judge it by the default policy. */
type Judge = (object: Record<string, unknown>) => boolean;

const judge: Judge = (object) =>
  evaluate(DEFAULT_POLICY, decodeCsrObject(object)).decision === "allow";

/**
 * Another revision's decoder and policy (BENCH_BASELINE), extracted with `git archive` under
 * .cache/ in this tree so that it resolves this tree's node_modules; removed after the run.
 */
async function baselineJudge(rev: string): Promise<{ judge: Judge; rev: string; root: string }> {
  const sha = execFileSync("git", ["rev-parse", "--verify", `${rev}^{commit}`])
    .toString()
    .trim();
  const root = join(import.meta.dirname, "..", ".cache", `bench-baseline-${sha}`);
  mkdirSync(root, { recursive: true });
  execFileSync("tar", ["-x", "-C", root], { input: execFileSync("git", ["archive", sha, "src"]) });
  const load = async <T>(path: string): Promise<T> =>
    (await import(pathToFileURL(join(root, path)).href)) as T;
  const csr = await load<{ decodeCsrObject: typeof decodeCsrObject }>("src/core/csr/decode.ts");
  const policy = await load<{ DEFAULT_POLICY: typeof DEFAULT_POLICY; evaluate: typeof evaluate }>(
    "src/core/policy/index.ts",
  );
  return {
    rev: `${rev} (${sha.slice(0, 12)})`,
    root,
    judge: (object) =>
      policy.evaluate(policy.DEFAULT_POLICY, csr.decodeCsrObject(object)).decision === "allow",
  };
}

function allowedCount(corpus: readonly Sample[], allow: Judge): number {
  return corpus.filter((s) => allow(s.object)).length;
}

/** CPU time of this process so far (user + system, every thread), in µs. */
function cpuMicroseconds(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

interface Pass {
  readonly csrsPerSecond: number;
  readonly cpuCsrsPerSecond: number;
  readonly cpuMicrosecondsByKey: ReadonlyMap<KeyType, number>;
}

/** One pass over the corpus, key type by key type (as the Go reference does). */
function pass(groups: readonly (readonly Sample[])[], allow: Judge = judge): Pass {
  const perKey = new Map<KeyType, number>();
  let allowed = 0;
  let total = 0;
  const started = performance.now();
  const startedCpu = cpuMicroseconds();
  for (const group of groups) {
    const groupCpu = cpuMicroseconds();
    for (const sample of group) {
      if (allow(sample.object)) allowed++;
    }
    const key = group[0]?.key;
    if (key !== undefined) perKey.set(key, (cpuMicroseconds() - groupCpu) / group.length);
    total += group.length;
  }
  const elapsed = performance.now() - started;
  if (allowed === 0) throw new Error("benchmark corpus produced no allowed CSR: check the corpus");
  return {
    csrsPerSecond: (total / elapsed) * 1000,
    cpuCsrsPerSecond: (total / (cpuMicroseconds() - startedCpu)) * 1e6,
    cpuMicrosecondsByKey: perKey,
  };
}

const generationStart = performance.now();
const corpus = buildCorpus(CORPUS_SIZE);
const generationSeconds = (performance.now() - generationStart) / 1000;

const corpusDir = mkdtempSync(join(tmpdir(), "csr-bench-"));
const go = startGoReference(
  corpus.map((s) => ({ key: s.key, request: requestOf(s.object) })),
  join(corpusDir, "corpus.txt"),
);

const base =
  process.env.BENCH_BASELINE === undefined
    ? undefined
    : await baselineJudge(process.env.BENCH_BASELINE);
const groups = keyTypes.map((k) => corpus.filter((s) => s.key === k));
pass(groups);
if (base !== undefined) pass(groups, base.judge);
await go.pass();
const rounds: Pass[] = [];
const baseRounds: Pass[] = [];
const goRounds: GoPass[] = [];
// Each round runs every side once, in an order that rotates from round to round.
const sides: (() => Promise<unknown>)[] = [
  () => Promise.resolve(rounds.push(pass(groups))),
  async () => goRounds.push(await go.pass()),
  ...(base === undefined ? [] : [() => Promise.resolve(baseRounds.push(pass(groups, base.judge)))]),
];
for (let r = 0; r < ROUNDS; r++) {
  for (let i = 0; i < sides.length; i++) await sides[(r + i) % sides.length]?.();
}
const goFloor = await go.floor();
go.close();
rmSync(corpusDir, { recursive: true, force: true });
if (base !== undefined) rmSync(base.root, { recursive: true, force: true });

const round1 = (n: number): number => Math.round(n * 10) / 10;
const ratio = (a: number, b: number): number => Math.round((a / b) * 100) / 100;
const wall = median(rounds.map((r) => r.csrsPerSecond));
const cpu = median(rounds.map((r) => r.cpuCsrsPerSecond));
const goWall = median(goRounds.map((g) => g.csrsPerSecond));
const goCpu = median(goRounds.map((g) => g.cpuCsrsPerSecond));
const result = {
  benchmark: "decode + verify + evaluate (default policy), beside Go's parse + verify + policy",
  node: process.version,
  go: go.goVersion,
  corpus: CORPUS_SIZE,
  rounds: ROUNDS,
  corpusGenerationSeconds: round1(generationSeconds),
  csrsPerSecond: {
    median: Math.round(wall),
    perRound: rounds.map((r) => Math.round(r.csrsPerSecond)),
  },
  goCsrsPerSecond: {
    median: Math.round(goWall),
    perRound: goRounds.map((g) => Math.round(g.csrsPerSecond)),
  },
  ratioProjectToGo: ratio(wall, goWall),
  cpuCsrsPerSecond: {
    median: Math.round(cpu),
    perRound: rounds.map((r) => Math.round(r.cpuCsrsPerSecond)),
  },
  goCpuCsrsPerSecond: {
    median: Math.round(goCpu),
    perRound: goRounds.map((g) => Math.round(g.cpuCsrsPerSecond)),
  },
  cpuRatioProjectToGo: ratio(cpu, goCpu),
  allowed: { project: allowedCount(corpus, judge), go: goRounds[0]?.allowed },
  cpuMicrosecondsPerCsrByKey: Object.fromEntries(
    keyTypes.map((k) => [
      k,
      round1(median(rounds.map((r) => r.cpuMicrosecondsByKey.get(k) ?? NaN))),
    ]),
  ),
  goCpuMicrosecondsPerCsrByKey: Object.fromEntries(
    keyTypes.map((k) => [k, round1(median(goRounds.map((g) => g.cpuMicrosecondsByKey[k] ?? NaN)))]),
  ),
  signatureVerifyOnlyMicrosecondsByKey: Object.fromEntries(
    keyTypes.map((k) => [k, round1(verifyFloor(k))]),
  ),
  goSignatureVerifyOnlyMicrosecondsByKey: Object.fromEntries(
    keyTypes.map((k) => [k, round1(goFloor.cpuMicrosecondsByKey[k] ?? NaN)]),
  ),
  heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 1024 / 1024),
  ...(base === undefined
    ? {}
    : {
        baseline: {
          rev: base.rev,
          allowed: allowedCount(corpus, base.judge),
          cpuCsrsPerSecond: {
            median: Math.round(median(baseRounds.map((r) => r.cpuCsrsPerSecond))),
            perRound: baseRounds.map((r) => Math.round(r.cpuCsrsPerSecond)),
          },
          cpuRatioProjectToGo: ratio(median(baseRounds.map((r) => r.cpuCsrsPerSecond)), goCpu),
          csrsPerSecond: Math.round(median(baseRounds.map((r) => r.csrsPerSecond))),
          ratioProjectToGo: ratio(median(baseRounds.map((r) => r.csrsPerSecond)), goWall),
          cpuMicrosecondsPerCsrByKey: Object.fromEntries(
            keyTypes.map((k) => [
              k,
              round1(median(baseRounds.map((r) => r.cpuMicrosecondsByKey.get(k) ?? NaN))),
            ]),
          ),
        },
        /** This tree's CPU throughput over the baseline's, medians of the same run. */
        speedupOverBaseline: ratio(cpu, median(baseRounds.map((r) => r.cpuCsrsPerSecond))),
      }),
};
process.stdout.write(JSON.stringify(result, null, 2) + "\n");

if (process.env.BENCH_SCALE !== "0") {
  // Its own process: it measures its child's memory, and its clock must not share this one's.
  const scale = spawnSync(process.execPath, [join(import.meta.dirname, "scale.ts")], {
    stdio: "inherit",
  });
  if (scale.status !== 0) process.exitCode = scale.status ?? 1;
}
