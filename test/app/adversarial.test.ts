/**
 * Attacks (and accidents) the app must stop, each end to end: the CSR is asserted on the real
 * apiserver to stay pending (or to be denied), whatever GitHub says happened.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { reconcilePull } from "../../src/app/reconcile-pull.ts";
import { decisionPath } from "../../src/core/record/layout.ts";
import { parseReceipt } from "../../src/core/record/receipt.ts";
import { pullRequestClosed } from "../github-sim/webhooks/fixtures/pull-request-payloads.ts";
import { signPayload } from "../github-sim/webhooks/sign-payload.ts";
import { kubeClients } from "../support/kube-clients.ts";
import {
  approvedBy,
  denied,
  kubeletServingRequest,
  userClientRequestBody,
  withRequest,
} from "./csr-bodies.ts";
import { until } from "../kube/until.ts";
import { userOctokit } from "../github-sim/tests/sim-fixture.ts";
import { ALICE_TOKEN, R, SECRET, startHarness } from "./harness.ts";
import { expectPending, mergeAs, refusalCodes, setUp } from "./scenario.ts";

/** A valid policy with no rule for kubelet-serving: it denies the scenarios' CSRs. */
const DENY_KUBELET_SERVING =
  'apiVersion: csr-gitops/v2\nkind: Policy\nsigners:\n  "kubernetes.io/kube-apiserver-client":\n    usages: { allowed: ["client auth"], required: ["client auth"] }\n    keys: { rsaMinBits: 2048 }\n';
/** The shipped default policy, lowered to one approval. */
const ONE_APPROVAL = readFileSync("policy/default.yaml", "utf8").replace(
  /^requiredApprovals: 2$/m,
  "requiredApprovals: 1",
);

// Each scenario runs the whole stack on a shared 2-core machine: allow it time.
vi.setConfig({ testTimeout: 120_000 });

describe("the CSR stays pending when the two-person rule is not met", () => {
  it("one approval only", async () => {
    const { h, pr, name } = await setUp();
    await h.approve(pr.number, "alice");
    await mergeAs(h, pr);
    await expectPending(h, name);
    expect(await refusalCodes(h, pr)).toEqual(["too-few-approvals"]);
    expect((await h.comments(pr.number)).join("\n")).toContain("1 of 2 code owner approvals");
    expect(await h.labels(pr.number)).toContain("refused");
    expect(h.metrics.get("refusal:too-few-approvals")).toBe(1);
  });

  it("self-approval: the app's own installation approving its PR", async () => {
    const { h, pr, name } = await setUp();
    // A leaked installation token: GitHub refuses an author's approval, and the app would not
    // count its own bot anyway.
    await expect(
      h.api.rest.pulls.createReview({ ...R, pull_number: pr.number, event: "APPROVE" }),
    ).rejects.toMatchObject({ status: 422 });
    await h.approve(pr.number, "alice");
    await mergeAs(h, pr);
    await expectPending(h, name);
    expect(await refusalCodes(h, pr)).toEqual(["too-few-approvals"]);
  });

  it("one code owner approving twice counts once", async () => {
    const { h, pr, name } = await setUp();
    await h.approve(pr.number, "alice", "alice");
    await mergeAs(h, pr);
    await expectPending(h, name);
    expect(await refusalCodes(h, pr)).toEqual(["too-few-approvals"]);
    expect((await h.comments(pr.number)).join("\n")).toContain("1 of 2 code owner approvals");
  });

  it("approval by a non-owner with write access", async () => {
    const { h, pr, name } = await setUp();
    await h.approve(pr.number, "alice", "dave");
    await mergeAs(h, pr);
    await expectPending(h, name);
    expect((await h.comments(pr.number)).join("\n")).toContain("Not a code owner");
  });

  it("approval by a team member whose invitation is pending", async () => {
    const { h, pr, name } = await setUp();
    await h.approve(pr.number, "alice", "erin");
    await mergeAs(h, pr);
    await expectPending(h, name);
    expect((await h.comments(pr.number)).join("\n")).toContain("invitation is not accepted");
  });

  it("approval by a code owner without write access", async () => {
    const { h, pr, name } = await setUp();
    await h.approve(pr.number, "alice", "frank");
    await mergeAs(h, pr);
    await expectPending(h, name);
    expect((await h.comments(pr.number)).join("\n")).toContain("no write access");
  });

  it("a code owner's approval dismissed before the merge", async () => {
    const { h, pr, name } = await setUp();
    await h.approve(pr.number, "alice");
    const review = await h.sim.actions.review(R, pr.number, "bob", "APPROVE");
    await h.sim.actions.dismissReview(R, pr.number, review, "carol");
    await mergeAs(h, pr);
    await expectPending(h, name);
  });

  it("changes requested by a code owner", async () => {
    const { h, pr, name } = await setUp();
    await h.approve(pr.number, "alice", "bob");
    await h.sim.actions.review(R, pr.number, "frank", "REQUEST_CHANGES");
    await mergeAs(h, pr);
    await expectPending(h, name);
    expect(await refusalCodes(h, pr)).toEqual(["changes-requested"]);
  });

  it("an approver removed from the owning team before the merge", async () => {
    const { h, pr, name } = await setUp();
    await h.approve(pr.number, "alice", "bob");
    h.sim.actions.removeTeamMember("acme", "csr-approvers", "bob");
    await mergeAs(h, pr);
    await expectPending(h, name);
  });

  it("an approver's write access revoked before the merge", async () => {
    const { h, pr, name } = await setUp();
    await h.approve(pr.number, "alice", "bob");
    h.sim.actions.setCollaborator(R, "bob", "read");
    await mergeAs(h, pr);
    await expectPending(h, name);
  });

  it("CODEOWNERS on main changed before the merge to another team", async () => {
    const { h, pr, name } = await setUp();
    await h.approve(pr.number, "alice", "bob");
    await h.sim.actions.setCodeowners(
      R,
      "/.github/ @acme/security\n/clusters/ @carol @dave\n",
      "carol",
    );
    await mergeAs(h, pr);
    await expectPending(h, name);
  });
});

describe("the CSR stays pending when the PR is not the app's untouched PR", () => {
  it("an extra file pushed to the PR's branch", async () => {
    const { h, pr, name } = await setUp();
    await h.sim.actions.push(R, pr.branch, "mallory", { "README.md": "# owned\n" });
    await h.deliver();
    expect(await h.labels(pr.number)).toContain("tampered");
    const head = (await h.api.rest.pulls.get({ ...R, pull_number: pr.number })).data.head.sha;
    expect(await h.check(head)).toMatchObject({ conclusion: "failure" });
    await h.approve(pr.number, "alice", "bob");
    await mergeAs(h, pr);
    await expectPending(h, name);
    expect(h.metrics.get("tampered")).toBe(1);
  });

  it("the record edited in the PR", async () => {
    const { h, pr, name } = await setUp();
    const record = (await h.api.rest.repos.getContent({ ...R, path: pr.path, ref: pr.branch }))
      .data;
    const text =
      !Array.isArray(record) && "content" in record
        ? Buffer.from(record.content, "base64").toString()
        : "";
    await h.sim.actions.push(R, pr.branch, "mallory", {
      [pr.path]: text.replace("requiredApprovals: 2", "requiredApprovals: 1"),
    });
    await h.deliver();
    await h.approve(pr.number, "alice", "bob");
    await mergeAs(h, pr);
    await expectPending(h, name);
  });

  it("CODEOWNERS changed inside the PR to make the attacker an owner", async () => {
    const { h, pr, name } = await setUp();
    await h.sim.actions.push(R, pr.branch, "mallory", {
      ".github/CODEOWNERS": "* @mallory @alice\n",
    });
    await h.deliver();
    await h.approve(pr.number, "alice", "bob");
    await mergeAs(h, pr);
    await expectPending(h, name);
  });

  it("policy changed inside the PR to need one approval", async () => {
    const { h, pr, name } = await setUp();
    await h.sim.actions.push(R, pr.branch, "mallory", {
      ".github/csr-gitops/policy.yaml": ONE_APPROVAL,
    });
    await h.deliver();
    await h.approve(pr.number, "alice");
    await mergeAs(h, pr);
    await expectPending(h, name);
  });

  it("a tampering push reverted by another push stays tampered", async () => {
    const { h, pr, name } = await setUp();
    await h.sim.actions.push(R, pr.branch, "mallory", { "README.md": "# owned\n" });
    await h.deliver();
    await h.sim.actions.push(R, pr.branch, "mallory", { "README.md": "# audit\n" });
    await h.deliver();
    await h.approve(pr.number, "alice", "bob");
    await mergeAs(h, pr);
    await expectPending(h, name);
    expect(await refusalCodes(h, pr)).toEqual(["extra-commits", "tampered"]);
  });

  it("the approval given before a push is on an older commit", async () => {
    const { h, pr, name } = await setUp();
    await h.approve(pr.number, "alice", "bob");
    await h.sim.actions.push(R, pr.branch, "mallory", { "notes.txt": "x\n" });
    await mergeAs(h, pr);
    await expectPending(h, name);
  });

  it("merged into another branch than the default", async () => {
    const { h, pr, name } = await setUp();
    await h.sim.actions.createBranch(R, "release", "main", "carol");
    await h.api.rest.pulls.update({ ...R, pull_number: pr.number, base: "release" });
    await h.approve(pr.number, "alice", "bob");
    await mergeAs(h, pr);
    await expectPending(h, name);
    expect(await refusalCodes(h, pr)).toContain("wrong-base");
  });

  it("a PR not opened by the app, on a branch named like the app's", async () => {
    const h = await startHarness();
    const csr = await h.createCsr("adv");
    const name = csr.metadata?.name ?? "";
    const uid = csr.metadata?.uid ?? "";
    const branch = `csr-gitops/prod/${uid}`;
    await h.sim.actions.createBranch(R, branch, "main", "mallory");
    await h.sim.actions.push(R, branch, "mallory", {
      [`clusters/prod/${name}_${uid}/record.yaml`]: "forged\n",
    });
    const number = await h.sim.actions.openPull(R, "mallory", { title: "Approve", head: branch });
    await h.approve(number, "alice", "bob");
    await h.sim.actions.merge(R, number, "carol");
    await h.deliver();
    await h.resync();
    await expectPending(h, name);
  });

  it("the app's check run (naming the record blob) missing", async () => {
    const { h, pr, name } = await setUp();
    await h.api.rest.checks.update({ ...R, check_run_id: pr.checkRunId, external_id: "" });
    await h.approve(pr.number, "alice", "bob");
    await mergeAs(h, pr);
    await expectPending(h, name);
    expect(await refusalCodes(h, pr)).toContain("check-run-missing");
  });
});

describe("the CSR stays pending when the cluster or the policy says no", () => {
  it("the CSR deleted and re-created under the same name", async () => {
    const { h, pr, name } = await setUp();
    await h.approve(pr.number, "alice", "bob");
    const admin = kubeClients("admin").certificates;
    await admin.deleteCertificateSigningRequest({ name });
    await until("the CSR to be gone", async () => (await h.csr(name)) === undefined);
    const again = await kubeClients("node").certificates.createCertificateSigningRequest({
      body: kubeletServingRequest(name).body,
    });
    await mergeAs(h, pr);
    const now = await h.csr(name);
    expect(now?.metadata?.uid).toBe(again.metadata?.uid);
    await expectPending(h, name);
    expect(await refusalCodes(h, pr)).toEqual(["csr-replaced"]);
  });

  it("the CSR deleted before the merge", async () => {
    const { h, pr, name } = await setUp();
    await h.approve(pr.number, "alice", "bob");
    await kubeClients("admin").certificates.deleteCertificateSigningRequest({ name });
    await until("the CSR to be gone", async () => (await h.csr(name)) === undefined);
    await mergeAs(h, pr);
    expect(await h.csr(name)).toBeUndefined();
    expect(await refusalCodes(h, pr)).toEqual(["csr-missing"]);
  });

  it("a record whose request digest is not the live CSR's", async () => {
    const h = await startHarness();
    const csr = await h.createCsr("adv");
    const name = csr.metadata?.name ?? "";
    const other = kubeletServingRequest(name).body;
    const pr = await h.openPr(withRequest(csr, other.spec.request));
    await h.approve(pr.number, "alice", "bob");
    await mergeAs(h, pr);
    await expectPending(h, name);
    expect(await refusalCodes(h, pr)).toEqual(["request-digest-mismatch"]);
  });

  it("policy changed on main to deny before the merge", async () => {
    const { h, pr, name } = await setUp();
    await h.approve(pr.number, "alice", "bob");
    await h.sim.actions.push(R, "main", "carol", {
      ".github/csr-gitops/policy.yaml": DENY_KUBELET_SERVING,
    });
    await mergeAs(h, pr);
    await expectPending(h, name);
    expect(await refusalCodes(h, pr)).toEqual(["policy-denies", "policy-denies"]);
  });

  it("policy changed on main to deny after the merge, before the app acted", async () => {
    const { h, pr, name } = await setUp();
    await h.approve(pr.number, "alice", "bob");
    await h.deliver();
    h.sim.webhooks?.setFaults({ drop: 1 });
    await h.sim.actions.merge(R, pr.number, "carol");
    await h.deliver();
    await h.sim.actions.push(R, "main", "carol", {
      ".github/csr-gitops/policy.yaml": DENY_KUBELET_SERVING,
    });
    await h.resync();
    await expectPending(h, name);
    expect(await refusalCodes(h, pr)).toEqual(["policy-denies"]);
  });

  it("a broken policy on main", async () => {
    const { h, pr, name } = await setUp();
    await h.approve(pr.number, "alice", "bob");
    await h.sim.actions.push(R, "main", "carol", { ".github/csr-gitops/policy.yaml": "kind: [\n" });
    await mergeAs(h, pr);
    await expectPending(h, name);
  });

  it("a CSR the policy denies, approved by two owners and merged", async () => {
    const h = await startHarness();
    const csr = await kubeClients("admin").certificates.createCertificateSigningRequest({
      body: userClientRequestBody("system:kube-controller-manager"),
    });
    const name = csr.metadata?.name ?? "";
    const pr = await h.openPr(csr);
    await h.approve(pr.number, "alice", "bob");
    await mergeAs(h, pr);
    await expectPending(h, name);
  });

  it("a CSR already approved elsewhere is not approved again", async () => {
    const { h, pr, name } = await setUp();
    const admin = kubeClients("admin").certificates;
    const current = await admin.readCertificateSigningRequest({ name });
    await admin.replaceCertificateSigningRequestApproval({
      name,
      body: approvedBy(current, "Operator"),
    });
    await h.approve(pr.number, "alice", "bob");
    await mergeAs(h, pr);
    const approvals = (await h.csr(name))?.status?.conditions?.filter((c) => c.type === "Approved");
    expect(approvals?.map((c) => c.reason)).toEqual(["Operator"]);
    expect(await refusalCodes(h, pr)).toContain("csr-already-decided");
  });

  it("a CSR already denied elsewhere", async () => {
    const { h, pr, name } = await setUp();
    const admin = kubeClients("admin").certificates;
    const current = await admin.readCertificateSigningRequest({ name });
    await admin.replaceCertificateSigningRequestApproval({ name, body: denied(current) });
    await h.approve(pr.number, "alice", "bob");
    await mergeAs(h, pr);
    expect(await h.conditions(name)).toEqual(["Denied"]);
  });
});

describe("webhooks cannot approve anything by themselves", () => {
  it("a forged webhook (wrong signature) is refused and changes nothing", async () => {
    const { h, pr, name } = await setUp();
    const body = JSON.stringify(pullRequestClosed({ number: pr.number, merged: true }));
    const res = await fetch(h.webhookUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "pull_request",
        "x-github-delivery": "forged-1",
        "x-hub-signature-256": signPayload("not-the-secret", body),
      },
      body,
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    await expectPending(h, name);
  });

  it("a correctly signed webhook that lies (merged: true for an open PR) changes nothing", async () => {
    const { h, pr, name } = await setUp();
    await h.approve(pr.number, "alice", "bob");
    const payload = pullRequestClosed({ number: pr.number, merged: true });
    const lie = {
      ...payload,
      repository: {
        ...payload.repository,
        name: "csr-audit",
        owner: { ...payload.repository.owner, login: "acme" },
      },
      installation: { id: 77, node_id: "I_77" },
    };
    const body = JSON.stringify(lie);
    await fetch(h.webhookUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "pull_request",
        "x-github-delivery": "lie-1",
        "x-hub-signature-256": signPayload(SECRET, body),
      },
      body,
    });
    await expectPending(h, name);
  });

  it("a replayed merge webhook approves once, writes one receipt and one comment", async () => {
    const { h, pr, name } = await setUp();
    await h.approve(pr.number, "alice", "bob");
    h.sim.webhooks?.setFaults({ duplicate: 3 });
    await h.sim.actions.merge(R, pr.number, "carol");
    await h.deliver();
    await h.resync();
    expect(await h.conditions(name)).toEqual(["Approved"]);
    const receipts = h
      .gitLog()
      .split("\n")
      .filter((l) => l.startsWith("csr-gitops: approved"));
    expect(receipts).toHaveLength(1);
    expect((await h.comments(pr.number)).filter((c) => c.includes("✅ Approved"))).toHaveLength(1);
  });

  it("two replicas handle the same merge at once: one approval, one receipt", async () => {
    const { h, pr, name } = await setUp();
    await h.approve(pr.number, "alice", "bob");
    h.sim.webhooks?.setFaults({ drop: 5 });
    await h.sim.actions.merge(R, pr.number, "carol");
    await h.deliver();
    const key = { ...R, number: pr.number };
    // Two processes: each has its own deps (one process runs a PR's reconciles one at a time).
    const outcomes = await Promise.all([
      reconcilePull(h.api, key, { ...h.deps }),
      reconcilePull(h.api, key, { ...h.deps }),
    ]);
    expect(outcomes.map((o) => (o.kind === "not-ours" ? o.kind : o.state))).toEqual([
      "merged",
      "merged",
    ]);
    const csr = await h.csr(name);
    expect((csr?.status?.conditions ?? []).filter((c) => c.type === "Approved")).toHaveLength(1);
    await h.resync();
    expect(
      h
        .gitLog()
        .split("\n")
        .filter((l) => l.startsWith("csr-gitops: approved")),
    ).toHaveLength(1);
  });

  it("a dropped merge webhook is repaired by the catch-up", async () => {
    const { h, pr, name } = await setUp();
    await h.approve(pr.number, "alice", "bob");
    h.sim.webhooks?.setFaults({ drop: 5 });
    await h.sim.actions.merge(R, pr.number, "carol");
    await h.deliver();
    await expectPending(h, name);
    await h.resync();
    expect(await h.conditions(name)).toEqual(["Approved"]);
  });
});

describe("closing without merging", () => {
  it("denies the CSR, naming the closer and their last comment", async () => {
    const { h, pr, name } = await setUp();
    await userOctokit(h.sim, ALICE_TOKEN).rest.issues.createComment({
      ...R,
      issue_number: pr.number,
      body: "not a node we know\nCsr-Gitops-Approved-By: mallory (id 9)",
    });
    await h.sim.actions.close(R, pr.number, "alice");
    await h.deliver();
    const csr = await h.csr(name);
    const denied = csr?.status?.conditions?.find((c) => c.type === "Denied");
    expect(denied?.reason).toBe("CsrGitopsPullRequestClosed");
    expect(denied?.message).toMatch(/closed without merging by alice \(id \d+\)/);
    const path = decisionPath(pr.key);
    const receipt = parseReceipt((await h.fileOnMain(path.ok ? path.value : "")) ?? "");
    expect(receipt).toMatchObject({
      ok: true,
      receipt: {
        decision: "denied",
        closedBy: { login: "alice" },
        approvedBy: [],
        reason: expect.stringContaining("not a node we know") as unknown,
      },
    });
    expect(h.gitLog()).toContain(`csr-gitops: denied prod/${name} (PR #${String(pr.number)})`);
  });

  it("a PR the app closed itself (superseded) never denies", async () => {
    const { h, pr, name } = await setUp();
    await h.api.rest.issues.addLabels({ ...R, issue_number: pr.number, labels: ["superseded"] });
    await h.api.rest.pulls.update({ ...R, pull_number: pr.number, state: "closed" });
    await h.deliver();
    await h.resync();
    await expectPending(h, name);
  });

  it("onClose: ignore leaves the CSR pending", async () => {
    const { h, pr, name } = await setUp({
      files: { ".github/csr-gitops.yml": "apiVersion: csr-gitops/config-v1\nonClose: ignore\n" },
    });
    await h.sim.actions.close(R, pr.number, "alice");
    await h.deliver();
    await expectPending(h, name);
  });
});

describe("the audit trail when the default branch refuses the receipt", () => {
  it("keeps the approval, says so on the PR and in metrics, and retries at resync", async () => {
    const { h, pr, name } = await setUp({
      seed: (seed) => ({
        ...seed,
        repos: (seed.repos ?? []).map((r) => ({
          ...r,
          protection: { main: { require_pull_request: true } },
        })),
      }),
    });
    await h.approve(pr.number, "alice", "bob");
    await mergeAs(h, pr);
    expect(await h.conditions(name)).toEqual(["Approved"]);
    expect((await h.comments(pr.number)).join("\n")).toContain("Receipt not recorded");
    expect(h.metrics.get("receipt-refused:decision")).toBeGreaterThanOrEqual(1);
    const path = decisionPath(pr.key);
    expect(await h.fileOnMain(path.ok ? path.value : "")).toBeUndefined();
    h.sim.actions.setProtection(R, "main", undefined);
    await h.resync();
    const receipt = parseReceipt((await h.fileOnMain(path.ok ? path.value : "")) ?? "");
    expect(receipt).toMatchObject({
      ok: true,
      receipt: { decision: "approved", csrUid: pr.key.uid, pullRequest: pr.number },
    });
  });

  it("a denial whose receipt was refused gets its receipt at a resync once the branch accepts it", async () => {
    const { h, pr, name } = await setUp({
      seed: (seed) => ({
        ...seed,
        repos: (seed.repos ?? []).map((r) => ({
          ...r,
          protection: { main: { require_pull_request: true } },
        })),
      }),
    });
    await h.sim.actions.close(R, pr.number, "alice");
    await h.deliver();
    expect(await h.conditions(name)).toEqual(["Denied"]);
    const path = decisionPath(pr.key);
    expect(await h.fileOnMain(path.ok ? path.value : "")).toBeUndefined();
    h.sim.actions.setProtection(R, "main", undefined);
    await h.resync();
    const receipt = parseReceipt((await h.fileOnMain(path.ok ? path.value : "")) ?? "");
    expect(receipt).toMatchObject({
      ok: true,
      receipt: { decision: "denied", csrUid: pr.key.uid, pullRequest: pr.number },
    });
    expect(await h.conditions(name)).toEqual(["Denied"]);
    const decisionComments = (await h.comments(pr.number)).filter((c) =>
      c.includes(`csr-gitops:decision:${pr.key.uid}`),
    );
    expect(decisionComments).toHaveLength(1);
  });
});
