/**
 * `csr-gitops serve` as its own process for the kube tests: configured only through the
 * environment as a deployment is (GHE_HOST pointing at the GitHub simulator over HTTP, the app's
 * least-privilege kubeconfig), its JSON log lines captured, its /metrics scraped.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { inject, onTestFinished } from "vitest";
import { IMAGE_DIR_ENV, IMAGE_ENTRYPOINT_ARGS, IMAGE_ENV } from "../../scripts/image-layout.ts";
import type { SeedInput } from "../github-sim/seed/seed-schema.ts";
import { startServer } from "../github-sim/server.ts";
import type { GitHubSimulator } from "../github-sim/simulator.ts";
import { APP_ID, newSim, OWNER, REPO, testSeed } from "../github-sim/tests/sim-fixture.ts";
import { until } from "./until.ts";

export const SECRET = "serve-process-test-secret-0123";

/** Forwards webhooks to serve once its port is known (the seed needs the URL first). */
export async function forwarder(): Promise<{
  url: string;
  target: { port?: number };
  server: Server;
}> {
  const target: { port?: number } = {};
  const server = createServer((req, res) => {
    if (target.port === undefined) {
      res.writeHead(503).end();
      return;
    }
    const out = httpRequest(
      {
        host: "127.0.0.1",
        port: target.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on("error", () => res.writeHead(502).end());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  );
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${String(port)}/api/github/webhooks`, target, server };
}

export interface LogLine {
  readonly msg?: string;
  readonly port?: number;
  readonly level?: number;
  readonly [field: string]: unknown;
}

export function spawnServe(env: Record<string, string>): {
  child: ChildProcessWithoutNullStreams;
  lines: LogLine[];
  stderr: string[];
} {
  // As the image starts it: its files, laid out once per run by the kube global setup.
  const image = process.env[IMAGE_DIR_ENV];
  if (image === undefined) throw new Error(`${IMAGE_DIR_ENV} is not set: run in the kube project`);
  const child = spawn(process.execPath, [...IMAGE_ENTRYPOINT_ARGS, "serve"], {
    cwd: image,
    env: { PATH: process.env.PATH ?? "", ...IMAGE_ENV, ...env },
  });
  const lines: LogLine[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stdout }).on("line", (line) => {
    try {
      lines.push(JSON.parse(line) as LogLine);
    } catch {
      lines.push({ msg: `(not JSON) ${line}` });
    }
  });
  child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk.toString("utf8")));
  onTestFinished(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });
  return { child, lines, stderr };
}

export interface RunningServe {
  readonly sim: GitHubSimulator;
  /** The simulator's base URL (people act through it: its webhooks go out after each request). */
  readonly githubUrl: string;
  readonly url: string;
  readonly run: string;
  readonly lease: string;
  readonly serve: ReturnType<typeof spawnServe>;
  /** The /metrics text now. */
  metrics(): Promise<string>;
}

/**
 * The simulator (audit repo files changed by `files`) delivering webhooks to a serve process that
 * watches only CSRs labelled `csr-gitops-test=<run>`, once it is ready.
 */
export async function startServeProcess(
  files: Record<string, string | null> = {},
): Promise<RunningServe> {
  const hooks = await forwarder();
  const base = testSeed();
  const [repo] = base.repos ?? [];
  if (repo === undefined || base.app === undefined)
    throw new Error("the seed has a repo and an app");
  const merged: Record<string, string> = {
    ...repo.files,
    ".github/csr-gitops.yml": "apiVersion: csr-gitops/config-v1\n",
  };
  for (const [path, text] of Object.entries(files)) {
    if (text === null) Reflect.deleteProperty(merged, path);
    else merged[path] = text;
  }
  const seed: SeedInput = {
    ...base,
    repos: [{ ...repo, files: merged }],
    app: { ...base.app, webhook: { url: hooks.url, secret: SECRET } },
  };
  const sim = await newSim(seed);
  const github = await startServer(sim, { deliverWebhooks: true });
  onTestFinished(() => github.close());
  const keyDir = mkdtempSync(join(tmpdir(), "serve-key-"));
  const keyPath = join(keyDir, "app.pem");
  writeFileSync(keyPath, sim.appPrivateKey() ?? "", { mode: 0o600 });
  const run = `serve-${randomUUID().slice(0, 8)}`;
  const lease = `csr-gitops-${run}`;

  const serve = spawnServe({
    APP_ID: String(APP_ID),
    PRIVATE_KEY_PATH: keyPath,
    WEBHOOK_SECRET: SECRET,
    GHE_HOST: new URL(github.url).host,
    GHE_PROTOCOL: "http",
    PORT: "0",
    HOST: "127.0.0.1",
    CSR_GITOPS_AUDIT_REPO: `${OWNER}/${REPO}`,
    CSR_GITOPS_CLUSTERS: "test=app",
    KUBECONFIG: inject("kubeServer").kubeconfigs.app,
    CSR_GITOPS_LABEL_SELECTOR: `csr-gitops-test=${run}`,
    CSR_GITOPS_LEASE_NAME: lease,
    CSR_GITOPS_RESYNC_SECONDS: "10",
    POD_NAME: "serve-test-0",
  });
  const serving = await until("serve to log that it is serving", () =>
    Promise.resolve(serve.lines.find((l) => l.msg === "serving")),
  );
  const port = serving.port ?? 0;
  hooks.target.port = port;
  const url = `http://127.0.0.1:${String(port)}`;
  await until("serve to be ready", async () => (await fetch(`${url}/readyz`)).status === 200);
  return {
    sim,
    githubUrl: github.url,
    url,
    run,
    lease,
    serve,
    metrics: async () => (await fetch(`${url}/metrics`)).text(),
  };
}

/** The value of one series in Prometheus text, or undefined when absent. */
export function sample(text: string, series: string): number | undefined {
  for (const line of text.split("\n")) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return undefined;
}
