/**
 * The policy used when none is configured; `policy/default.yaml` holds the same policy as a file
 * to copy and edit (a test keeps the two equal). It allows exactly the CSRs the three Kubernetes
 * signers would issue, requested by the identity they name, with sane keys; everything else,
 * unknown signers included, is denied. Two approvals always.
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

export const DEFAULT_POLICY_INPUT: PolicyInput = {
  apiVersion: "csr-gitops/v1",
  kind: "Policy",
  requiredApprovals: 2,
  forbiddenOrganizations: ["system:masters"],
  tiers: [],
  signers: {
    "kubernetes.io/kubelet-serving": {
      usages: {
        allowed: ["digital signature", "key encipherment", "server auth"],
        required: ["digital signature", "server auth"],
      },
      subject: NODE_SUBJECT,
      // The signer itself puts no limit on a node's serving names; reviewers see every one.
      subjectAltNames: { required: true, dnsNames: ["**"], ipAddresses: ["0.0.0.0/0", "::/0"] },
      keys: SANE_KEYS,
      requester: NODE_REQUESTER,
    },
    "kubernetes.io/kube-apiserver-client-kubelet": {
      usages: {
        allowed: ["digital signature", "key encipherment", "client auth"],
        required: ["digital signature", "client auth"],
      },
      subject: NODE_SUBJECT,
      keys: SANE_KEYS,
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
      keys: SANE_KEYS,
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
