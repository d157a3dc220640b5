import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { KubeServerError } from "./kube-server-error.ts";
import { restartServer, startServer, stopServer } from "./server.ts";
import { stateFile, writeState, type KubeServerState } from "./state.ts";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "kube-server-launcher-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A pid that certainly belonged to a process that has exited. */
function deadPid(): number {
  const result = spawnSync("sh", ["-c", "echo $$"], { encoding: "utf8" });
  return Number(result.stdout.trim());
}

function stateOf(stateDir: string, pid: number): KubeServerState {
  return {
    pid,
    version: "v1.37.2",
    binary: "/nonexistent/kube-server",
    stateDir,
    apiserverUrl: "https://127.0.0.1:1",
    adminUrl: "http://127.0.0.1:2",
    adminTokenFile: join(stateDir, "admin-token"),
    caFile: join(stateDir, "pki", "ca.crt"),
    log: join(stateDir, "server.log"),
    ports: { apiserver: 1, etcdClient: 2, etcdPeer: 3, admin: 4 },
    kubeconfigs: { admin: "a", app: "b", node: "c", user: "d" },
    startedAt: new Date(0).toISOString(),
  };
}

describe("starting over an earlier run", () => {
  it("refuses a stale state file and names the fix, which clears it", async () => {
    const stateDir = tempDir();
    writeState(stateOf(stateDir, deadPid()));

    const start = startServer({ binary: "/nonexistent/kube-server", stateDir });
    await expect(start).rejects.toBeInstanceOf(KubeServerError);
    await expect(start).rejects.toThrow(/stale state file.*no longer running/);
    await expect(start).rejects.toThrow("npm run kube-server -- stop");

    expect(await stopServer(stateDir)).toMatch(/was not running; cleared its stale state/);
    expect(existsSync(stateFile(stateDir))).toBe(false);
  });

  it("refuses when the earlier server is still alive", async () => {
    const stateDir = tempDir();
    // A detached sleep stands in for the live server: its own process group, like the real one.
    const live = spawn("sleep", ["60"], { detached: true, stdio: "ignore" });
    try {
      writeState(stateOf(stateDir, live.pid ?? 0));
      const start = startServer({ binary: "/nonexistent/kube-server", stateDir });
      await expect(start).rejects.toThrow(/still running \(pid \d+/);
      await expect(start).rejects.toThrow("npm run kube-server -- stop");
    } finally {
      live.kill("SIGKILL");
    }
  });
});

describe("restarting", () => {
  it("refuses a server that does not keep its state, before stopping anything", async () => {
    const stateDir = tempDir();
    const live = spawn("sleep", ["60"], { detached: true, stdio: "ignore" });
    try {
      writeState(stateOf(stateDir, live.pid ?? 0));
      const restart = restartServer({ binary: "/nonexistent/kube-server", stateDir });
      await expect(restart).rejects.toThrow(/Only a kube-server started with keepState/);
      expect(live.exitCode).toBeNull();
      expect(existsSync(stateFile(stateDir))).toBe(true);
    } finally {
      live.kill("SIGKILL");
    }
  });

  it("refuses a state folder with no server", async () => {
    const restart = restartServer({
      binary: "/nonexistent/kube-server",
      stateDir: tempDir(),
      keepState: true,
    });
    await expect(restart).rejects.toThrow(/No running kube-server in .* to restart/);
  });
});

describe("ports", () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((done) => {
      if (server === undefined) done();
      else
        server.close(() => {
          done();
        });
    });
  });

  it("refuses a requested port that is in use and names the fix", async () => {
    server = createServer();
    const port = await new Promise<number>((resolvePort) => {
      server?.listen(0, "127.0.0.1", () => {
        const address = server?.address();
        resolvePort(typeof address === "object" && address !== null ? address.port : 0);
      });
    });
    const start = startServer({
      binary: "/nonexistent/kube-server",
      stateDir: tempDir(),
      ports: { apiserver: port },
    });
    await expect(start).rejects.toThrow(`Port ${port} (kube-apiserver) on 127.0.0.1 is in use`);
    await expect(start).rejects.toThrow("omit the port option");
  });
});
