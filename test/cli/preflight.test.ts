import { describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.ts";

describe("csr-gitops preflight on the command line", () => {
  it("is listed in the usage and explains itself with --help", async () => {
    expect((await runCli(["--help"])).stdout).toContain("preflight");
    const help = await runCli(["preflight", "--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Exit status: 0 when every check passes");
  });

  it("takes no arguments", async () => {
    const run = await runCli(["preflight", "extra"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("takes no arguments");
  });
});
