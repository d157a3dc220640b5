/**
 * The controller's and the app's reporting interfaces, backed by one pino logger and the
 * Prometheus metrics of `serve`. Log messages are fixed sentences; CSR-derived values go in
 * fields (JSON-encoded by pino, so they cannot forge a log line) and are never metric labels.
 */
import type { Logger } from "pino";
import type { AppLog } from "../app/app-deps.ts";
import type { AppMetrics } from "../app/metrics.ts";
import type { ControllerEvents } from "../controller/controller-events.ts";
import type { Metrics } from "./metrics.ts";

export function controllerEvents(log: Logger, metrics: Metrics): ControllerEvents {
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
        case "csr_denied_at_once":
          metrics.decisions.inc({ result: "denied", signer: labels.signer ?? "" });
          break;
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

export function appMetrics(metrics: Metrics): AppMetrics {
  return {
    decision(outcome) {
      metrics.decisions.inc({ result: outcome, signer: "" });
    },
    receiptRefused() {
      metrics.receiptsRefused.inc();
    },
    certificateMismatch() {
      metrics.decisions.inc({ result: "certificate-mismatch", signer: "" });
    },
    signerFailed() {
      metrics.decisions.inc({ result: "signer-failed", signer: "" });
    },
    tampered() {
      metrics.decisions.inc({ result: "tampered", signer: "" });
    },
  };
}
