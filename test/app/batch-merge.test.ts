import { describe, expect, it } from "vitest";
import { parseReceipt } from "../../src/core/record/receipt.ts";
import { decisionPath, type CsrKey } from "../../src/core/record/layout.ts";
import { kubeClients } from "../support/kube-clients.ts";
import { openBatchPr } from "./batch-open-pr.ts";
import { R, startHarness, type Harness } from "./harness.ts";

async function receiptOf(h: Harness, key: CsrKey) {
  const path = decisionPath(key);
  const parsed = parseReceipt((await h.fileOnMain(path.ok ? path.value : "")) ?? "");
  return parsed.ok && parsed.receipt.kind === "DecisionReceipt" ? parsed.receipt : undefined;
}

function subjects(h: Harness): string[] {
  return h
    .gitLog()
    .split("\n")
    .filter((l) => l !== "");
}

describe("a merged batch PR decides every CSR as if it stood alone", () => {
  it("two code owners approve, a third person merges: all three CSRs Approved, three decision receipts", async () => {
    const h = await startHarness();
    const csrs = await Promise.all([1, 2, 3].map(() => h.createCsr("batch")));
    const pr = await openBatchPr(h.api, csrs);
    await h.approve(pr.number, "alice", "bob");
    await h.sim.actions.merge(R, pr.number, "carol");
    await h.deliver();

    for (const key of pr.keys) {
      const csr = await h.csr(key.name);
      const approved = csr?.status?.conditions?.find((c) => c.type === "Approved");
      expect(approved?.reason).toBe("CsrGitopsPullRequestMerged");
      const receipt = await receiptOf(h, key);
      expect(receipt).toMatchObject({
        decision: "approved",
        csrUid: key.uid,
        pullRequest: pr.number,
      });
      expect(receipt?.approvedBy.map((p) => p.login)).toEqual(["alice", "bob"]);
    }
    const approvedCommits = subjects(h).filter((s) => s.startsWith("csr-gitops: approved "));
    expect(approvedCommits.sort()).toEqual(
      pr.keys.map((k) => `csr-gitops: approved prod/${k.name} (PR #${String(pr.number)})`).sort(),
    );
    expect(h.metrics.get("decision:approved")).toBe(3);
  }, 180_000);

  it("a CSR deleted before the merge is refused; the rest are approved", async () => {
    const h = await startHarness();
    const csrs = await Promise.all([1, 2, 3].map(() => h.createCsr("batch")));
    const pr = await openBatchPr(h.api, csrs);
    const [gone, ...kept] = pr.keys;
    if (gone === undefined) throw new Error("no CSR");
    await h.approve(pr.number, "alice", "bob");
    await kubeClients("admin").certificates.deleteCertificateSigningRequest({ name: gone.name });
    await h.sim.actions.merge(R, pr.number, "carol");
    await h.deliver();

    for (const key of kept) {
      expect(await h.conditions(key.name)).toContain("Approved");
      expect((await receiptOf(h, key))?.decision).toBe("approved");
    }
    const refused = await receiptOf(h, gone);
    expect(refused?.decision).toBe("refused");
    expect(refused?.refused).toContain("csr-missing");
    const log = subjects(h);
    expect(log.filter((s) => s.startsWith("csr-gitops: approved "))).toHaveLength(2);
    expect(log.filter((s) => s.startsWith("csr-gitops: refused "))).toEqual([
      `csr-gitops: refused prod/${gone.name} (PR #${String(pr.number)})`,
    ]);
  }, 180_000);

  it("closing a batch PR denies each of its CSRs, with a receipt each", async () => {
    const h = await startHarness();
    const csrs = await Promise.all([1, 2].map(() => h.createCsr("batch")));
    const pr = await openBatchPr(h.api, csrs);
    await h.sim.actions.close(R, pr.number, "carol");
    await h.deliver();
    for (const key of pr.keys) {
      expect(await h.conditions(key.name)).toContain("Denied");
      expect((await receiptOf(h, key))?.decision).toBe("denied");
    }
  }, 120_000);
});
