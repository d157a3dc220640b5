import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createHttpServer } from "../../src/serve/http-server.ts";
import { createMetrics } from "../../src/serve/metrics.ts";
import { Readiness } from "../../src/serve/readiness.ts";

const servers: { close: () => void }[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function start(readiness = new Readiness()) {
  const metrics = createMetrics();
  const hooks: string[] = [];
  const server = createHttpServer({
    readiness,
    registry: metrics.registry,
    webhooks: (req, res, next) => {
      if (req.url !== "/api/github/webhooks") {
        next?.();
        return;
      }
      hooks.push(req.method ?? "");
      res.writeHead(202).end();
    },
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, metrics, hooks };
}

describe("serve's HTTP server", () => {
  it("answers /healthz while the process lives", async () => {
    const { base } = await start();
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("ok\n");
  });

  it("is not ready until every condition holds, and says which is missing", async () => {
    const readiness = new Readiness();
    readiness.require("cluster prod: watch synced");
    readiness.require("github: authentication");
    const { base } = await start(readiness);

    const before = await fetch(`${base}/readyz`);
    expect(before.status).toBe(503);
    expect(await before.json()).toEqual({
      ready: false,
      checks: [
        { name: "cluster prod: watch synced", ok: false, detail: "not checked yet" },
        { name: "github: authentication", ok: false, detail: "not checked yet" },
      ],
    });

    readiness.set("cluster prod: watch synced", true, "12 CSRs listed");
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    readiness.set("github: authentication", true, "installation 77");
    const after = await fetch(`${base}/readyz`);
    expect(after.status).toBe(200);
    expect(((await after.json()) as { ready: boolean }).ready).toBe(true);

    readiness.set("github: authentication", false, "401 Bad credentials");
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
  });

  it("with no condition declared is not ready", async () => {
    const { base } = await start();
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
  });

  it("serves the metrics in Prometheus text format", async () => {
    const { base, metrics } = await start();
    metrics.decisions.inc({ result: "approved", signer: "kubernetes.io/kubelet-serving" });
    metrics.receiptsRefused.inc();
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toContain(
      'csr_gitops_decisions_total{result="approved",signer="kubernetes.io/kubelet-serving"} 1',
    );
    expect(text).toContain("csr_gitops_receipts_refused_total 1");
    expect(text).toContain("csr_gitops_process_resident_memory_bytes");
  });

  it("hands the webhook path to the webhook middleware and 404s the rest", async () => {
    const { base, hooks } = await start();
    const hook = await fetch(`${base}/api/github/webhooks`, { method: "POST", body: "{}" });
    expect(hook.status).toBe(202);
    expect(hooks).toEqual(["POST"]);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: "POST" })).status).toBe(404);
  });
});
