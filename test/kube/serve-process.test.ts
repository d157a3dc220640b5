/**
 * `csr-gitops serve` as its own process, configured only through the environment exactly as a
 * deployment is (GHE_HOST pointing at the GitHub simulator over HTTP, the app's least-privilege
 * kubeconfig): it becomes ready, opens a PR for a pending CSR, exposes metrics, and on SIGTERM
 * releases its Lease and exits 0.
 */
import { V1ObjectMeta } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { kubeClients } from "../support/kube-clients.ts";
import { kubeletServingRequest, uniqueName } from "./csr-requests.ts";
import { spawnServe, startServeProcess } from "./serve-process-harness.ts";
import { until } from "./until.ts";

describe("csr-gitops serve as a process", () => {
  it("refuses to start without settings, naming each one", async () => {
    const { child, stderr } = spawnServe({});
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(2);
    const text = stderr.join("");
    for (const name of [
      "APP_ID",
      "WEBHOOK_SECRET",
      "CSR_GITOPS_AUDIT_REPO",
      "CSR_GITOPS_CLUSTERS",
    ]) {
      expect(text).toContain(`${name}: is required`);
    }
  });

  it("gets ready, opens a PR for a pending CSR, counts it, and stops cleanly on SIGTERM", async () => {
    const { sim, url, run, lease, serve } = await startServeProcess();
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    const name = uniqueName("serve");
    const body = kubeletServingRequest(name).body;
    const metadata = body.metadata ?? new V1ObjectMeta();
    metadata.labels = { "csr-gitops-test": run };
    body.metadata = metadata;
    const csr = await kubeClients("node").certificates.createCertificateSigningRequest({ body });
    const uid = csr.metadata?.uid ?? "";
    const pulls = await until("a PR for the CSR", () => {
      const open = [...sim.state.repos.values()]
        .flatMap((r) => [...r.pulls.values()])
        .filter((p) => p.headRef.endsWith(uid));
      return Promise.resolve(open.length > 0 ? open : undefined);
    });
    expect(pulls).toHaveLength(1);

    // The PR is visible before the controller's last step (labels, check run) counts it.
    const opened = 'csr_gitops_pull_requests_opened_total{cluster="test"} 1';
    await until("the opened PR to be counted", async () =>
      (await (await fetch(`${url}/metrics`)).text()).includes(opened),
    );

    const coordination = kubeClients("admin").coordination;
    const held = await coordination.readNamespacedLease({ name: lease, namespace: "csr-gitops" });
    expect(held.spec?.holderIdentity).toBe("serve-test-0");

    serve.child.kill("SIGTERM");
    const code = await new Promise<number | null>((resolve) => serve.child.on("exit", resolve));
    expect(code, serve.stderr.join("")).toBe(0);
    expect(serve.lines.some((l) => l.msg === "stopped")).toBe(true);
    const released = await coordination.readNamespacedLease({
      name: lease,
      namespace: "csr-gitops",
    });
    expect(released.spec?.holderIdentity ?? "").not.toBe("serve-test-0");
    expect(serve.lines.filter((l) => (l.level ?? 0) >= 50)).toEqual([]);
  }, 120_000);
});
