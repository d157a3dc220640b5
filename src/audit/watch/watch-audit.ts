/**
 * `audit --watch`: runs the audit now and then every interval, keeps the findings of the latest
 * run as Prometheus metrics on /metrics, and logs one line per run and one per new finding. Stops
 * when the signal aborts. The comparison polls (a list of CSRs per cluster per run): simple, and
 * within a minute of an out-of-band approval with the default 30 s interval.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { CliIo } from "../../cli/main.ts";
import { inertText } from "../render/inert.ts";
import { runAudit, type AuditRun, type AuditSettings, type AuditSources } from "../run-audit.ts";
import { AuditMetrics } from "./audit-metrics.ts";

export interface WatchOptions {
  readonly settings: AuditSettings;
  readonly sources: AuditSources;
  readonly intervalMs: number;
  readonly port: number;
  readonly host: string;
  readonly io: Pick<CliIo, "stderr">;
  readonly signal: AbortSignal;
  /** Called after each run (tests wait on it). */
  readonly onRun?: (run: AuditRun, metricsUrl: string) => void;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo | Error> {
  return new Promise((resolve) => {
    server.once("error", resolve);
    server.listen(port, host, () => {
      resolve(server.address() as AddressInfo);
    });
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

export async function watchAudit(options: WatchOptions): Promise<number> {
  const metrics = new AuditMetrics();
  const server = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/metrics") {
      metrics.registry.metrics().then(
        (text) => {
          res.writeHead(200, { "content-type": metrics.registry.contentType });
          res.end(text);
        },
        (error: unknown) => {
          res.writeHead(500);
          res.end(String(error));
        },
      );
    } else if (req.method === "GET" && req.url === "/healthz") {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("ok\n");
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  const address = await listen(server, options.port, options.host);
  if (address instanceof Error) {
    options.io.stderr.write(`csr-gitops audit: cannot serve metrics: ${address.message}\n`);
    return 2;
  }
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}/metrics`;
  options.io.stderr.write(`csr-gitops audit: watching; metrics on ${url}\n`);
  const known = new Set<string>();
  try {
    while (!options.signal.aborted) {
      const run = await runAudit(options.settings, options.sources);
      const now = options.settings.now();
      metrics.record(run, now);
      if (!run.ok)
        options.io.stderr.write(
          `csr-gitops audit: ${now.toISOString()} cannot run: ${run.message}\n`,
        );
      else {
        const s = run.report.summary;
        options.io.stderr.write(
          `csr-gitops audit: ${now.toISOString()} ${s.csrs} CSRs, ${s.alarms} alarms, ${s.warnings} warnings, ${s.notices} notices\n`,
        );
        for (const f of run.report.findings) {
          const id = `${f.code}\0${f.subject}\0${f.commit ?? ""}\0${f.detail}`;
          if (known.has(id)) continue;
          known.add(id);
          options.io.stderr.write(
            `  new ${f.severity} ${f.code} ${inertText(f.subject)}: ${inertText(f.detail)}\n`,
          );
        }
      }
      options.onRun?.(run, url);
      await sleep(options.intervalMs, options.signal);
    }
  } finally {
    await new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
  }
  return 0;
}
