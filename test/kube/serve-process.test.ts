/**
 * `csr-gitops serve` as its own process, configured only through the environment exactly as a
 * deployment is (GHE_HOST pointing at the GitHub simulator over HTTP, the app's least-privilege
 * kubeconfig): it becomes ready, opens a PR for a pending CSR, exposes metrics, and on SIGTERM
 * releases its Lease and exits 0.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { V1ObjectMeta } from "@kubernetes/client-node";
import { describe, expect, inject, it, onTestFinished } from "vitest";
import { startServer } from "../github-sim/server.ts";
import { newSim, OWNER, REPO, testSeed, APP_ID } from "../github-sim/tests/sim-fixture.ts";
import { kubeClients } from "../support/kube-clients.ts";
import { kubeletServingRequest, uniqueName } from "./csr-requests.ts";
import { until } from "./until.ts";

const SECRET = "serve-process-test-secret-0123";
const root = join(import.meta.dirname, "..", "..");

/** Forwards webhooks to serve once its port is known (the seed needs the URL first). */
async function forwarder(): Promise<{ url: string; target: { port?: number }; server: Server }> {
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

interface LogLine {
  readonly msg?: string;
  readonly port?: number;
  readonly level?: number;
}

function spawnServe(env: Record<string, string>): {
  child: ChildProcessWithoutNullStreams;
  lines: LogLine[];
  stderr: string[];
} {
  const child = spawn(process.execPath, [join(root, "src", "cli", "bin.ts"), "serve"], {
    env: { PATH: process.env.PATH ?? "", ...env },
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

describe("csr-gitops serve as a process", () => {
  it("refuses to start without settings, naming each one", async () => {
    const { child, stderr } = spawnServe({});
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(2);
    const text = stderr.join("");
    for (const name of [
      "APP_ID",
      "WEBHOOK_SECRET",
      "CSR_GITOPS_AUDIT_REPO",
      "CSR_GITOPS_CLUSTERS",
    ]) {
      expect(text).toContain(`${name}: is required`);
    }
  });

  it("gets ready, opens a PR for a pending CSR, counts it, and stops cleanly on SIGTERM", async () => {
    const hooks = await forwarder();
    const base = testSeed();
    const [repo] = base.repos ?? [];
    if (repo === undefined || base.app === undefined)
      throw new Error("the seed has a repo and an app");
    const sim = await newSim({
      ...base,
      repos: [
        {
          ...repo,
          files: { ...repo.files, ".github/csr-gitops.yml": "apiVersion: csr-gitops/config-v1\n" },
        },
      ],
      app: { ...base.app, webhook: { url: hooks.url, secret: SECRET } },
    });
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
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    await until("serve to be ready", async () => (await fetch(`${url}/readyz`)).status === 200);

    const name = uniqueName("serve");
    const body = kubeletServingRequest(name).body;
    const metadata = body.metadata ?? new V1ObjectMeta();
    metadata.labels = { "csr-gitops-test": run };
    body.metadata = metadata;
    const csr = await kubeClients("node").certificates.createCertificateSigningRequest({ body });
    const uid = csr.metadata?.uid ?? "";
    const pulls = await until("a PR for the CSR", () => {
      const open = [...sim.state.repos.values()]
        .flatMap((r) => [...r.pulls.values()])
        .filter((p) => p.headRef.endsWith(uid));
      return Promise.resolve(open.length > 0 ? open : undefined);
    });
    expect(pulls).toHaveLength(1);

    // The PR is visible before the controller's last step (labels, check run) counts it.
    const opened = 'csr_gitops_pull_requests_opened_total{cluster="test"} 1';
    await until("the opened PR to be counted", async () =>
      (await (await fetch(`${url}/metrics`)).text()).includes(opened),
    );

    const coordination = kubeClients("admin").coordination;
    const held = await coordination.readNamespacedLease({ name: lease, namespace: "csr-gitops" });
    expect(held.spec?.holderIdentity).toBe("serve-test-0");

    serve.child.kill("SIGTERM");
    const code = await new Promise<number | null>((resolve) => serve.child.on("exit", resolve));
    expect(code, serve.stderr.join("")).toBe(0);
    expect(serve.lines.some((l) => l.msg === "stopped")).toBe(true);
    const released = await coordination.readNamespacedLease({
      name: lease,
      namespace: "csr-gitops",
    });
    expect(released.spec?.holderIdentity ?? "").not.toBe("serve-test-0");
    expect(serve.lines.filter((l) => (l.level ?? 0) >= 50)).toEqual([]);
  });
});
