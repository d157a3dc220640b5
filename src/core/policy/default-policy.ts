/**
 * The policy used when none is configured; `policy/default.yaml` holds the same policy as a file
 * to copy and edit (a test keeps the two equal). It allows exactly the CSRs the three Kubernetes
 * signers would issue, requested by the identity they name, with sane keys, names bound to the
 * requester and short-lived user certificates; everything else, unknown signers included, is
 * denied. Two approvals always. docs/policy.md ("Threats this policy stops") says why each line
 * is here.
 */
import { PolicySchema, type Policy, type PolicyInput } from "./policy-schema.ts";

type RuleInput = PolicyInput["signers"][string];

const SANE_KEYS: RuleInput["keys"] = {
  rsaMinBits: 2048,
  ecdsaCurves: ["P-256", "P-384", "P-521"],
  ed25519: true,
};

const NODE_SUBJECT: RuleInput["subject"] = {
  commonName: { patterns: ["system:node:*"], equalsRequester: true },
  organizations: { allowed: ["system:nodes"] },
};

const NODE_REQUESTER: RuleInput["requester"] = {
  usernames: ["system:node:*"],
  requiredGroups: ["system:nodes"],
};

/**
 * The Service CIDR of a kubeadm cluster (--service-cluster-ip-range 10.96.0.0/12): the API
 * server's ClusterIP (10.96.0.1) and every Service's. Change it to your cluster's range.
 */
export const DEFAULT_SERVICE_CIDRS = ["10.96.0.0/12"] as const;

/** Names a node must never be issued: the API server's Service names, Service and local names. */
export const FORBIDDEN_SERVING_DNS_NAMES = [
  "kubernetes",
  "kubernetes.default",
  "kubernetes.default.svc",
  "**.svc",
  "**.svc.cluster.local",
  "localhost",
  "**.localhost",
  "metadata",
  "metadata.google.internal",
] as const;

/**
 * Addresses a node must never be issued: unspecified and "this network", loopback, link-local
 * (the cloud metadata address 169.254.169.254 included), multicast, reserved and broadcast, the
 * Service CIDR, and the metadata addresses outside link-local (Alibaba, AWS over IPv6).
 */
export const FORBIDDEN_SERVING_IPS = [
  "0.0.0.0/8",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "224.0.0.0/4",
  "240.0.0.0/4",
  ...DEFAULT_SERVICE_CIDRS,
  "100.100.100.200",
  "::/128",
  "::1/128",
  "fe80::/10",
  "ff00::/8",
  "fd00:ec2::254",
] as const;

/**
 * Kubelets rotate their certificates themselves; like postfinance/kubelet-csr-approver, a node
 * may ask for at most 367 days (unset, the signer's own default applies).
 */
export const KUBELET_MAX_SECONDS = 367 * 24 * 3600;

/** Kubernetes cannot revoke a certificate: a user certificate lives at most a week. */
export const CLIENT_MAX_SECONDS = 7 * 24 * 3600;

export const DEFAULT_POLICY_INPUT: PolicyInput = {
  apiVersion: "csr-gitops/v2",
  kind: "Policy",
  requiredApprovals: 2,
  forbiddenOrganizations: ["system:masters", "kubeadm:cluster-admins"],
  allowSha1Signatures: false,
  tiers: [],
  signers: {
    "kubernetes.io/kubelet-serving": {
      usages: {
        allowed: ["digital signature", "key encipherment", "server auth"],
        required: ["digital signature", "server auth"],
      },
      subject: NODE_SUBJECT,
      // Names bound to the requesting node; the controller adds the live Node-address check.
      subjectAltNames: {
        required: true,
        dnsNames: ["{node}", "**.{node}"],
        forbiddenDnsNames: [...FORBIDDEN_SERVING_DNS_NAMES],
        wildcardDnsNames: false,
        ipAddresses: ["0.0.0.0/0", "::/0"],
        forbiddenIpAddresses: [...FORBIDDEN_SERVING_IPS],
      },
      keys: SANE_KEYS,
      expiration: { maxSeconds: KUBELET_MAX_SECONDS },
      requester: NODE_REQUESTER,
    },
    "kubernetes.io/kube-apiserver-client-kubelet": {
      usages: {
        allowed: ["digital signature", "key encipherment", "client auth"],
        required: ["digital signature", "client auth"],
      },
      subject: NODE_SUBJECT,
      keys: SANE_KEYS,
      expiration: { maxSeconds: KUBELET_MAX_SECONDS },
      requester: NODE_REQUESTER,
    },
    "kubernetes.io/kube-apiserver-client": {
      usages: {
        allowed: ["digital signature", "key encipherment", "client auth"],
        required: ["client auth"],
      },
      // The "system:" prefix is Kubernetes' own: a user certificate naming a node, a controller
      // or a system group would let its holder impersonate that identity.
      subject: {
        commonName: { forbidden: ["system:*"] },
        organizations: { forbidden: ["system:*"] },
      },
      // The apiserver ignores SANs when it authenticates a client certificate; a mail address is
      // how many teams name the person. Nothing else is allowed.
      subjectAltNames: { emailAddresses: ["*@*"] },
      keys: SANE_KEYS,
      expiration: { maxSeconds: CLIENT_MAX_SECONDS, required: true },
      // A kubelet never needs this signer; an anonymous requester is accountable to no one.
      requester: {
        forbiddenUsernames: ["system:node:*", "system:anonymous"],
        forbiddenGroups: ["system:nodes", "system:unauthenticated"],
      },
    },
  },
};

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

/** Frozen: a caller mutating the shared default would silently change every later verdict. */
export const DEFAULT_POLICY: Policy = deepFreeze(PolicySchema.parse(DEFAULT_POLICY_INPUT));
