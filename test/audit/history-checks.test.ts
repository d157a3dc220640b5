import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.ts";
import { audit, type JsonReport } from "./support/audit-json.ts";
import { makeSshKey, PEOPLE, personIdentity } from "./support/audit-repo-builder.ts";
import { auditRepos } from "./support/audit-repos.ts";

const repo = auditRepos();

describe("audit of a repository made by the flow", () => {
  it("is clean when every record was approved by two code owners and receipted by the app", async () => {
    const r = repo();
    const one = r.approve({ name: "worker-1-serving", ...servingOf("worker-1") });
    const two = r.approve({ name: "worker-2-serving", ...servingOf("worker-2") });
    const { status, report } = await audit(r);
    expect(report.findings).toEqual([]);
    expect(status).toBe(0);
    expect(report.summary).toMatchObject({ csrs: 2, approved: 2, alarms: 0, warnings: 0 });
    expect(report.ledger.map((e) => [e.id, e.decision, e.decisionCounts, e.approvers])).toEqual([
      [
        `prod-eu/worker-1-serving_${one.pr.key.uid}`,
        "approved",
        true,
        "alice (id 1001), bob (id 1002)",
      ],
      [
        `prod-eu/worker-2-serving_${two.pr.key.uid}`,
        "approved",
        true,
        "alice (id 1001), bob (id 1002)",
      ],
    ]);
    expect(report.timeline.map((e) => e.event)).toEqual([
      "recorded",
      "merged",
      "approved",
      "recorded",
      "merged",
      "approved",
    ]);
  });

  it("reports a forged receipt: trailers written by hand by someone who is not the app", async () => {
    const r = repo();
    const pr = r.openRecordPr(servingOf("worker-3"));
    const merge = r.merge(pr);
    const forged = r.writeReceipt(r.decision(pr, merge), {
      author: personIdentity(PEOPLE.mallory),
      signer: "none",
    });
    const { status, report } = await audit(r);
    expect(status).toBe(1);
    const codes = report.findings.map((f) => [f.code, f.commit]);
    expect(codes).toContainEqual(["receipt-not-app", forged]);
    expect(codes).toContainEqual(["record-merged-without-receipt", merge]);
    expect(report.ledger[0]).toMatchObject({ decision: "approved", decisionCounts: false });
    for (const f of report.findings) expect(f.why).not.toBe("");
  });

  it("reports a receipt with the app's name but no signature, or another key's signature", async () => {
    const r = repo();
    const a = r.openRecordPr(servingOf("worker-4"));
    const unsigned = r.writeReceipt(r.decision(a, r.merge(a)), { signer: "none" });
    const b = r.openRecordPr(servingOf("worker-5"));
    const other = makeSshKey(r.root, "mallory-key");
    const wrongKey = r.writeReceipt(r.decision(b, r.merge(b)), { signer: other });
    const { status, report } = await audit(r);
    expect(status).toBe(1);
    const codes = report.findings.map((f) => [f.code, f.commit]);
    expect(codes).toContainEqual(["receipt-signature-missing", unsigned]);
    expect(codes).toContainEqual(["receipt-signature-invalid", wrongKey]);
  });

  it("reports a record rewritten after its decision", async () => {
    const r = repo();
    const { pr } = r.approve(servingOf("worker-6"));
    const rewrite = r.commit({
      branch: "main",
      files: {
        [pr.recordPath]: r.git(["show", `main:${pr.recordPath}`]).replace("worker-6", "worker-9"),
      },
      message: "Fix record",
      author: personIdentity(PEOPLE.mallory),
    });
    const { status, report } = await audit(r);
    expect(status).toBe(1);
    expect(report.findings.map((f) => [f.code, f.commit])).toContainEqual([
      "record-rewritten",
      rewrite,
    ]);
  });

  it("reports a merged record with no receipt once the grace period has passed", async () => {
    const r = repo();
    const pr = r.openRecordPr(servingOf("worker-7"));
    const merge = r.merge(pr);
    const late = await audit(r);
    expect(late.report.findings.map((f) => [f.code, f.commit])).toEqual([
      ["record-merged-without-receipt", merge],
    ]);
    expect(late.status).toBe(1);
    const { report, status } = await audit(r, ["--receipt-grace", String(10_000_000)]);
    expect(report.findings).toEqual([]);
    expect(status).toBe(0);
  });

  it("reports approvers who were not code owners, and too few approvals", async () => {
    const r = repo();
    const pr = r.openRecordPr(servingOf("worker-8"));
    const merge = r.merge(pr);
    const receipt = r.writeReceipt(
      r.decision(pr, merge, { approvedBy: [PEOPLE.alice, PEOPLE.mallory] }),
    );
    const { report } = await audit(r);
    const found = report.findings.map((f) => [f.code, f.commit, f.detail]);
    expect(found).toContainEqual([
      "approver-not-code-owner",
      receipt,
      expect.stringContaining("mallory (id 1666) is not a code owner"),
    ]);
    expect(found).toContainEqual([
      "approvals-too-few",
      receipt,
      "1 code-owner approval where 2 were required",
    ]);
  });

  it("judges approvers by the CODEOWNERS of the base the PR was merged into, not today's", async () => {
    const r = repo({ codeowners: "/clusters/ @alice @bob\n" });
    const pr = r.openRecordPr(servingOf("worker-10"));
    const merge = r.merge(pr);
    r.writeReceipt(r.decision(pr, merge));
    // Later, bob leaves the owners: his earlier approval still counted when it was given.
    r.commit({
      branch: "main",
      files: { ".github/CODEOWNERS": "/clusters/ @alice @carol\n" },
      message: "Owners",
      author: personIdentity(PEOPLE.alice),
    });
    expect((await audit(r)).report.findings).toEqual([]);
  });

  it("reports a receipt whose digest is not the record's", async () => {
    const r = repo();
    const pr = r.openRecordPr(servingOf("worker-11"));
    const merge = r.merge(pr);
    const receipt = r.writeReceipt(r.decision(pr, merge, { requestSha256: "0".repeat(64) }));
    const { report } = await audit(r);
    expect(report.findings.map((f) => [f.code, f.commit])).toContainEqual([
      "receipt-digest-mismatch",
      receipt,
    ]);
  });

  it("reports a decision with no record", async () => {
    const r = repo();
    const pr = r.openRecordPr(servingOf("worker-12"));
    // Never merged, yet an approval receipt appears.
    const receipt = r.writeReceipt(r.decision(pr, r.tip(pr.branch)));
    const { report } = await audit(r);
    expect(report.findings.map((f) => [f.code, f.commit])).toContainEqual([
      "receipt-without-record",
      receipt,
    ]);
  });

  it("reports trailers that do not parse", async () => {
    const r = repo();
    const pr = r.openRecordPr(servingOf("worker-13"));
    const merge = r.merge(pr);
    const receipt = r.writeReceipt(r.decision(pr, merge), {
      message:
        "csr-gitops: approved\n\nCsr-Gitops-Receipt: decision/v1\nCsr-Gitops-Decision: approved\n",
    });
    const { report } = await audit(r);
    expect(report.findings.map((f) => [f.code, f.commit])).toContainEqual([
      "receipt-trailers-invalid",
      receipt,
    ]);
  });

  it("cannot count receipts when no signing key is given: a warning, not silence", async () => {
    const r = repo();
    r.approve(servingOf("worker-14"));
    const run = await runCli(["audit", "--repo", r.dir, "--output", "json"]);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.findings.map((f) => f.code)).toContain("receipt-signature-unchecked");
    expect(run.status).toBe(1);
  });

  it("--cache-dir keeps parsed records by blob SHA: the second run reads the same ledger from it", async () => {
    const r = repo();
    r.approve(servingOf("worker-15"));
    const cacheDir = `${r.root}/cache`;
    const first = await audit(r, ["--cache-dir", cacheDir]);
    const files = readdirSync(cacheDir);
    expect(files).toHaveLength(1);
    const cached = JSON.parse(readFileSync(`${cacheDir}/${files[0] ?? ""}`, "utf8")) as {
      records: Record<string, unknown>;
      receipts: Record<string, unknown>;
    };
    expect(Object.keys(cached.records)).toHaveLength(1);
    expect(Object.keys(cached.receipts)).toHaveLength(1);
    const second = await audit(r, ["--cache-dir", cacheDir]);
    expect(second.report).toEqual({ ...first.report, generatedAt: second.report.generatedAt });
    expect(second.status).toBe(0);
  });

  it("--since reports only what happened from then on, while still verifying the whole history", async () => {
    const r = repo();
    const early = r.openRecordPr(servingOf("worker-16"));
    const merge = r.merge(early); // merged, never receipted: a finding at the early time
    r.tick(24 * 60);
    const since = r.now().toISOString();
    const late = r.approve(servingOf("worker-17"));
    const { report } = await audit(r, ["--since", since]);
    expect(report.ledger.map((e) => e.id)).toEqual([
      `prod-eu/${late.pr.key.name}_${late.pr.key.uid}`,
    ]);
    expect(report.findings).toEqual([]);
    const all = await audit(r);
    expect(all.report.findings.map((f) => [f.code, f.commit])).toEqual([
      ["record-merged-without-receipt", merge],
    ]);
  });

  it("exits 2 when the repository cannot be read", async () => {
    const run = await runCli(["audit", "--repo", "/nonexistent/audit-repo"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/not a git repository/);
  });
});

function servingOf(node: string): {
  signerName: string;
  usages: string[];
  username: string;
  groups: string[];
  key: "ed25519" | "p256";
  subject: { CN: string; O: string[] };
  dns: string[];
  ips: string[];
} {
  return {
    key: "p256",
    subject: { CN: `system:node:${node}`, O: ["system:nodes"] },
    dns: [node],
    ips: ["10.0.0.11"],
    signerName: "kubernetes.io/kubelet-serving",
    usages: ["digital signature", "server auth"],
    username: `system:node:${node}`,
    groups: ["system:nodes", "system:authenticated"],
  };
}
