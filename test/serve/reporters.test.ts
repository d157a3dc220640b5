/**
 * What the app's and the controller's reports become on /metrics: decisions by result and signer
 * (a signer the policy does not name is "other"), latency from CSR creation to a decision written
 * to Kubernetes, receipts refused by kind.
 */
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createMetrics } from "../../src/serve/metrics.ts";
import { appMetrics, controllerEvents } from "../../src/serve/reporters.ts";
import { SignerLabels } from "../../src/serve/signer-label.ts";

const NOW = Date.parse("2026-11-29T12:00:00Z");
const csr = (signer: string, unknownSigner = false) => ({
  uid: "u1",
  signer,
  requester: "system:node:worker-1",
  createdAt: "2026-11-29T11:50:00Z",
  unknownSigner,
});

async function text(metrics: ReturnType<typeof createMetrics>): Promise<string> {
  return metrics.registry.metrics();
}

describe("appMetrics", () => {
  it("counts decisions by result and signer and observes the latency of written decisions only", async () => {
    const metrics = createMetrics(() => NOW);
    const app = appMetrics(metrics, () => NOW);
    app.decision("approved", [], csr("kubernetes.io/kubelet-serving"));
    app.decision("refused", ["not-enough-approvals"], csr("kubernetes.io/kubelet-serving"));
    app.decision("denied", [], csr("example.com/unknown", true));
    app.receiptRefused("decision");
    const out = await text(metrics);
    expect(out).toContain(
      'csr_gitops_decisions_total{result="approved",signer="kubernetes.io/kubelet-serving"} 1',
    );
    expect(out).toContain(
      'csr_gitops_decisions_total{result="refused",signer="kubernetes.io/kubelet-serving"} 1',
    );
    expect(out).toContain('csr_gitops_decisions_total{result="denied",signer="other"} 1');
    expect(out).toContain('csr_gitops_decision_latency_seconds_sum{result="approved"} 600');
    expect(out).toContain('csr_gitops_decision_latency_seconds_count{result="denied"} 1');
    expect(out).not.toContain('csr_gitops_decision_latency_seconds_count{result="refused"}');
    expect(out).toContain('csr_gitops_receipts_refused_total{kind="decision"} 1');
  });

  it("counts a decision without its record's CSR under signer other, without latency", async () => {
    const metrics = createMetrics(() => NOW);
    appMetrics(metrics, () => NOW).decision("refused", ["record-missing"]);
    const out = await text(metrics);
    expect(out).toContain('csr_gitops_decisions_total{result="refused",signer="other"} 1');
  });
});

describe("controllerEvents", () => {
  it("counts a policyDenied deny with its signer and latency", async () => {
    const metrics = createMetrics(() => NOW);
    const events = controllerEvents(pino({ level: "silent" }), metrics, () => NOW);
    events.count("csr_denied_at_once", {
      cluster: "prod",
      signer: "kubernetes.io/kube-apiserver-client",
      createdAt: "2026-11-29T11:59:00Z",
    });
    const out = await text(metrics);
    expect(out).toContain(
      'csr_gitops_decisions_total{result="denied",signer="kubernetes.io/kube-apiserver-client"} 1',
    );
    expect(out).toContain('csr_gitops_decision_latency_seconds_sum{result="denied"} 60');
  });
});

describe("SignerLabels", () => {
  it("bounds the label values: unknown, malformed and past the cap are other", () => {
    const labels = new SignerLabels(2);
    expect(labels.label("example.com/a", false)).toBe("example.com/a");
    expect(labels.label("example.com/b", true)).toBe("other");
    expect(labels.label('evil"}\n/x', false)).toBe("other");
    expect(labels.label(undefined, false)).toBe("other");
    expect(labels.label("example.com/c", false)).toBe("example.com/c");
    expect(labels.label("example.com/d", false)).toBe("other");
    expect(labels.label("example.com/a", false)).toBe("example.com/a");
  });
});

describe("pending gauges", () => {
  it("show each cluster's pending CSRs and the oldest one's age, and nothing on a standby replica", async () => {
    const metrics = createMetrics(() => NOW);
    const pending = (name: string, created: string) => ({
      metadata: { name, creationTimestamp: created },
      spec: { request: "", signerName: "x/y" },
    });
    const approved = {
      metadata: { name: "done", creationTimestamp: "2026-11-28T00:00:00Z" },
      spec: { request: "", signerName: "x/y" },
      status: { conditions: [{ type: "Approved", status: "True" }] },
    };
    metrics.watchPending(
      () =>
        new Map([
          [
            "prod",
            [pending("a", "2026-11-29T10:00:00Z"), pending("b", "2026-11-29T11:00:00Z"), approved],
          ],
          ["lab", []],
        ]) as never,
    );
    let out = await text(metrics);
    expect(out).toContain('csr_gitops_pending_csrs{cluster="prod"} 2');
    expect(out).toContain('csr_gitops_oldest_pending_csr_age_seconds{cluster="prod"} 7200');
    expect(out).toContain('csr_gitops_pending_csrs{cluster="lab"} 0');
    metrics.watchPending(undefined);
    out = await text(metrics);
    expect(out).not.toContain("csr_gitops_pending_csrs{");
  });
});
