import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../../../", import.meta.url).pathname;
const COMMAND = [
  "run",
  "github-sim",
  "--",
  "--seed",
  "test/github-sim/seeds/example.yaml",
  "--port",
  "0",
];

/** Reads the child's stdout until every pattern has matched a line; returns the first groups. */
async function announced(child: ChildProcess, patterns: readonly RegExp[]): Promise<string[]> {
  let out = "";
  let err = "";
  child.stderr?.on("data", (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve, reject) => {
    const check = () => {
      const found = patterns.map((p) => p.exec(out)?.[1]);
      if (found.every((f): f is string => f !== undefined)) resolve(found);
    };
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      check();
    });
    child.once("exit", (code) => {
      reject(
        new Error(`github-sim exited (${String(code)}) before announcing itself:\n${out}${err}`),
      );
    });
  });
}

/** True while any process of the group (npm, its shell, the node server) is still alive. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw error;
  }
}

async function stop(child: ChildProcess, pgid: number): Promise<void> {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  process.kill(-pgid, "SIGTERM");
  await exited;
  for (let i = 0; i < 100 && groupAlive(pgid); i++) await sleep(100);
}

describe("npm run github-sim", () => {
  it("prints its base URL, serves Octokit over HTTP, and leaves no process or key behind", async () => {
    // Its own process group, so the test can stop npm and the server it started, and check both are gone.
    const child = spawn("npm", COMMAND, {
      cwd: ROOT,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const pgid = child.pid;
    if (pgid === undefined) throw new Error("npm did not start");
    try {
      const [baseUrl = "", keyPath = "", repoPath = ""] = await announced(child, [
        /^GitHub simulator listening on (http:\/\/127\.0\.0\.1:\d+)$/m,
        /^App private key: (.+)$/m,
        /^Repository acme\/csr-audit: (.+)$/m,
      ]);

      const alice = new Octokit({ baseUrl, auth: "ghp_alice_example_token_0001" });
      const repo = await alice.rest.repos.get({ owner: "acme", repo: "csr-audit" });
      expect(repo.data.url).toBe(`${baseUrl}/repos/acme/csr-audit`);

      // The app's way in: a JWT signed with the printed key, exchanged for an installation token.
      const app = new Octokit({
        baseUrl,
        authStrategy: createAppAuth,
        auth: { appId: 424242, privateKey: readFileSync(keyPath, "utf8"), installationId: 777 },
      });
      const main = await app.rest.repos.getBranch({
        owner: "acme",
        repo: "csr-audit",
        branch: "main",
      });
      expect(main.data.protected).toBe(true);
      expect(existsSync(keyPath)).toBe(true);
      expect(existsSync(repoPath)).toBe(true);

      await stop(child, pgid);
      expect(groupAlive(pgid)).toBe(false);
      expect(existsSync(keyPath)).toBe(false);
      expect(existsSync(repoPath)).toBe(false);
    } finally {
      if (groupAlive(pgid)) process.kill(-pgid, "SIGKILL");
    }
  });
});
