/**
 * `npm run demo` as a newcomer runs it: it completes the story with its JSON summary, leaves the
 * audit repository, report and PR pages on disk, and stops every process it started, also when
 * interrupted with Ctrl-C (SIGINT) in the middle. Each run starts its own Kubernetes test server.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { until } from "../kube/until.ts";
import { E2E_TIMEOUT } from "./e2e-fixture.ts";

const root = join(import.meta.dirname, "..", "..");

function runDemo(args: readonly string[]) {
  const child = spawn(process.execPath, [join(root, "scripts", "demo", "demo.ts"), ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out: string[] = [];
  const err: string[] = [];
  child.stdout.on("data", (c: Buffer) => out.push(c.toString("utf8")));
  child.stderr.on("data", (c: Buffer) => err.push(c.toString("utf8")));
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  const exit = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { child, out, err, exit };
}

/** Processes whose command line names this pid as the one to exit with (the demo's kube-server). */
function serversOf(pid: number | undefined): string[] {
  return execFileSync("ps", ["-eo", "args"], { encoding: "utf8" })
    .split("\n")
    .filter((l) => l.includes(`--exit-with-pid=${String(pid)}`));
}

function outDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "csr-gitops-demo-test-"));
  onTestFinished(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

interface Summary {
  ok: boolean;
  csrs: { verdict: string; conditions: string[]; certificate?: { subject: string } }[];
  files: { auditRepository: string; auditReport: string; prPages: string[] };
}

describe("npm run demo", E2E_TIMEOUT, () => {
  it("tells the story, leaves its files, and stops everything it started", async () => {
    const out = outDir();
    const demo = runDemo(["--json", "--out", out]);
    const code = await demo.exit;
    expect(code, demo.err.join("")).toBe(0);
    const summary = JSON.parse(demo.out.join("")) as Summary;
    expect(summary.ok).toBe(true);
    expect(summary.csrs.map((c) => [c.verdict, c.conditions])).toEqual([
      ["allow", ["Approved"]],
      ["deny", ["Denied"]],
    ]);
    expect(summary.csrs[0]?.certificate?.subject).toContain("CN=system:node:worker-1");
    const log = execFileSync("git", ["log", "--format=%s"], {
      cwd: summary.files.auditRepository,
      encoding: "utf8",
    });
    expect(log).toMatch(/^csr-gitops: approved demo\/worker-1-serving-/m);
    expect(log).toMatch(/^csr-gitops: certificate issued for demo\/worker-1-serving-/m);
    expect(log).toMatch(/^csr-gitops: denied demo\/alice-client-/m);
    expect(readFileSync(summary.files.auditReport, "utf8")).toMatch(/^<!doctype html>/i);
    expect(summary.files.prPages).toHaveLength(2);
    for (const page of summary.files.prPages) expect(existsSync(page)).toBe(true);
    const story = demo.err.join("");
    expect(story).toContain("policy verdict: ALLOW");
    expect(story).toContain("policy verdict: DENY");
    expect(story).toContain("carol merged it");
    expect(serversOf(demo.child.pid)).toEqual([]);
  });

  it("stops the test server and serve on Ctrl-C", async () => {
    const demo = runDemo(["--out", outDir()]);
    await until(
      "the demo to start serve",
      () => demo.out.join("").includes("csr-gitops serve running as pid"),
      300_000,
    );
    const servePid = /serve running as pid (\d+)/.exec(demo.out.join(""))?.[1];
    expect(serversOf(demo.child.pid)).toHaveLength(1);
    demo.child.kill("SIGINT");
    expect(await demo.exit).toBe(130);
    expect(serversOf(demo.child.pid)).toEqual([]);
    const alive = execFileSync("ps", ["-eo", "pid"], { encoding: "utf8" })
      .split("\n")
      .map((l) => l.trim());
    expect(alive).not.toContain(servePid);
  });
});
