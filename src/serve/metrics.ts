/**
 * The Prometheus metrics of `serve`, on its own registry (no global state: tests make one each).
 * Names and labels are a public interface: deploy/alerts.yaml, the README and docs/operations.md
 * use them.
 * Label values are bounded sets (results, signers the policy names, status codes), never
 * CSR-derived free text, so a hostile CSR cannot blow up the series count; an unknown signer is
 * counted under the label "other" and logged by name.
 */
import type { V1CertificateSigningRequest } from "@kubernetes/client-node";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { countPending } from "./pending-csrs.ts";

/** The CSRs the controller's informers hold, by cluster; read at each scrape. */
export type PendingSource = () => ReadonlyMap<string, readonly V1CertificateSigningRequest[]>;

export interface Metrics {
  readonly registry: Registry;
  /** Decisions written or refused: result approved|denied|refused, signer. */
  readonly decisions: Counter<"result" | "signer">;
  readonly pullRequestsOpened: Counter<"cluster">;
  readonly pendingCsrs: Gauge<"cluster">;
  /** Age of the oldest pending CSR; Kubernetes deletes a pending CSR at 24 h. */
  readonly oldestPendingSeconds: Gauge<"cluster">;
  /** From CSR creation to the decision written to Kubernetes (approved, denied). */
  readonly decisionLatency: Histogram<"result">;
  readonly unknownSigners: Counter<"cluster">;
  readonly githubErrors: Counter<"status">;
  readonly kubernetesErrors: Counter<"cluster" | "code">;
  readonly rateLimitWaits: Counter<"kind">;
  readonly rateLimitWaitSeconds: Counter<"kind">;
  /** kind: decision | certificate. */
  readonly receiptsRefused: Counter<"kind">;
  /** 1 when the audit repo's config and policy load, 0 when broken (PR creation stopped). */
  readonly configValid: Gauge;
  /**
   * Where the pending gauges read from at scrape time: the controller's cache while this replica
   * leads, nothing (no series) on a standby replica.
   */
  watchPending(source: PendingSource | undefined): void;
}

const PREFIX = "csr_gitops_";

export function createMetrics(now: () => number = Date.now): Metrics {
  const registry = new Registry();
  let pendingSource: PendingSource | undefined;
  const pendingByCluster = (): [string, ReturnType<typeof countPending>][] =>
    pendingSource === undefined
      ? []
      : [...pendingSource()].map(([cluster, csrs]) => [cluster, countPending(csrs, now())]);
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
      help: "CSRs pending in the cluster (as the controller's watch sees them; leader only).",
      labelNames: ["cluster"],
      registers,
      collect() {
        this.reset();
        for (const [cluster, counted] of pendingByCluster()) this.set({ cluster }, counted.pending);
      },
    }),
    oldestPendingSeconds: new Gauge({
      name: `${PREFIX}oldest_pending_csr_age_seconds`,
      help: "Age of the oldest pending CSR (Kubernetes deletes it at 24 h); leader only.",
      labelNames: ["cluster"],
      registers,
      collect() {
        this.reset();
        for (const [cluster, counted] of pendingByCluster())
          this.set({ cluster }, counted.oldestAgeSeconds);
      },
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
      help: "Waits before retrying a GitHub request, by kind (secondary-rate-limit, primary-rate-limit, server-error).",
      labelNames: ["kind"],
      registers,
    }),
    rateLimitWaitSeconds: new Counter({
      name: `${PREFIX}rate_limit_wait_seconds_total`,
      help: "Time spent waiting before retrying GitHub requests, by kind.",
      labelNames: ["kind"],
      registers,
    }),
    receiptsRefused: new Counter({
      name: `${PREFIX}receipts_refused_total`,
      help: "Receipt commits the default branch refused (branch protection), by kind (decision, certificate); retried on resync.",
      labelNames: ["kind"],
      registers,
    }),
    configValid: new Gauge({
      name: `${PREFIX}config_valid`,
      help: "1 when the audit repository's config and policy load; 0 stops PR creation.",
      registers,
    }),
    watchPending(source) {
      pendingSource = source;
    },
  };
}
