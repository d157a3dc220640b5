/**
 * "Supersedes": a pending CSR of the same identity (signer, requester, subject CN) as an earlier
 * pending one replaces it, and a CSR that went away is replaced by a pending one of its identity.
 *
 * Finding them scans the cluster's cache for every CSR reconciled. The identity needs the
 * request's CN, that is a decode (0.1-0.8 ms), so each cached object's identity is decoded once
 * and remembered: one requester with many pending CSRs (a bootstrap token that a whole node pool
 * joins with) would otherwise cost a decode per pair, n²/2 decodes for a burst of n. The informer
 * replaces an object when it changes (a new resourceVersion is a new object), so an object is one
 * version of its CSR; a WeakMap lets replaced and deleted objects go. Only the identity is kept
 * (tens of bytes per CSR), not the decode: serve's memory with 10,000 CSRs.
 */
import type { V1CertificateSigningRequest } from "@kubernetes/client-node";
import { decodeCsrObject } from "../core/csr/decode.ts";
import type { DecodeResult } from "../core/csr/types.ts";
import type { CsrRecord } from "../core/record/record.ts";
import type { ClusterView } from "./cluster-view.ts";

export function csrUid(csr: V1CertificateSigningRequest): string {
  return csr.metadata?.uid ?? "";
}

export function createdMs(csr: V1CertificateSigningRequest): number {
  const t = csr.metadata?.creationTimestamp;
  return t === undefined ? 0 : new Date(t).getTime();
}

/** Identity of a request for "supersedes": same signer, same requester, same subject CN. */
export function identityOf(decoded: DecodeResult): string | undefined {
  if (!decoded.ok || decoded.csr.object === undefined) return undefined;
  const { object, request } = decoded.csr;
  return identityText(object.signerName, object.requester.username, request.subject.commonName);
}

function identityText(signer: string, username: string, commonName: string): string {
  return JSON.stringify([signer, username, commonName]);
}

/** The identity of each cached object that is pending, or null: decoded once per object. */
const pendingIdentities = new WeakMap<V1CertificateSigningRequest, string | null>();

/** The CSR's identity when it is pending and decodes; undefined otherwise. */
export function pendingIdentityOf(csr: V1CertificateSigningRequest): string | undefined {
  let identity = pendingIdentities.get(csr);
  if (identity === undefined) {
    const decoded = decodeCsrObject(csr);
    const phase = decoded.ok ? decoded.csr.object?.phase : decoded.object?.phase;
    identity = phase === "Pending" ? (identityOf(decoded) ?? null) : null;
    pendingIdentities.set(csr, identity);
  }
  return identity ?? undefined;
}

/**
 * Whether `other` came before `csr`: created in an earlier second, or in the same second
 * (creationTimestamp has one-second resolution) and delivered earlier by the informer, which for
 * CSRs created while the controller watches is the apiserver's write order.
 */
function cameBefore(
  cluster: ClusterView,
  other: V1CertificateSigningRequest,
  csr: V1CertificateSigningRequest,
): boolean {
  const otherCreated = createdMs(other);
  const created = createdMs(csr);
  if (otherCreated !== created) return otherCreated < created;
  const otherRank = cluster.observedRank(csrUid(other)) ?? Number.POSITIVE_INFINITY;
  const rank = cluster.observedRank(csrUid(csr)) ?? Number.POSITIVE_INFINITY;
  return otherRank < rank;
}

/** Earlier pending CSRs of the same identity in the same cluster (the ones `csr` supersedes). */
export function supersededBy(
  cluster: ClusterView,
  csr: V1CertificateSigningRequest,
  identity: string,
): V1CertificateSigningRequest[] {
  const uid = csrUid(csr);
  return cluster.cached().filter((other) => {
    if (csrUid(other) === uid) return false;
    if (other.spec.signerName !== csr.spec.signerName) return false;
    if (other.spec.username !== csr.spec.username) return false;
    return cameBefore(cluster, other, csr) && pendingIdentityOf(other) === identity;
  });
}

/**
 * Pending CSRs of the same identity that supersede a CSR that went away: created in the same
 * second or later. In a same-second pair the one that went is the superseded one, whichever was
 * created first: the pending one is what the requester waits for.
 */
export function supersedingOf(
  cluster: ClusterView,
  record: CsrRecord,
): V1CertificateSigningRequest[] {
  const decodedCn = record.request.decoded?.subject.commonName;
  if (decodedCn === undefined) return [];
  const { signerName, requester, uid } = record.csr;
  const identity = identityText(signerName, requester.username, decodedCn);
  const created = Date.parse(record.csr.creationTimestamp);
  return cluster.cached().filter((other) => {
    if (csrUid(other) === uid) return false;
    if (other.spec.signerName !== signerName) return false;
    if ((other.spec.username ?? "") !== requester.username) return false;
    return createdMs(other) >= created && pendingIdentityOf(other) === identity;
  });
}
