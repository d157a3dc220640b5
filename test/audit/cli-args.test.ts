import { describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.ts";

describe("csr-gitops audit arguments", () => {
  it("--help prints the usage and exits 0; the command is listed", async () => {
    const help = await runCli(["audit", "--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Usage: csr-gitops audit --repo PATH_OR_URL");
    expect(help.stdout).toContain("Exit status: 0 when clean");
    const top = await runCli(["--help"]);
    expect(top.stdout).toMatch(/^\s+audit\s+Rebuild and verify the ledger/m);
  });

  it.each([
    [[], "--repo is required"],
    [
      ["--repo", "x", "--output", "pdf"],
      "--output must be one of table, json, csv, markdown, html",
    ],
    [["--repo", "x", "--cluster", "prod"], "give one --context for each --cluster"],
    [["--repo", "x", "--since", "yesterday"], '--since "yesterday" is not a date'],
    [["--repo", "x", "--interval", "0"], "--interval must be a number of at least 1"],
    [["--repo", "x", "--app-slug", "a/b"], "--app-slug is not an app slug"],
  ])("refuses %j with exit 2", async (args, message) => {
    const run = await runCli(["audit", ...args]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it("exits 2 for an unknown kubeconfig context or an unreadable signing key", async () => {
    const context = await runCli([
      "audit",
      "--repo",
      ".",
      "--cluster",
      "prod",
      "--context",
      "nope",
      "--kubeconfig",
      "/nonexistent/kubeconfig",
    ]);
    expect(context.status).toBe(2);
    expect(context.stderr).toMatch(/cluster prod: kubeconfig/);
    const key = await runCli(["audit", "--repo", ".", "--signing-key", "/nonexistent/key.pub"]);
    expect(key.status).toBe(2);
    expect(key.stderr).toContain("--signing-key /nonexistent/key.pub");
  });
});
