import type { V1CertificateSigningRequest } from "@kubernetes/client-node";
import type { NodeFacts } from "../core/cluster/cluster-checks.ts";

/** What reconcile needs of one cluster: its CSR cache, and live reads. */
export interface ClusterView {
  readonly name: string;
  /** The cached CSR with this uid, if the cache holds it. */
  cachedByUid(uid: string): V1CertificateSigningRequest | undefined;
  /** Every cached CSR. */
  cached(): readonly V1CertificateSigningRequest[];
  /**
   * When the informer first delivered this CSR, as a rank (lower is earlier), while it is cached.
   * Watch events come in the apiserver's write order, so for CSRs created while the controller
   * watches this is their creation order, finer than creationTimestamp's one second.
   */
  observedRank(uid: string): number | undefined;
  /** The CSR of that name as the apiserver has it now, or undefined when there is none. */
  readCsr(name: string): Promise<V1CertificateSigningRequest | undefined>;
  readNode(name: string): Promise<NodeFacts | undefined>;
}

/** `<cluster>/<uid>`: the work queue's key for one CSR. */
export function csrKey(cluster: string, uid: string): string {
  return `${cluster}/${uid}`;
}

export function parseCsrKey(key: string): { cluster: string; uid: string } | undefined {
  const slash = key.indexOf("/");
  if (slash <= 0) return undefined;
  return { cluster: key.slice(0, slash), uid: key.slice(slash + 1) };
}
