/**
 * The port race: free ports are picked by binding port 0 and closing it, and the server binds them
 * later; another process can take one in between. A stand-in server (a small Node script taking
 * the real server's flags) fails with Go's "address already in use" message as often as told, so
 * the launcher's retry is exercised without the real binary.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { PORT_CLASH_ATTEMPTS, startServer, stopServer } from "./server.ts";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "kube-server-ports-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A stand-in server: the first `clashes` starts print Go's bind error and exit 1; later starts
 * serve /readyz on --admin-port until SIGTERM. Each start appends its ports to `starts.log`.
 */
function standIn(dir: string, clashes: number): string {
  const script = join(dir, "kube-server");
  writeFileSync(
    script,
    `#!/usr/bin/env node
const { appendFileSync, readFileSync } = require("node:fs");
const { createServer } = require("node:http");
const flag = (name) => process.argv.find((a) => a.startsWith("--" + name + "="))?.split("=")[1];
const log = ${JSON.stringify(join(dir, "starts.log"))};
appendFileSync(log, [flag("apiserver-port"), flag("etcd-client-port"), flag("etcd-peer-port"), flag("admin-port")].join(" ") + "\\n");
const starts = readFileSync(log, "utf8").trim().split("\\n").length;
if (starts <= ${clashes}) {
  console.error("listen tcp 127.0.0.1:" + flag("etcd-peer-port") + ": bind: address already in use");
  process.exit(1);
}
const server = createServer((req, res) => { res.writeHead(req.url === "/readyz" ? 200 : 404); res.end("ok"); });
server.listen(Number(flag("admin-port")), "127.0.0.1");
process.on("SIGTERM", () => { server.close(); process.exit(0); });
`,
  );
  chmodSync(script, 0o755);
  return script;
}

function starts(dir: string): string[][] {
  return readFileSync(join(dir, "starts.log"), "utf8")
    .trim()
    .split("\n")
    .map((line) => line.split(" "));
}

describe("a port taken between picking and binding", () => {
  it("is picked again, and the server starts on the new ports", async () => {
    const dir = tempDir();
    const stateDir = join(dir, "state");
    const state = await startServer({ binary: standIn(dir, 2), stateDir, readyTimeoutMs: 30_000 });
    try {
      const tried = starts(dir);
      expect(tried).toHaveLength(3);
      expect(tried[2]).toEqual(
        [
          state.ports.apiserver,
          state.ports.etcdClient,
          state.ports.etcdPeer,
          state.ports.admin,
        ].map(String),
      );
      expect((await fetch(`${state.adminUrl}/readyz`)).status).toBe(200);
    } finally {
      await stopServer(stateDir);
    }
  });

  it(`gives up after ${PORT_CLASH_ATTEMPTS} clashes in a row and says what to do`, async () => {
    const dir = tempDir();
    const start = startServer({ binary: standIn(dir, 100), stateDir: join(dir, "state") });
    await expect(start).rejects.toThrow(/exited \(exit code 1\)[\s\S]*address already in use/);
    await expect(start).rejects.toThrow(
      `a port was taken by another process ${PORT_CLASH_ATTEMPTS} times`,
    );
    expect(starts(dir)).toHaveLength(PORT_CLASH_ATTEMPTS);
  });

  it("keeps a port the caller named, and does not retry when every port was named", async () => {
    const dir = tempDir();
    const { freePort } = await import("./ports.ts");
    const named = {
      apiserver: await freePort(),
      etcdClient: await freePort(),
      etcdPeer: await freePort(),
      admin: await freePort(),
    };
    const start = startServer({
      binary: standIn(dir, 1),
      stateDir: join(dir, "state"),
      ports: named,
    });
    await expect(start).rejects.toThrow("address already in use");
    expect(starts(dir)).toEqual([
      [named.apiserver, named.etcdClient, named.etcdPeer, named.admin].map(String),
    ]);
  });

  it("retries with the named apiserver port kept when only it was named", async () => {
    const dir = tempDir();
    const { freePort } = await import("./ports.ts");
    const apiserver = await freePort();
    const stateDir = join(dir, "state");
    const state = await startServer({ binary: standIn(dir, 1), stateDir, ports: { apiserver } });
    try {
      expect(starts(dir).map((ports) => ports[0])).toEqual([String(apiserver), String(apiserver)]);
      expect(state.ports.apiserver).toBe(apiserver);
    } finally {
      await stopServer(stateDir);
    }
  });
});
