/**
 * What an operator watches, from a real `csr-gitops serve` process against the real apiserver and
 * the GitHub simulator: every metric of /metrics moves when its event happens, and every decision
 * (the controller's policyDenied deny and the app's approval) is logged exactly once with cluster,
 * CSR name and uid, requester, signer, result, reasons and PR number.
 */
import { Octokit } from "@octokit/rest";
import { describe, expect, it, onTestFailed } from "vitest";
import { csrOf, ensureWorker1, servingCsr } from "../controller/harness.ts";
import { kubeClients } from "../support/kube-clients.ts";
import { OWNER, REPO, TOKENS } from "../github-sim/tests/sim-fixture.ts";
import { uniqueName } from "./csr-requests.ts";
import { sample, startServeProcess, type LogLine } from "./serve-process-harness.ts";
import { until } from "./until.ts";

const R = { owner: OWNER, repo: REPO };
const SIGNER = "kubernetes.io/kubelet-serving";

describe("csr-gitops serve: metrics and decision logs", () => {
  it("moves every metric and logs each decision once, with requester and signer", async () => {
    await ensureWorker1();
    const s = await startServeProcess({
      ".github/csr-gitops.yml": "apiVersion: csr-gitops/config-v1\npolicyDenied: deny\n",
    });
    // What serve said, to read when this fails.
    onTestFailed(() => {
      for (const line of s.serve.lines) console.log(JSON.stringify(line).slice(0, 600));
    });
    const decisions = (uid: string): LogLine[] =>
      s.serve.lines.filter((l) => l.msg === "decision" && l.uid === uid);
    const metric = async (series: string): Promise<number | undefined> =>
      sample(await s.metrics(), series);
    const atLeast = (series: string, value: number, timeoutMs?: number) =>
      until(
        `${series} >= ${String(value)}`,
        async () => ((await metric(series)) ?? -1) >= value,
        timeoutMs,
      );

    expect(await metric("csr_gitops_config_valid")).toBe(1);
    const node = kubeClients("node").certificates;

    // The policy denies it (the IP is not the node's): the controller denies it at once.
    const denied = await node.createCertificateSigningRequest({
      body: servingCsr(s.run, uniqueName("denied"), { ips: ["10.9.9.9"] }),
    });
    const deniedUid = denied.metadata?.uid ?? "";
    const [deniedLog] = await until("the deny decision to be logged", () => {
      const found = decisions(deniedUid);
      return found.length > 0 ? found : undefined;
    });
    expect(deniedLog).toMatchObject({
      cluster: "test",
      csr: denied.metadata?.name,
      uid: deniedUid,
      requester: "system:node:worker-1",
      signer: SIGNER,
      pr: null,
      decision: "denied",
    });
    expect(deniedLog?.reasons).toContain("node-ip-not-node-address");
    await atLeast(`csr_gitops_decisions_total{result="denied",signer="${SIGNER}"}`, 1);
    expect(await metric('csr_gitops_decision_latency_seconds_count{result="denied"}')).toBe(1);

    // A signer the policy does not name: counted, and the app's identity may not deny it (403).
    await node.createCertificateSigningRequest({
      body: csrOf(s.run, {
        name: uniqueName("unknown"),
        signerName: "example.com/unknown",
        usages: ["digital signature", "client auth"],
        csr: { subject: { CN: "system:node:worker-1" } },
      }),
    });
    await atLeast('csr_gitops_unknown_signers_total{cluster="test"}', 1);
    await atLeast('csr_gitops_kubernetes_errors_total{cluster="test",code="403"}', 1);

    // An allowed CSR gets a PR; both it and the unknown signer's CSR are pending.
    const allowed = await node.createCertificateSigningRequest({
      body: servingCsr(s.run, uniqueName("allowed")),
    });
    const uid = allowed.metadata?.uid ?? "";
    await atLeast('csr_gitops_pull_requests_opened_total{cluster="test"}', 1);
    expect(await metric('csr_gitops_pending_csrs{cluster="test"}')).toBe(2);
    const age = await metric('csr_gitops_oldest_pending_csr_age_seconds{cluster="test"}');
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(3600);

    // Two code owners approve, carol merges; the default branch now refuses the app's receipt.
    const pull = [...s.sim.state.repos.values()]
      .flatMap((r) => [...r.pulls.values()])
      .find((p) => p.headRef.endsWith(uid));
    if (pull === undefined) throw new Error("no PR for the allowed CSR");
    const as = (token: string) => new Octokit({ auth: token, baseUrl: s.githubUrl });
    const number = pull.number;
    await as(TOKENS.alice).rest.pulls.createReview({ ...R, pull_number: number, event: "APPROVE" });
    await as(TOKENS.bob).rest.pulls.createReview({ ...R, pull_number: number, event: "APPROVE" });
    s.sim.actions.setProtection(R, "main", { require_pull_request: true });
    await as(TOKENS.carol).rest.pulls.merge({ ...R, pull_number: number });

    // Each webhook waits for the one before it; on a busy machine that takes a while.
    const [approvedLog] = await until(
      "the approval to be logged",
      () => {
        const found = decisions(uid);
        return found.length > 0 ? found : undefined;
      },
      120_000,
    );
    expect(approvedLog).toMatchObject({
      cluster: "test",
      csr: allowed.metadata?.name,
      uid,
      requester: "system:node:worker-1",
      signer: SIGNER,
      pr: pull.number,
      decision: "approved",
      reasons: [],
    });
    await atLeast(`csr_gitops_decisions_total{result="approved",signer="${SIGNER}"}`, 1);
    expect(await metric('csr_gitops_decision_latency_seconds_count{result="approved"}')).toBe(1);
    await atLeast('csr_gitops_receipts_refused_total{kind="decision"}', 1);
    await until("the approved CSR to leave the pending count", async () =>
      (await metric('csr_gitops_pending_csrs{cluster="test"}')) === 1 ? true : undefined,
    );

    // The controller reads the optional policy and templates, absent from this audit repo: GitHub
    // answers 404, which is counted as such (the alert rules ignore it).
    await atLeast('csr_gitops_github_errors_total{status="404"}', 1);

    // GitHub answers 503 to the PR listing the controller and the catch-up make at each resync:
    // each answer is counted, and the request policy (the client's one layer of 5xx retries)
    // waits and retries. Several requests share the faults.
    s.sim.faults.add({
      method: "GET",
      path: `/repos/${OWNER}/${REPO}/pulls`,
      status: 503,
      times: 3,
    });
    await atLeast('csr_gitops_github_errors_total{status="503"}', 1, 90_000);
    await atLeast('csr_gitops_rate_limit_waits_total{kind="server-error"}', 1, 30_000);

    // Each decision was logged exactly once, resyncs included.
    expect(decisions(deniedUid)).toHaveLength(1);
    expect(decisions(uid)).toHaveLength(1);
  }, 300_000);
});
