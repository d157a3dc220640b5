/**
 * What the demo leaves on disk: a clone of the audit repository (for `git log`), the audit HTML
 * report (`csr-gitops audit --output html`), and each PR page rendered as GitHub would show it.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { auditRepo } from "../../test/e2e/harness/flow.ts";
import { prPageOf } from "../../test/e2e/harness/pr-view.ts";
import { CLUSTER, type Stack } from "../../test/e2e/harness/stack.ts";
import { renderPrPage } from "../../test/support/pr-page.ts";

const root = join(import.meta.dirname, "..", "..");

export interface Outputs {
  readonly auditRepository: string;
  readonly allowedSigners: string;
  readonly auditReport: string;
  readonly auditExitCode: number | null;
  readonly prPages: readonly string[];
  readonly serveLogs: string;
}

export function writeOutputs(stack: Stack, out: string): Outputs {
  const auditRepository = join(out, "audit-repo");
  execFileSync("git", ["clone", "--quiet", stack.repoPath, auditRepository]);
  // The key the simulator signs the app's commits with (GitHub's web-flow key in production).
  const allowedSigners = join(out, "allowed-signers");
  copyFileSync(stack.github.sim.webFlowKey().allowedSignersPath, allowedSigners);

  const auditReport = join(out, "audit-report.html");
  const app = stack.kube.actors.app;
  const audit = spawnSync(
    process.execPath,
    [
      join(root, "src", "cli", "bin.ts"),
      "audit",
      "--repo",
      auditRepository,
      "--signing-key",
      allowedSigners,
      "--cluster",
      CLUSTER,
      "--context",
      app.context,
      "--kubeconfig",
      app.kubeconfig,
      "--output",
      "html",
    ],
    { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  if (audit.status === 2 || audit.stdout === "")
    throw new Error(`csr-gitops audit could not run: ${audit.stderr}`);
  writeFileSync(auditReport, audit.stdout);

  const repo = auditRepo(stack);
  const prPages = repo.pulls.map((pr) => {
    const file = join(out, `pr-${String(pr.number)}.html`);
    writeFileSync(file, renderPrPage(prPageOf(repo, pr)));
    return file;
  });
  return {
    auditRepository,
    allowedSigners,
    auditReport,
    auditExitCode: audit.status,
    prPages,
    serveLogs: join(out, "serve-csr-gitops-0.log"),
  };
}
