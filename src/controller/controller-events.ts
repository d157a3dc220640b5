/**
 * What the controller reports: log lines and counters. `serve` backs this with pino and
 * prom-client; tests record it. Kept small so any logger or metrics library fits.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";

export type ControllerMetric =
  /** A pull request was opened for a CSR. */
  | "pull_request_opened"
  /** A pull request was closed because its CSR was decided elsewhere or deleted. */
  | "pull_request_closed"
  /** A CSR for a signer the policy has no rule for (labels: cluster, signer). */
  | "unknown_signer"
  /** The audit repo's config, policy or templates could not be read (labels: file). */
  | "config_error"
  /** A reconcile failed and will be retried (labels: reason). */
  | "reconcile_error"
  /** A GitHub request waited for a rate limit or a server error (labels: reason). */
  | "github_wait"
  /** A write dry-run mode did not make (labels: write). */
  | "dry_run_write"
  /** A policy-denied CSR was denied at once (policyDenied: deny; labels: cluster, signer, createdAt). */
  | "csr_denied_at_once";

export interface ControllerEvents {
  log(level: LogLevel, message: string, fields?: Readonly<Record<string, unknown>>): void;
  count(metric: ControllerMetric, labels?: Readonly<Record<string, string>>): void;
}

/** Reports nothing (for callers that do not care). */
export const silentEvents: ControllerEvents = {
  log() {
    // Nothing.
  },
  count() {
    // Nothing.
  },
};
