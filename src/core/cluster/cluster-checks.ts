/**
 * Cluster-aware checks: what the best automatic CSR approvers verify against the live cluster, as
 * extra reasons added to the policy verdict. Pure: the controller reads the Node and passes its
 * facts in. Every failure is a reason with a stable code (docs/controller.md); each check can be
 * switched off in the repo config (`clusterChecks`).
 */
import type { DecodeResult } from "../csr/types.ts";
import type { RepoConfig } from "../config/config-schema.ts";
import { matchAnyDnsPattern } from "../policy/dns-pattern.ts";
import { parseIpAddress } from "../policy/ip-address.ts";
import type { RecordReason } from "../record/record-schema.ts";

export const KUBELET_SERVING = "kubernetes.io/kubelet-serving";
export const KUBELET_CLIENT = "kubernetes.io/kube-apiserver-client-kubelet";

export const CLUSTER_REASON_CODES = {
  "node-requester-not-a-node":
    'kubelet-serving: the requester is not a node ("system:node:<name>"), so no Node can vouch for the names.',
  "node-not-found": "kubelet-serving: the Node named by the requester does not exist.",
  "node-ip-not-node-address": "kubelet-serving: an IP SAN is none of the Node's status.addresses.",
  "node-dns-not-node-address":
    "kubelet-serving: a DNS SAN is none of the Node's Hostname/InternalDNS/ExternalDNS addresses, and matches no clusterChecks.kubeletServing.extraDnsNames pattern.",
  "node-client-node-not-found":
    "kube-apiserver-client-kubelet: the Node named by the CN does not exist (clusterChecks.kubeletClient.nodeExists: false lets new nodes join).",
} as const;

export type ClusterReasonCode = keyof typeof CLUSTER_REASON_CODES;

export interface NodeAddress {
  readonly type: string;
  readonly address: string;
}

/** What the checks need of a Node: its status.addresses. */
export interface NodeFacts {
  readonly name: string;
  readonly addresses: readonly NodeAddress[];
}

export type ClusterChecksConfig = RepoConfig["clusterChecks"];

/** `system:node:<name>` → `<name>`; undefined for any other identity. */
export function nodeNameOf(identity: string): string | undefined {
  const match = /^system:node:(.+)$/.exec(identity);
  return match?.[1];
}

/**
 * The Node the checks need to read for this CSR, or undefined when no check applies (another
 * signer, every applicable check switched off, or no node can be named).
 */
export function nodeToRead(decoded: DecodeResult, config: ClusterChecksConfig): string | undefined {
  if (!decoded.ok) return undefined;
  const object = decoded.csr.object;
  if (object === undefined) return undefined;
  if (object.signerName === KUBELET_SERVING) {
    const { nodeExists, addresses } = config.kubeletServing;
    return nodeExists || addresses ? nodeNameOf(object.requester.username) : undefined;
  }
  if (object.signerName === KUBELET_CLIENT && config.kubeletClient.nodeExists) {
    return nodeNameOf(decoded.csr.request.subject.commonName);
  }
  return undefined;
}

function sameIp(a: string, b: string): boolean {
  const left = parseIpAddress(a);
  const right = parseIpAddress(b);
  if (left === undefined || right === undefined) return false;
  return left.version === right.version && left.bytes.every((byte, i) => byte === right.bytes[i]);
}

const DNS_ADDRESS_TYPES = new Set(["Hostname", "InternalDNS", "ExternalDNS"]);
const IP_ADDRESS_TYPES = new Set(["InternalIP", "ExternalIP"]);

function reason(code: ClusterReasonCode, message: string, field?: string): RecordReason {
  return field === undefined ? { code, message } : { code, message, field };
}

/**
 * The cluster-aware reasons to deny this CSR, given the Node `nodeToRead` named (undefined when
 * it does not exist). Empty when every applicable check passes or none applies.
 */
export function clusterCheckReasons(
  decoded: DecodeResult,
  node: NodeFacts | undefined,
  config: ClusterChecksConfig,
): RecordReason[] {
  if (!decoded.ok) return [];
  const { object, request } = decoded.csr;
  if (object === undefined) return [];

  if (object.signerName === KUBELET_CLIENT) {
    if (!config.kubeletClient.nodeExists) return [];
    const name = nodeNameOf(request.subject.commonName);
    // A CN that names no node is the policy's and the signer's to deny; nothing to look up here.
    if (name === undefined || node !== undefined) return [];
    return [
      reason(
        "node-client-node-not-found",
        `no Node named ${JSON.stringify(name)} exists in the cluster`,
        "request.subject.commonName",
      ),
    ];
  }

  if (object.signerName !== KUBELET_SERVING) return [];
  const checks = config.kubeletServing;
  if (!checks.nodeExists && !checks.addresses) return [];
  const name = nodeNameOf(object.requester.username);
  if (name === undefined) {
    return [
      reason(
        "node-requester-not-a-node",
        `the requester ${JSON.stringify(object.requester.username)} is not a node`,
        "spec.username",
      ),
    ];
  }
  if (node === undefined) {
    // Without the Node its addresses cannot be checked either: one reason says it all.
    return [
      reason(
        "node-not-found",
        `no Node named ${JSON.stringify(name)} exists in the cluster`,
        "spec.username",
      ),
    ];
  }
  if (!checks.addresses) return [];
  const reasons: RecordReason[] = [];
  const ips = node.addresses.filter((a) => IP_ADDRESS_TYPES.has(a.type)).map((a) => a.address);
  const names = node.addresses
    .filter((a) => DNS_ADDRESS_TYPES.has(a.type))
    .map((a) => a.address.toLowerCase());
  request.subjectAltNames.forEach((san, index) => {
    const field = `request.subjectAltNames[${index}]`;
    if (san.type === "IP" && !ips.some((ip) => sameIp(ip, san.value))) {
      reasons.push(
        reason(
          "node-ip-not-node-address",
          `IP SAN ${san.value} is not an address of Node ${JSON.stringify(name)}`,
          field,
        ),
      );
    }
    if (
      san.type === "DNS" &&
      !names.includes(san.value.toLowerCase()) &&
      !matchAnyDnsPattern(checks.extraDnsNames, san.value)
    ) {
      reasons.push(
        reason(
          "node-dns-not-node-address",
          `DNS SAN ${JSON.stringify(san.value)} is not a name of Node ${JSON.stringify(name)}`,
          field,
        ),
      );
    }
  });
  return reasons;
}
