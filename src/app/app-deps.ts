/** What the app is given: Kubernetes clients per cluster, its identity, a clock, metrics, a log. */
import type { CertificatesV1Api, CoreV1Api } from "@kubernetes/client-node";
import type { AppIdentity } from "../core/approval/index.ts";
import type { AppMetrics } from "./metrics.ts";

export interface ClusterClients {
  readonly certificates: CertificatesV1Api;
  readonly core: CoreV1Api;
}

export interface AppLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface AppDeps {
  /** The GitHub App's id (its check runs are recognised by it). */
  readonly appId: number;
  /** Its bot account `<slug>[bot]` with the account's id. */
  readonly identity: AppIdentity;
  /** Kubernetes clients by configured cluster name. */
  readonly clusters: ReadonlyMap<string, ClusterClients>;
  readonly now: () => Date;
  readonly metrics: AppMetrics;
  readonly log: AppLog;
  /** Dry run: decide, comment and log, but write nothing to Kubernetes and no receipt. */
  readonly dryRun?: boolean;
}
