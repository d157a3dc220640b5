/**
 * `npm run bench` (second part): the audit ledger of 10,000 records from a local clone.
 *
 * Method: a bare repository with BENCH_AUDIT_RECORDS records (default 10,000) is generated first
 * and not timed (bench/audit-fixture.ts: per CSR a PR commit, a merge commit and a receipt commit,
 * 30,001 commits). Then timed runs of what `audit --repo PATH` does: read the history (one
 * `git log` pass, then `git cat-file --batch` for the blobs and for the commits), parse records and
 * receipt files ahead on worker threads (records while the commits are read), build and verify the
 * ledger, build the report. BENCH_AUDIT_COLD_ROUNDS cold runs (a
 * fresh record cache each: the first audit of a repository), then BENCH_ROUNDS warm runs (records
 * known by blob SHA, as in `--watch` or with `--cache-dir`). With BENCH_AUDIT_BASELINE=REV the
 * audit code of that revision runs cold too, alternating with this tree's on the same fixture.
 * The fixture's receipts are not signed (git fast-import cannot write signatures), so the cost of
 * checking signatures is timed apart: one real SSH-signed commit verified 10,000 times in-process.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";
import { buildLedger } from "../src/audit/build-ledger.ts";
import { FORMATS } from "../src/audit/formats.ts";
import { readClone } from "../src/audit/git/read-clone.ts";
import { parseRawCommit } from "../src/audit/git/raw-commit.ts";
import { checkCommitSignature, parseTrustedKeys } from "../src/audit/git/ssh-signature.ts";
import { parseInParallel, startParseAhead } from "../src/audit/parse-pool.ts";
import { emptyCache, type RecordCache } from "../src/audit/record-cache.ts";
import { buildReport } from "../src/audit/report.ts";
import { buildAuditRepo } from "./audit-fixture.ts";

const RECORDS = Number(process.env.BENCH_AUDIT_RECORDS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const COLD_ROUNDS = Number(process.env.BENCH_AUDIT_COLD_ROUNDS ?? 3);
/** A revision to time side by side with this tree (cold runs), e.g. `main`; unset: none. */
const BASELINE = process.env.BENCH_AUDIT_BASELINE;

/**
 * CPU seconds used so far by this process and by its finished children (git), from
 * /proc/self/stat (utime, stime, cutime, cstime in clock ticks of 1/100 s). On a loaded machine
 * wall time measures the neighbours too; CPU time measures the work.
 */
function cpuSeconds(): number {
  const fields = readFileSync("/proc/self/stat", "utf8")
    .replace(/^.*\) /, "")
    .split(" ");
  // After the command field: state is index 0, utime 11, stime 12, cutime 13, cstime 14.
  return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0) / 100;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The audit's entry points, from this tree or from a baseline revision's (see `baseline`). */
interface AuditCode {
  readonly readClone: typeof readClone;
  readonly buildLedger: typeof buildLedger;
  readonly formats: typeof FORMATS;
  readonly buildReport: typeof buildReport;
  /** What the CLI runs between reading and the ledger (parse-pool.ts); absent in old revisions. */
  readonly parseAhead: typeof parseInParallel | undefined;
  /** Parsing that starts while the clone is read, as the CLI does; absent in old revisions. */
  readonly startParseAhead: typeof startParseAhead | undefined;
}

const CURRENT: AuditCode = {
  readClone,
  buildLedger,
  formats: FORMATS,
  buildReport,
  parseAhead: parseInParallel,
  startParseAhead,
};

/**
 * The audit code of another revision (BENCH_AUDIT_BASELINE, e.g. main before a change), extracted
 * with `git archive` under .cache/ in this tree so that it resolves this tree's node_modules; the
 * two run side by side on the same fixture, in alternation.
 */
async function baseline(rev: string): Promise<AuditCode & { rev: string; root: string }> {
  const sha = execFileSync("git", ["rev-parse", "--verify", `${rev}^{commit}`])
    .toString()
    .trim();
  const root = join(import.meta.dirname, "..", ".cache", `bench-audit-baseline-${sha}`);
  mkdirSync(root, { recursive: true });
  execFileSync("tar", ["-x", "-C", root], { input: execFileSync("git", ["archive", sha, "src"]) });
  const load = async <T>(path: string): Promise<T> =>
    (await import(pathToFileURL(join(root, path)).href)) as T;
  let parseAhead: typeof parseInParallel | undefined;
  let startAhead: typeof startParseAhead | undefined;
  try {
    ({ parseInParallel: parseAhead, startParseAhead: startAhead } = await load<{
      parseInParallel: typeof parseInParallel;
      startParseAhead?: typeof startParseAhead;
    }>("src/audit/parse-pool.ts"));
  } catch (error) {
    // Revisions before the worker threads have no parse-pool.ts.
    if ((error as { code?: string }).code !== "ERR_MODULE_NOT_FOUND") throw error;
  }
  return {
    rev: `${rev} (${sha.slice(0, 12)})`,
    root,
    readClone: (await load<{ readClone: typeof readClone }>("src/audit/git/read-clone.ts"))
      .readClone,
    buildLedger: (await load<{ buildLedger: typeof buildLedger }>("src/audit/build-ledger.ts"))
      .buildLedger,
    formats: (await load<{ FORMATS: typeof FORMATS }>("src/audit/formats.ts")).FORMATS,
    buildReport: (await load<{ buildReport: typeof buildReport }>("src/audit/report.ts"))
      .buildReport,
    parseAhead,
    startParseAhead: startAhead,
  };
}

interface Run {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly readSeconds: number;
  readonly commits: number;
}

async function auditOnce(code: AuditCode, dir: string, recordCache: RecordCache): Promise<Run> {
  const started = performance.now();
  const cpuStarted = cpuSeconds();
  // As the CLI does (src/cli/audit.ts): records go to the workers as soon as the blobs are read.
  const ahead = code.startParseAhead?.(recordCache);
  let read: Awaited<ReturnType<typeof readClone>>;
  let readSeconds: number;
  try {
    read = await code.readClone({
      path: dir,
      ref: "main",
      trustedKeys: undefined,
      onBlobs: ahead?.blobsRead,
    });
    if (!read.ok) throw new Error(read.message);
    readSeconds = (performance.now() - started) / 1000;
    if (ahead !== undefined) await ahead.finish(read.history);
    else if (code.parseAhead !== undefined) await code.parseAhead(read.history, recordCache);
  } finally {
    ahead?.close();
  }
  const now = new Date("2030-01-01T00:00:00Z");
  const ledger = code.buildLedger(read.history, {
    app: { slug: "csr-gitops", botUserId: 41898282 },
    formats: code.formats,
    now,
    receiptGraceMs: 600_000,
    recordCache,
  });
  const report = code.buildReport({
    ledger,
    comparisons: [],
    clusterCsrCounts: new Map(),
    source: dir,
    ref: "main",
    head: read.history.head,
    since: undefined,
    now,
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuSeconds() - cpuStarted;
  // Every receipt is unsigned here, so it does not count: each CSR gets exactly these two
  // findings; anything else means the fixture or the audit is wrong.
  const other = report.findings.filter(
    (f) => f.code !== "record-merged-without-receipt" && f.code !== "receipt-signature-missing",
  );
  if (report.summary.csrs !== RECORDS || other.length > 0 || report.findings.length !== 2 * RECORDS)
    throw new Error(
      `unexpected ledger: ${report.summary.csrs} CSRs, ${JSON.stringify(other.slice(0, 3))}`,
    );
  return { seconds, cpuSeconds: cpu, readSeconds, commits: read.history.commits.length };
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

function summary(runs: readonly Run[]): Record<string, unknown> {
  return {
    wallSeconds: {
      median: round2(median(runs.map((r) => r.seconds))),
      runs: runs.map((r) => round2(r.seconds)),
    },
    cpuSeconds: {
      median: round2(median(runs.map((r) => r.cpuSeconds))),
      runs: runs.map((r) => round2(r.cpuSeconds)),
    },
    readHistorySeconds: round2(median(runs.map((r) => r.readSeconds))),
  };
}

function signatureCost(): number {
  const dir = mkdtempSync(join(tmpdir(), "csr-audit-sig-"));
  try {
    const key = join(dir, "key");
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key]);
    execFileSync("git", ["init", "-q", "-b", "main", join(dir, "r")]);
    const env = {
      ...process.env,
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_AUTHOR_NAME: "a",
      GIT_AUTHOR_EMAIL: "a@b",
      GIT_COMMITTER_NAME: "a",
      GIT_COMMITTER_EMAIL: "a@b",
    };
    const tree = execFileSync("git", ["-C", join(dir, "r"), "write-tree"], { env })
      .toString()
      .trim();
    const sha = execFileSync(
      "git",
      [
        "-C",
        join(dir, "r"),
        "-c",
        "gpg.format=ssh",
        "-c",
        `user.signingkey=${key}`,
        "commit-tree",
        "-S",
        tree,
        "-m",
        "receipt",
      ],
      { env },
    )
      .toString()
      .trim();
    const raw = parseRawCommit(
      execFileSync("git", ["-C", join(dir, "r"), "cat-file", "commit", sha]),
    );
    const keys = parseTrustedKeys(readFileSync(`${key}.pub`, "utf8"));
    if (raw === undefined || !keys.ok) throw new Error("signature fixture");
    const n = 10_000;
    // CPU time of this process: the check runs in-process, and wall time would count the neighbours.
    const started = process.cpuUsage();
    for (let i = 0; i < n; i++)
      if (checkCommitSignature(raw.signature, raw.signedPayload, keys.keys).kind !== "verified")
        throw new Error("did not verify");
    const used = process.cpuUsage(started);
    return (used.user + used.system) / n;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const generationStart = performance.now();
const dir = buildAuditRepo(RECORDS);
const generationSeconds = (performance.now() - generationStart) / 1000;
const base = BASELINE === undefined ? undefined : await baseline(BASELINE);
try {
  // Cold: every record parsed (what the first `audit` of a repository costs), a fresh cache each
  // time; with a baseline, its cold runs alternate with this tree's, so both see the same load.
  const cold: Run[] = [];
  const baseCold: Run[] = [];
  let cache: RecordCache = emptyCache();
  for (let r = 0; r < COLD_ROUNDS; r++) {
    if (base !== undefined) baseCold.push(await auditOnce(base, dir, emptyCache()));
    cache = emptyCache();
    cold.push(await auditOnce(CURRENT, dir, cache));
  }
  // Warm: records parsed before, by blob SHA (`--watch`, or `--cache-dir` across invocations).
  const warm: Run[] = [];
  for (let r = 0; r < ROUNDS; r++) warm.push(await auditOnce(CURRENT, dir, cache));
  const microsecondsPerSignature = signatureCost();
  const os = await import("node:os");
  const result = {
    benchmark: "audit ledger from a local clone",
    node: process.version,
    git: execFileSync("git", ["--version"]).toString().trim(),
    records: RECORDS,
    commits: cold[0]?.commits,
    fixtureGenerationSeconds: Math.round(generationSeconds * 10) / 10,
    cold: summary(cold),
    ...(base === undefined ? {} : { baseline: { rev: base.rev, cold: summary(baseCold) } }),
    warm: summary(warm),
    signatureCheckCpuMicroseconds: Math.round(microsecondsPerSignature * 10) / 10,
    warmCpuWithSignatureChecksSeconds: round2(
      median(warm.map((r) => r.cpuSeconds)) + (RECORDS * microsecondsPerSignature) / 1e6,
    ),
    loadAverage: os.loadavg().map((l) => Math.round(l * 10) / 10),
    cores: os.availableParallelism(),
    heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 1024 / 1024),
  };
  process.stdout.write(JSON.stringify(result, null, 2) + "\n");
} finally {
  rmSync(dir, { recursive: true, force: true });
  // The extracted sources would otherwise be linted and type-checked with the project's own.
  if (base !== undefined) rmSync(base.root, { recursive: true, force: true });
}
