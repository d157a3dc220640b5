/**
 * `npm run bench` (second part): the audit ledger of 10,000 records from a local clone.
 *
 * Method: a bare repository with BENCH_AUDIT_RECORDS records (default 10,000) is generated first
 * and not timed (bench/audit-fixture.ts: per CSR a PR commit, a merge commit and a receipt commit,
 * 30,001 commits). Then ROUNDS timed runs of what `audit --repo PATH` does: read the history (one
 * `git log` pass and one `git cat-file --batch`), build and verify the ledger, build the report.
 * The first run is cold (every record parsed by src/core/record's parser) and fills the in-memory
 * record cache; the timed rounds after it are warm (records known by blob SHA, as in `--watch`
 * or with `--cache-dir`).
 * The fixture's receipts are not signed (git fast-import cannot write signatures), so the cost of
 * checking signatures is timed apart: one real SSH-signed commit verified 10,000 times in-process.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { buildLedger } from "../src/audit/build-ledger.ts";
import { FORMATS } from "../src/audit/formats.ts";
import { readClone } from "../src/audit/git/read-clone.ts";
import { parseRawCommit } from "../src/audit/git/raw-commit.ts";
import { checkCommitSignature, parseTrustedKeys } from "../src/audit/git/ssh-signature.ts";
import { emptyCache, type RecordCache } from "../src/audit/record-cache.ts";
import { buildReport } from "../src/audit/report.ts";
import { buildAuditRepo } from "./audit-fixture.ts";

const RECORDS = Number(process.env.BENCH_AUDIT_RECORDS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

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

async function auditOnce(
  dir: string,
  recordCache: RecordCache,
): Promise<{
  seconds: number;
  cpuSeconds: number;
  readSeconds: number;
  csrs: number;
  findings: number;
  commits: number;
}> {
  const started = performance.now();
  const cpuStarted = cpuSeconds();
  const read = await readClone({ path: dir, ref: "main", trustedKeys: undefined });
  if (!read.ok) throw new Error(read.message);
  const readSeconds = (performance.now() - started) / 1000;
  const now = new Date("2030-01-01T00:00:00Z");
  const ledger = buildLedger(read.history, {
    app: { slug: "csr-gitops", botUserId: 41898282 },
    formats: FORMATS,
    now,
    receiptGraceMs: 600_000,
    recordCache,
  });
  const report = buildReport({
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
  return {
    seconds,
    cpuSeconds: cpu,
    readSeconds,
    csrs: report.summary.csrs,
    findings: report.findings.length,
    commits: read.history.commits.length,
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
try {
  // Cold: every record parsed (what the first `audit` of a repository costs); it fills the cache.
  const cache: RecordCache = emptyCache();
  const cold = await auditOnce(dir, cache);
  // Warm: records parsed before, by blob SHA (`--watch`, or `--cache-dir` across invocations).
  const runs = [];
  for (let r = 0; r < ROUNDS; r++) runs.push(await auditOnce(dir, cache));
  const microsecondsPerSignature = signatureCost();
  const ledgerSeconds = median(runs.map((r) => r.seconds));
  const result = {
    benchmark: "audit ledger from a local clone",
    node: process.version,
    git: execFileSync("git", ["--version"]).toString().trim(),
    records: RECORDS,
    commits: runs[0]?.commits,
    rounds: ROUNDS,
    fixtureGenerationSeconds: Math.round(generationSeconds * 10) / 10,
    coldLedgerSeconds: Math.round(cold.seconds * 100) / 100,
    coldLedgerCpuSeconds: Math.round(cold.cpuSeconds * 100) / 100,
    warmLedgerCpuSeconds: Math.round(median(runs.map((r) => r.cpuSeconds)) * 100) / 100,
    warmLedgerSeconds: {
      median: Math.round(ledgerSeconds * 100) / 100,
      perRound: runs.map((r) => Math.round(r.seconds * 100) / 100),
    },
    readHistorySeconds: Math.round(median(runs.map((r) => r.readSeconds)) * 100) / 100,
    signatureCheckCpuMicroseconds: Math.round(microsecondsPerSignature * 10) / 10,
    coldRecordParseCpuMilliseconds:
      Math.round(((cold.cpuSeconds - median(runs.map((r) => r.cpuSeconds))) * 1e6) / RECORDS) /
      1000,
    warmCpuWithSignatureChecksSeconds:
      Math.round(
        (median(runs.map((r) => r.cpuSeconds)) + (RECORDS * microsecondsPerSignature) / 1e6) * 100,
      ) / 100,
    loadAverage: (await import("node:os")).loadavg().map((l) => Math.round(l * 10) / 10),
    cores: (await import("node:os")).availableParallelism(),
    heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 1024 / 1024),
  };
  process.stdout.write(JSON.stringify(result, null, 2) + "\n");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
