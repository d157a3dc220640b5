/**
 * What the pending gauges show, computed at scrape time from the controller's informer cache (no
 * API call): per cluster, how many CSRs are pending and how old the oldest one is. Kubernetes
 * deletes a pending CSR 24 h after its creation, so the age says how close the next loss is.
 */
import type { V1CertificateSigningRequest } from "@kubernetes/client-node";
import { csrPhase } from "../core/csr/phase.ts";

export interface PendingCount {
  readonly pending: number;
  /** Age of the oldest pending CSR in seconds; 0 when none is pending. */
  readonly oldestAgeSeconds: number;
}

export function isPending(csr: V1CertificateSigningRequest): boolean {
  const conditions = (csr.status?.conditions ?? []).map((c) => ({
    type: c.type,
    status: c.status,
  }));
  return csrPhase(conditions, csr.status?.certificate) === "Pending";
}

/**
 * Typed as a Date, but objects from a watch are plain JSON, where it is the RFC 3339 string: both
 * are read, and anything else is no time at all.
 */
function creationMs(csr: V1CertificateSigningRequest): number | undefined {
  const raw: unknown = csr.metadata?.creationTimestamp;
  const ms =
    raw instanceof Date ? raw.getTime() : typeof raw === "string" ? Date.parse(raw) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

export function countPending(
  csrs: readonly V1CertificateSigningRequest[],
  nowMs: number,
): PendingCount {
  let pending = 0;
  let oldest: number | undefined;
  for (const csr of csrs) {
    if (!isPending(csr)) continue;
    pending += 1;
    const created = creationMs(csr);
    if (created !== undefined && (oldest === undefined || created < oldest)) oldest = created;
  }
  return {
    pending,
    oldestAgeSeconds: oldest === undefined ? 0 : Math.max(0, (nowMs - oldest) / 1000),
  };
}
