/**
 * The controller's and the app's reporting interfaces, backed by one pino logger and the
 * Prometheus metrics of `serve`. Log messages are fixed sentences; CSR-derived values go in
 * fields (JSON-encoded by pino, so they cannot forge a log line) and become metric labels only
 * through SignerLabels (bounded by the policy).
 */
import type { Logger } from "pino";
import type { AppLog } from "../app/app-deps.ts";
import type { AppMetrics } from "../app/metrics.ts";
import type { ControllerEvents } from "../controller/controller-events.ts";
import type { Metrics } from "./metrics.ts";
import { SignerLabels } from "./signer-label.ts";

/** Seconds from a CSR's creation to now, or undefined when the time cannot be read. */
function ageSeconds(createdAt: string | undefined, nowMs: number): number | undefined {
  if (createdAt === undefined) return undefined;
  const created = Date.parse(createdAt);
  return Number.isNaN(created) ? undefined : Math.max(0, (nowMs - created) / 1000);
}

export function controllerEvents(
  log: Logger,
  metrics: Metrics,
  now: () => number = Date.now,
  signers: SignerLabels = new SignerLabels(),
): ControllerEvents {
  return {
    log(level, message, fields = {}) {
      log[level](fields, message);
    },
    count(metric, labels = {}) {
      const cluster = labels.cluster ?? "";
      switch (metric) {
        case "pull_request_opened":
          metrics.pullRequestsOpened.inc({ cluster });
          break;
        case "unknown_signer":
          metrics.unknownSigners.inc({ cluster });
          break;
        case "config_error":
          metrics.configValid.set(0);
          break;
        case "github_wait":
          metrics.rateLimitWaits.inc({ kind: labels.reason ?? "unknown" });
          break;
        case "csr_denied_at_once": {
          const signer = signers.label(labels.signer, labels.signer === "other");
          metrics.decisions.inc({ result: "denied", signer });
          const age = ageSeconds(labels.createdAt, now());
          if (age !== undefined) metrics.decisionLatency.observe({ result: "denied" }, age);
          break;
        }
        case "pull_request_closed":
        case "reconcile_error":
        case "dry_run_write":
          break;
      }
    },
  };
}

export function appLog(log: Logger): AppLog {
  return {
    info: (message, fields = {}) => {
      log.info(fields, message);
    },
    warn: (message, fields = {}) => {
      log.warn(fields, message);
    },
    error: (message, fields = {}) => {
      log.error(fields, message);
    },
  };
}

export function appMetrics(
  metrics: Metrics,
  now: () => number = Date.now,
  signers: SignerLabels = new SignerLabels(),
): AppMetrics {
  return {
    decision(outcome, _codes, csr) {
      const signer = signers.label(csr?.signer, csr?.unknownSigner ?? true);
      metrics.decisions.inc({ result: outcome, signer });
      // Latency to a decision written to Kubernetes; a refusal writes none.
      if (outcome === "refused") return;
      const age = ageSeconds(csr?.createdAt, now());
      if (age !== undefined) metrics.decisionLatency.observe({ result: outcome }, age);
    },
    receiptRefused(kind) {
      metrics.receiptsRefused.inc({ kind });
    },
    certificateMismatch() {
      metrics.decisions.inc({ result: "certificate-mismatch", signer: "other" });
    },
    signerFailed() {
      metrics.decisions.inc({ result: "signer-failed", signer: "other" });
    },
    tampered() {
      metrics.decisions.inc({ result: "tampered", signer: "other" });
    },
  };
}
