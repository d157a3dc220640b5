/**
 * The Prometheus metrics of `serve`, on its own registry (no global state: tests make one each).
 * Names and labels are a public interface: deploy/alerts.yaml and docs/operations.md use them.
 * Label values are bounded sets (results, signers the policy names, status codes), never
 * CSR-derived free text, so a hostile CSR cannot blow up the series count; an unknown signer is
 * counted under the label "other" and logged by name.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export interface Metrics {
  readonly registry: Registry;
  /** Decisions written or refused: result approved|denied|refused, signer. */
  readonly decisions: Counter<"result" | "signer">;
  readonly pullRequestsOpened: Counter<"cluster">;
  readonly pendingCsrs: Gauge<"cluster">;
  /** Age of the oldest pending CSR; Kubernetes deletes a pending CSR at 24 h. */
  readonly oldestPendingSeconds: Gauge<"cluster">;
  /** From CSR creation to the decision written to Kubernetes. */
  readonly decisionLatency: Histogram<"result">;
  readonly unknownSigners: Counter<"cluster">;
  readonly githubErrors: Counter<"status">;
  readonly kubernetesErrors: Counter<"cluster" | "code">;
  readonly rateLimitWaits: Counter<"kind">;
  readonly rateLimitWaitSeconds: Counter<"kind">;
  readonly receiptsRefused: Counter;
  /** 1 when the audit repo's config and policy load, 0 when broken (PR creation stopped). */
  readonly configValid: Gauge;
}

const PREFIX = "csr_gitops_";

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: PREFIX });
  const registers = [registry];
  return {
    registry,
    decisions: new Counter({
      name: `${PREFIX}decisions_total`,
      help: "Decisions by result (approved, denied, refused) and signer.",
      labelNames: ["result", "signer"],
      registers,
    }),
    pullRequestsOpened: new Counter({
      name: `${PREFIX}pull_requests_opened_total`,
      help: "Pull requests opened for pending CSRs.",
      labelNames: ["cluster"],
      registers,
    }),
    pendingCsrs: new Gauge({
      name: `${PREFIX}pending_csrs`,
      help: "CSRs pending in the cluster.",
      labelNames: ["cluster"],
      registers,
    }),
    oldestPendingSeconds: new Gauge({
      name: `${PREFIX}oldest_pending_csr_age_seconds`,
      help: "Age of the oldest pending CSR (Kubernetes deletes it at 24 h).",
      labelNames: ["cluster"],
      registers,
    }),
    decisionLatency: new Histogram({
      name: `${PREFIX}decision_latency_seconds`,
      help: "Time from CSR creation to the decision written to Kubernetes.",
      labelNames: ["result"],
      buckets: [60, 300, 900, 1800, 3600, 4 * 3600, 12 * 3600, 24 * 3600],
      registers,
    }),
    unknownSigners: new Counter({
      name: `${PREFIX}unknown_signers_total`,
      help: "CSRs seen whose signer the policy does not name.",
      labelNames: ["cluster"],
      registers,
    }),
    githubErrors: new Counter({
      name: `${PREFIX}github_errors_total`,
      help: "GitHub API errors by HTTP status (0: no response).",
      labelNames: ["status"],
      registers,
    }),
    kubernetesErrors: new Counter({
      name: `${PREFIX}kubernetes_errors_total`,
      help: "Kubernetes API errors by cluster and HTTP status (0: no response).",
      labelNames: ["cluster", "code"],
      registers,
    }),
    rateLimitWaits: new Counter({
      name: `${PREFIX}rate_limit_waits_total`,
      help: "Waits for GitHub rate limits, by kind (primary, secondary).",
      labelNames: ["kind"],
      registers,
    }),
    rateLimitWaitSeconds: new Counter({
      name: `${PREFIX}rate_limit_wait_seconds_total`,
      help: "Time spent waiting for GitHub rate limits, by kind.",
      labelNames: ["kind"],
      registers,
    }),
    receiptsRefused: new Counter({
      name: `${PREFIX}receipts_refused_total`,
      help: "Receipt commits the default branch refused (branch protection); retried on resync.",
      registers,
    }),
    configValid: new Gauge({
      name: `${PREFIX}config_valid`,
      help: "1 when the audit repository's config and policy load; 0 stops PR creation.",
      registers,
    }),
  };
}
