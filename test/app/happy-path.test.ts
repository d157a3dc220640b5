import { describe, expect, it, vi } from "vitest";
import { parseReceipt, parseReceiptMessage } from "../../src/core/record/receipt.ts";
import { decisionPath, certificatePath } from "../../src/core/record/layout.ts";
import { until } from "../kube/until.ts";
import { R, startHarness } from "./harness.ts";
import { execFileSync } from "node:child_process";

// The whole stack on a shared 2-core machine: allow it time.
vi.setConfig({ testTimeout: 120_000 });

describe("two code owners approve, a third person merges", () => {
  it("approves the CSR, the signer issues, and git log shows the merge and both receipts", async () => {
    const h = await startHarness();
    const csr = await h.createCsr("happy");
    const name = csr.metadata?.name ?? "";
    const pr = await h.openPr(csr);
    await h.approve(pr.number, "alice");
    await h.deliver();
    expect((await h.check(pr.headSha))?.title).toBe("1 of 2 code owner approvals");
    await h.approve(pr.number, "bob");
    await h.sim.actions.merge(R, pr.number, "carol");
    await h.deliver();

    const approved = await h.csr(name);
    const condition = approved?.status?.conditions?.find((c) => c.type === "Approved");
    expect(condition?.reason).toBe("CsrGitopsPullRequestMerged");
    expect(condition?.message).toMatch(
      new RegExp(
        `acme/csr-audit PR #${String(pr.number)} merged by carol at [0-9a-f]{40}; code-owner approvals: alice \\(id \\d+\\), bob \\(id \\d+\\)`,
      ),
    );

    await until("the signer to issue", async () => (await h.csr(name))?.status?.certificate);
    await h.resync();

    const decision = await h.fileOnMain(
      decisionPath(pr.key).ok ? (decisionPath(pr.key) as { value: string }).value : "",
    );
    const receipt = parseReceipt(decision ?? "");
    expect(receipt).toMatchObject({
      ok: true,
      receipt: {
        decision: "approved",
        csrUid: pr.key.uid,
        pullRequest: pr.number,
        recordBlob: pr.blobSha,
      },
    });
    const cert = certificatePath(pr.key);
    const certReceipt = parseReceipt((await h.fileOnMain(cert.ok ? cert.value : "")) ?? "");
    expect(certReceipt).toMatchObject({
      ok: true,
      receipt: { outcome: "issued", matchesRequest: true },
    });

    const log = h
      .gitLog()
      .split("\n")
      .filter((l) => l !== "");
    expect(log.slice(0, 3)).toEqual([
      `csr-gitops: certificate issued for prod/${name}`,
      `csr-gitops: approved prod/${name} (PR #${String(pr.number)})`,
      `Merge pull request #${String(pr.number)} from acme/${pr.branch}`,
    ]);
    const message = execFileSync("git", ["log", "-1", "--skip=1", "--format=%B", "main"], {
      cwd: h.sim.repoPath("acme", "csr-audit"),
    }).toString();
    const fromTrailers = parseReceiptMessage(message);
    expect(
      fromTrailers.ok &&
        fromTrailers.receipt.kind === "DecisionReceipt" &&
        fromTrailers.receipt.approvedBy.map((p) => p.login),
    ).toEqual(["alice", "bob"]);
    expect(await h.labels(pr.number)).toContain("approved");
    const comments = await h.comments(pr.number);
    expect(comments.some((c) => c.includes("### ✅ Approved"))).toBe(true);
    expect(h.metrics.get("decision:approved")).toBe(1);
  });
});
