/**
 * `policyDenied: deny`: a CSR the policy denies is denied at once, without a PR, and the attempt
 * is in git: the record, then the decision receipt (file and trailers), both the app's commits on
 * the default branch, which `csr-gitops audit` reads as a decision with its record.
 */
import { execFileSync } from "node:child_process";
import type { Octokit } from "@octokit/rest";
import { describe, expect, it } from "vitest";
import { parseReceipt, parseReceiptMessage } from "../../src/core/record/receipt.ts";
import { parseRecord } from "../../src/core/record/record.ts";
import { kubeClients } from "../support/kube-clients.ts";
import { runCli } from "../support/run-cli.ts";
import { uniqueName } from "../kube/csr-requests.ts";
import { until } from "../kube/until.ts";
import { fileAt, pullsOf, reviewer } from "./assertions.ts";
import { crashAfter } from "./crash-after.ts";
import { controllerSeed, ensureWorker1, harness, servingCsr, type Harness } from "./harness.ts";

const DENY_AT_ONCE = controllerSeed({ ".github/csr-gitops.yml": "policyDenied: deny\n" });

/** worker-1's serving request with an IP SAN that is not the Node's: the cluster checks deny it. */
async function createDeniedCsr(h: Harness): Promise<{ name: string; uid: string }> {
  const name = uniqueName("serving");
  const created = await kubeClients("node").certificates.createCertificateSigningRequest({
    body: servingCsr(h.run, name, { ips: ["10.9.9.9"] }),
  });
  return { name, uid: created.metadata?.uid ?? "" };
}

function gitLog(h: Harness, ...args: string[]): string {
  return execFileSync("git", ["log", ...args, "main"], {
    cwd: h.sim.repoPath("acme", "csr-audit"),
  }).toString();
}

/** The file on main, or undefined while it is not there. */
async function fileOnMain(gh: Octokit, path: string): Promise<{ text: string } | undefined> {
  try {
    return await fileAt(gh, path, "main");
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}

interface AuditJson {
  findings: { code: string; subject: string }[];
  ledger: { id: string; decision: string; decisionCounts: boolean }[];
}

describe("policyDenied: deny", () => {
  it("denies at once in Kubernetes, commits the record and the decision receipt, opens no PR; audit sees the decision", async () => {
    await ensureWorker1();
    const h = await harness(DENY_AT_ONCE);
    const controller = h.controller();
    await controller.start();
    const { name, uid } = await createDeniedCsr(h);
    const denied = await until("the CSR to be denied", async () => {
      const csr = await kubeClients("admin").certificates.readCertificateSigningRequest({ name });
      return csr.status?.conditions?.find((c) => c.type === "Denied");
    });
    expect(denied.reason).toBe("CsrGitopsPolicyDenied");
    expect(denied.message).toContain("node-ip-not-node-address");
    const gh = reviewer(h.sim);
    const folder = `clusters/test/${name}_${uid}`;
    const decision = await until("the decision receipt", () =>
      fileOnMain(gh, `${folder}/decision.yaml`),
    );
    await controller.idle();

    const record = await fileAt(gh, `${folder}/record.yaml`, "main");
    const parsedRecord = parseRecord(record.text);
    expect(parsedRecord.ok && parsedRecord.record.verdict.decision).toBe("deny");
    expect(parseReceipt(decision.text)).toMatchObject({
      ok: true,
      receipt: {
        decision: "denied",
        cluster: "test",
        csrName: name,
        csrUid: uid,
        record: `${folder}/record.yaml`,
        recordBlob: record.sha,
        pullRequest: null,
        closedBy: null,
        approvedBy: [],
        reason: "node-ip-not-node-address",
        policyBlob: "builtin",
      },
    });
    expect(await pullsOf(gh, uid)).toEqual([]);
    expect(h.events.counted("csr_denied_at_once")).toBe(1);

    // git log: the record, then the receipt whose trailers say the same as the file.
    expect(gitLog(h, "-2", "--format=%s").trim().split("\n")).toEqual([
      `csr-gitops: denied test/${name} (policy)`,
      `csr-gitops: record test/${name} (denied by policy)`,
    ]);
    const fromTrailers = parseReceiptMessage(gitLog(h, "-1", "--format=%B"));
    expect(fromTrailers).toEqual(parseReceipt(decision.text));
    expect(gitLog(h, "-1", "--format=%an")).toContain("csr-gitops[bot]");

    // The audit of the simulator's repository: one denied decision that counts, nothing found.
    const audit = await runCli([
      "audit",
      "--repo",
      h.sim.repoPath("acme", "csr-audit"),
      "--signing-key",
      h.sim.webFlowKey().allowedSignersPath,
      "--output",
      "json",
    ]);
    const report = JSON.parse(audit.stdout) as AuditJson;
    expect(report.ledger.map((e) => [e.id, e.decision, e.decisionCounts])).toEqual([
      [`test/${name}_${uid}`, "denied", true],
    ]);
    expect(report.findings).toEqual([]);
    expect(audit.status).toBe(0);
  }, 90_000);

  it("a crash between the denial and the receipt: the restarted controller writes the receipt", async () => {
    await ensureWorker1();
    const h = await harness(DENY_AT_ONCE);
    const state = { crashed: false };
    // Writes: the record commit, the denial, the receipt commit.
    const first = h.controller({ wrapWrites: crashAfter(2, state) });
    await first.start();
    const { name, uid } = await createDeniedCsr(h);
    await until("the controller to crash after the denial", () => state.crashed);
    await first.stop();
    const gh = reviewer(h.sim);
    const folder = `clusters/test/${name}_${uid}`;
    expect(await fileOnMain(gh, `${folder}/decision.yaml`)).toBeUndefined();

    await h.controller().start();
    const decision = await until("the decision receipt", () =>
      fileOnMain(gh, `${folder}/decision.yaml`),
    );
    const record = await fileAt(gh, `${folder}/record.yaml`, "main");
    expect(parseReceipt(decision.text)).toMatchObject({
      ok: true,
      receipt: { decision: "denied", csrUid: uid, recordBlob: record.sha },
    });
    expect(gitLog(h, "--format=%s").match(/^csr-gitops: denied /gm)).toHaveLength(1);
  }, 90_000);
});
