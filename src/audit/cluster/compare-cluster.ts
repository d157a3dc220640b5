/**
 * The ledger against one live cluster: every approval the cluster shows must have a receipt that
 * counts, every approval receipt whose CSR is still there must show in the cluster, and an issued
 * certificate must be for the recorded key. Pure; the CSRs were listed by read-cluster.ts.
 *
 * Kubernetes deletes decided CSRs after about an hour, so a receipt whose CSR is gone is normal;
 * the comparison only speaks of CSRs the cluster still has.
 */
import { finding, type Finding } from "../finding.ts";
import type { LedgerEntry } from "../ledger-entry.ts";
import { normalSerial, phaseOf, type ClusterCsr, type ClusterPhase } from "./cluster-csr.ts";

export const KUBELET_CLIENT_SIGNER = "kubernetes.io/kube-apiserver-client-kubelet";

export interface ClusterComparison {
  readonly cluster: string;
  readonly findings: readonly Finding[];
  /** Phase in the cluster by ledger entry id, for CSRs the cluster still has. */
  readonly phases: ReadonlyMap<string, ClusterPhase>;
  /** CSRs the cluster approved without a receipt (out of band or by kube-controller-manager). */
  readonly unrecorded: readonly ClusterCsr[];
}

function approvedCondition(csr: ClusterCsr): ClusterCsr["conditions"][number] | undefined {
  return csr.conditions.find((c) => c.type === "Approved" && c.status === "True");
}

/**
 * kube-controller-manager's csrapproving controller approves a node's own client certificate
 * (signer kube-apiserver-client-kubelet) with reason AutoApproved. Anyone allowed to approve for
 * that signer could write the same reason, so the requester must also be a node or a bootstrap
 * identity, as the controller requires.
 */
export function isKubeletAutoApproval(csr: ClusterCsr): boolean {
  const approved = approvedCondition(csr);
  if (approved?.reason !== "AutoApproved" || csr.signerName !== KUBELET_CLIENT_SIGNER) return false;
  return (
    csr.username.startsWith("system:node:") ||
    csr.groups.includes("system:bootstrappers") ||
    csr.groups.includes("system:nodes")
  );
}

export function compareCluster(
  cluster: string,
  entries: readonly LedgerEntry[],
  csrs: readonly ClusterCsr[],
): ClusterComparison {
  const findings: Finding[] = [];
  const phases = new Map<string, ClusterPhase>();
  const unrecorded: ClusterCsr[] = [];
  const byUid = new Map<string, LedgerEntry>();
  for (const entry of entries) if (entry.key.cluster === cluster) byUid.set(entry.key.uid, entry);

  for (const csr of csrs) {
    const entry = byUid.get(csr.uid);
    const phase = phaseOf(csr);
    const subject = `${cluster}/${csr.name}_${csr.uid}`;
    if (entry !== undefined) phases.set(entry.id, phase);
    const decision = entry?.decision?.counts === true ? entry.decision : undefined;
    const approved = approvedCondition(csr);

    if (approved !== undefined) {
      const how = `Approved (reason ${approved.reason || "none"}${approved.message === "" ? "" : `: ${approved.message}`})`;
      if (decision?.facts.decision === "approved") {
        // Expected; the certificate check follows.
      } else if (decision?.facts.decision === "denied" || decision?.facts.decision === "refused") {
        findings.push(
          finding("approved-despite-denial", {
            commit: decision.commit,
            subject,
            detail: `the receipt says ${decision.facts.decision} but the cluster shows ${how}`,
            at: approved.at,
          }),
        );
      } else if (isKubeletAutoApproval(csr)) {
        unrecorded.push(csr);
        findings.push(
          finding("kubelet-client-auto-approved", {
            subject,
            detail: `${csr.username} renewed its client certificate; kube-controller-manager approved it`,
            at: approved.at,
          }),
        );
      } else {
        unrecorded.push(csr);
        findings.push(
          finding("approved-out-of-band", {
            subject,
            detail: `${csr.signerName} CSR of ${csr.username} is ${how} with no receipt that counts${entry === undefined ? " and no record" : ""}`,
            at: approved.at,
          }),
        );
      }
    } else if (decision?.facts.decision === "approved") {
      findings.push(
        finding("receipt-not-applied", {
          commit: decision.commit,
          subject,
          detail: `the receipt says approved but the CSR is ${phase} in the cluster`,
          at: decision.at,
        }),
      );
    }

    if (
      entry !== undefined &&
      csr.requestSha256 !== undefined &&
      entry.record !== undefined &&
      csr.requestSha256 !== entry.record.requestSha256
    )
      findings.push(
        finding("issued-certificate-mismatch", {
          commit: entry.recordCommit,
          subject,
          detail: `the cluster's request digest ${csr.requestSha256} is not the recorded ${entry.record.requestSha256}`,
          at: csr.creationTimestamp,
        }),
      );

    if (csr.certificateError !== undefined && entry !== undefined)
      findings.push(
        finding("issued-certificate-mismatch", {
          subject,
          detail: csr.certificateError,
          at: approved?.at,
        }),
      );
    const cert = csr.certificate;
    if (cert !== undefined && entry?.record !== undefined) {
      const problems: string[] = [];
      if (
        entry.record.publicKeySha256 !== undefined &&
        cert.publicKeySha256 !== entry.record.publicKeySha256
      )
        problems.push(
          `its public key ${cert.publicKeySha256} is not the recorded ${entry.record.publicKeySha256}`,
        );
      const receipt = entry.certificate?.counts === true ? entry.certificate.facts : undefined;
      if (receipt?.serial !== undefined && normalSerial(receipt.serial) !== cert.serial)
        problems.push(
          `its serial ${cert.serial} is not the receipt's ${normalSerial(receipt.serial)}`,
        );
      if (problems.length > 0)
        findings.push(
          finding("issued-certificate-mismatch", {
            commit: entry.certificate?.commit ?? entry.recordCommit,
            subject,
            detail: `the issued certificate: ${problems.join("; ")}`,
            at: cert.notBefore,
          }),
        );
    }
  }
  return { cluster, findings, phases, unrecorded };
}
