import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import type { AuditSources } from "../audit/run-audit.ts";
import { runAudit, type AuditSettings } from "../audit/run-audit.ts";
import { certificatesApi, readCluster, type ClusterTarget } from "../audit/cluster/read-cluster.ts";
import { FORMATS } from "../audit/formats.ts";
import { parseInParallel, startParseAhead } from "../audit/parse-pool.ts";
import { readClone } from "../audit/git/read-clone.ts";
import { parseTrustedKeys, type TrustedKey } from "../audit/git/ssh-signature.ts";
import { isGitHubUrl, readGitHub } from "../audit/github/read-github.ts";
import { OUTPUT_FORMATS, renderReport, type OutputFormat } from "../audit/render/render-report.ts";
import { watchAudit } from "../audit/watch/watch-audit.ts";
import {
  emptyCache,
  loadRecordCache,
  saveRecordCache,
  type RecordCache,
} from "../audit/record-cache.ts";
import type { CliIo, Command } from "./main.ts";

/** The package version (the cache key), from package.json next to src/ or dist/. */
async function packageVersion(): Promise<string> {
  try {
    const text = await readFile(new URL("../../package.json", import.meta.url), "utf8");
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return typeof version === "string" ? version : "unknown";
  } catch {
    return "unknown";
  }
}

const help = `Usage: csr-gitops audit --repo PATH_OR_URL [--cluster NAME --context CTX]... [options]

Rebuilds the ledger of every CSR decision from the audit repository's git history (a local clone,
or https://github.com/OWNER/REPO through the GitHub API), verifies the history itself, and compares
it with live clusters. Prints the summary, findings first, a timeline and the ledger.

Options:
  --repo PATH_OR_URL    The audit repository: a local clone (or bare repository), or its GitHub URL.
  --ref REF             The default branch in a clone (default HEAD; e.g. origin/main).
  --cluster NAME        A cluster's folder name in the repository; pair each with --context.
  --context CTX         The kubeconfig context that reaches that cluster (read-only: list CSRs).
  --kubeconfig FILE     Kubeconfig file (default: $KUBECONFIG or ~/.kube/config).
  --since DATE          Report only decisions, events and findings from DATE on (ISO 8601);
                        the whole history is still read and verified.
  --output FMT          table (default), json, csv, markdown or html (one self-contained file).
  --signing-key FILE    SSH public key(s) or allowed-signers file trusted to sign the app's commits
                        in a clone (GitHub's web-flow key, or the simulator's stand-in).
  --app-slug SLUG       The app's slug; its commits are by SLUG[bot] (default csr-gitops).
  --app-bot-id N        The bot account's numeric user id, to pin its noreply email.
  --receipt-grace MIN   Minutes after a merge before a missing receipt is a finding (default 10).
  --github-api-url URL  GitHub API base URL for a URL repo (default https://api.github.com).
  --watch               Keep comparing every --interval seconds and serve findings as metrics.
  --interval SECONDS    Seconds between runs in --watch mode (default 30).
  --metrics-port PORT   Port for /metrics in --watch mode (default 9464; 0 picks one).
  --metrics-host HOST   Address to listen on in --watch mode (default 127.0.0.1).
  --cache-dir DIR       Keep parsed records here between runs (by git blob SHA; see docs/audit.md).
  -h, --help            Show this help.

Environment: GITHUB_TOKEN (read access to the audit repository, for a URL repo).

Exit status: 0 when clean (notices only), 1 when there are findings (alarms or warnings),
2 when the audit cannot run (unreadable repository, cluster, key or arguments).
`;

export const auditCommand: Command = {
  name: "audit",
  summary: "Rebuild and verify the ledger of CSR decisions from git history and live clusters.",
  run: audit,
};

interface AuditArgs {
  readonly repo: string;
  readonly ref: string | undefined;
  readonly clusters: readonly ClusterTarget[];
  readonly kubeconfig: string | undefined;
  readonly since: Date | undefined;
  readonly output: OutputFormat;
  readonly signingKey: string | undefined;
  readonly appSlug: string;
  readonly appBotId: number | undefined;
  readonly receiptGraceMs: number;
  readonly githubApiUrl: string;
  readonly watch: boolean;
  readonly intervalMs: number;
  readonly metricsPort: number;
  readonly metricsHost: string;
  readonly cacheDir: string | undefined;
}

type Parsed =
  { kind: "help" } | { kind: "error"; message: string } | { kind: "run"; args: AuditArgs };

function positiveNumber(
  value: string | undefined,
  name: string,
  fallback: number,
  min = 0,
): number | string {
  if (value === undefined) return fallback;
  const n = Number(value);
  return Number.isFinite(n) && n >= min ? n : `${name} must be a number of at least ${min}`;
}

export function parseAuditArgs(argv: readonly string[]): Parsed {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: false,
      options: {
        repo: { type: "string" },
        ref: { type: "string" },
        cluster: { type: "string", multiple: true },
        context: { type: "string", multiple: true },
        kubeconfig: { type: "string" },
        since: { type: "string" },
        output: { type: "string", short: "o", default: "table" },
        "signing-key": { type: "string" },
        "app-slug": { type: "string", default: "csr-gitops" },
        "app-bot-id": { type: "string" },
        "receipt-grace": { type: "string" },
        "github-api-url": { type: "string", default: "https://api.github.com" },
        watch: { type: "boolean", default: false },
        interval: { type: "string" },
        "metrics-port": { type: "string" },
        "metrics-host": { type: "string", default: "127.0.0.1" },
        "cache-dir": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    return { kind: "error", message: error instanceof Error ? error.message : String(error) };
  }
  const v = parsed.values;
  if (v.help === true) return { kind: "help" };
  if (v.repo === undefined || v.repo === "")
    return { kind: "error", message: "--repo is required" };
  const output = OUTPUT_FORMATS.find((f) => f === v.output);
  if (output === undefined)
    return { kind: "error", message: `--output must be one of ${OUTPUT_FORMATS.join(", ")}` };
  const names = v.cluster ?? [];
  const contexts = v.context ?? [];
  if (names.length !== contexts.length)
    return { kind: "error", message: "give one --context for each --cluster, in the same order" };
  const clusters = names.map((name, i) => ({ name, context: contexts[i] ?? "" }));
  if (new Set(names).size !== names.length)
    return { kind: "error", message: "a --cluster is named twice" };
  let since: Date | undefined;
  if (v.since !== undefined) {
    since = new Date(v.since);
    if (Number.isNaN(since.getTime()))
      return { kind: "error", message: `--since ${JSON.stringify(v.since)} is not a date` };
  }
  const grace = positiveNumber(v["receipt-grace"], "--receipt-grace", 10);
  const interval = positiveNumber(v.interval, "--interval", 30, 1);
  const port = positiveNumber(v["metrics-port"], "--metrics-port", 9464);
  const botId = positiveNumber(v["app-bot-id"], "--app-bot-id", 0, 1);
  for (const n of [grace, interval, port, botId])
    if (typeof n === "string") return { kind: "error", message: n };
  if (!/^[a-z0-9][a-z0-9-]*$/i.test(v["app-slug"]))
    return { kind: "error", message: "--app-slug is not an app slug" };
  return {
    kind: "run",
    args: {
      repo: v.repo,
      ref: v.ref,
      clusters,
      kubeconfig: v.kubeconfig,
      since,
      output,
      signingKey: v["signing-key"],
      appSlug: v["app-slug"],
      appBotId: v["app-bot-id"] === undefined ? undefined : (botId as number),
      receiptGraceMs: (grace as number) * 60_000,
      githubApiUrl: v["github-api-url"],
      watch: v.watch,
      intervalMs: (interval as number) * 1000,
      metricsPort: port as number,
      metricsHost: v["metrics-host"],
      cacheDir: v["cache-dir"],
    },
  };
}

function fail(io: CliIo, message: string): 2 {
  io.stderr.write(`csr-gitops audit: ${message}\n`);
  return 2;
}

async function trustedKeys(
  file: string | undefined,
): Promise<{ ok: true; keys: TrustedKey[] | undefined } | { ok: false; message: string }> {
  if (file === undefined) return { ok: true, keys: undefined };
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    return {
      ok: false,
      message: `--signing-key ${file}: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const parsed = parseTrustedKeys(text);
  return parsed.ok
    ? { ok: true, keys: parsed.keys }
    : { ok: false, message: `--signing-key ${file}: ${parsed.message}` };
}

/**
 * The sources for these arguments; `env` is only read for the GitHub token. A clone's records are
 * parsed into `cache` on worker threads while its commits are read (parse-pool.ts).
 */
export async function auditSources(
  args: AuditArgs,
  env: NodeJS.ProcessEnv,
  cache: RecordCache,
): Promise<{ ok: true; sources: AuditSources } | { ok: false; message: string }> {
  const keys = await trustedKeys(args.signingKey);
  if (!keys.ok) return keys;
  const apis = new Map<string, ReturnType<typeof certificatesApi>>();
  for (const target of args.clusters) {
    const api = certificatesApi(target.context, args.kubeconfig);
    if (!api.ok) return { ok: false, message: `cluster ${target.name}: ${api.message}` };
    apis.set(target.name, api);
  }
  const readHistory = isGitHubUrl(args.repo)
    ? () =>
        readGitHub({
          url: args.repo,
          baseUrl: args.githubApiUrl,
          token: env.GITHUB_TOKEN,
          ref: args.ref,
        })
    : async () => {
        const ahead = startParseAhead(cache);
        try {
          const read = await readClone({
            path: args.repo,
            ref: args.ref ?? "HEAD",
            trustedKeys: keys.keys,
            onBlobs: ahead.blobsRead,
          });
          if (!read.ok) return read;
          await ahead.finish(read.history);
          return { ok: true as const, value: read.history };
        } finally {
          ahead.close();
        }
      };
  return {
    ok: true,
    sources: {
      readHistory,
      readCluster: async (target) => {
        const api = apis.get(target.name);
        if (api?.ok !== true) return { ok: false, message: `cluster ${target.name}: no client` };
        const read = await readCluster(target, api.api);
        return read.ok ? { ok: true, value: read.csrs } : read;
      },
    },
  };
}

export function auditSettings(args: AuditArgs, recordCache: RecordCache): AuditSettings {
  return {
    recordCache,
    clusters: args.clusters,
    since: args.since,
    app: { slug: args.appSlug, botUserId: args.appBotId },
    formats: FORMATS,
    parseAhead: parseInParallel,
    receiptGraceMs: args.receiptGraceMs,
    now: () => new Date(),
  };
}

async function audit(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseAuditArgs(argv);
  if (parsed.kind === "help") {
    io.stdout.write(help);
    return 0;
  }
  if (parsed.kind === "error") {
    io.stderr.write(`csr-gitops audit: ${parsed.message}\n\n${help}`);
    return 2;
  }
  const { args } = parsed;
  const version = await packageVersion();
  const cache: RecordCache =
    args.cacheDir === undefined ? emptyCache() : await loadRecordCache(args.cacheDir, version);
  const sources = await auditSources(args, io.env ?? {}, cache);
  if (!sources.ok) return fail(io, sources.message);
  const settings = auditSettings(args, cache);
  if (args.watch) {
    // Runs until interrupted; SIGINT and SIGTERM stop it cleanly.
    const stop = new AbortController();
    const abort = (): void => {
      stop.abort();
    };
    process.once("SIGINT", abort);
    process.once("SIGTERM", abort);
    try {
      return await watchAudit({
        settings,
        sources: sources.sources,
        intervalMs: args.intervalMs,
        port: args.metricsPort,
        host: args.metricsHost,
        io,
        signal: stop.signal,
      });
    } finally {
      process.off("SIGINT", abort);
      process.off("SIGTERM", abort);
    }
  }
  const run = await runAudit(settings, sources.sources);
  if (!run.ok) return fail(io, run.message);
  if (args.cacheDir !== undefined) await saveRecordCache(args.cacheDir, version, cache);
  io.stdout.write(renderReport(run.report, args.output));
  return run.failed ? 1 : 0;
}
