/** Runs `csr-gitops audit --output json` on a repository made by AuditRepoBuilder. */
import { runCli } from "../../support/run-cli.ts";
import type { AuditRepoBuilder } from "./audit-repo-builder.ts";

export interface JsonReport {
  generatedAt: string;
  summary: Record<string, number>;
  findings: {
    code: string;
    severity: string;
    commit?: string;
    subject: string;
    detail: string;
    why: string;
  }[];
  ledger: {
    id: string;
    decision: string;
    decisionCounts: boolean;
    approvers: string;
    pullRequest?: number;
    decisionCommit: string;
    findings: string;
  }[];
  timeline: { event: string; subject: string }[];
}

export async function audit(
  r: AuditRepoBuilder,
  extra: string[] = [],
): Promise<{ status: number; report: JsonReport; stderr: string }> {
  const run = await runCli([
    "audit",
    "--repo",
    r.dir,
    "--signing-key",
    r.appKeyFile,
    "--output",
    "json",
    "--app-bot-id",
    "41898282",
    ...extra,
  ]);
  return {
    status: run.status,
    report: (run.status === 2
      ? { findings: [], ledger: [], summary: {}, timeline: [] }
      : JSON.parse(run.stdout)) as JsonReport,
    stderr: run.stderr,
  };
}
