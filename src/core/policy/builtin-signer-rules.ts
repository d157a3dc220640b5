/**
 * The checks kube-controller-manager's signers apply before issuing (pkg/apis/certificates
 * ValidateKubeletServingCSR / ValidateKubeletClientCSR, and the kube-apiserver-client signer's
 * usage check), plus the apiserver's CertificateSubjectRestriction. They always apply to their
 * signer, whatever the policy says, so the app never approves a CSR the signer would then fail.
 * Unlike upstream (which stops at the first failure) every failing check is reported.
 */
import type { CsrObjectInfo, DecodedRequest } from "../csr/types.ts";
import type { Reason } from "./verdict.ts";
import {
  KUBE_APISERVER_CLIENT,
  KUBE_APISERVER_CLIENT_KUBELET,
  KUBELET_SERVING,
} from "./signer-names.ts";

const SYSTEM_NODES = "system:nodes";
const NODE_PREFIX = "system:node:";

/** Upstream compares usages as sets against these exact sets (the second for non-RSA keys). */
const KUBELET_SERVING_USAGE_SETS = [
  ["digital signature", "key encipherment", "server auth"],
  ["digital signature", "server auth"],
] as const;
const KUBELET_CLIENT_USAGE_SETS = [
  ["digital signature", "key encipherment", "client auth"],
  ["digital signature", "client auth"],
] as const;

/** Whether a and b hold the same values, as sets (duplicates ignored), without building sets. */
function sameSet(a: readonly string[], b: readonly string[]): boolean {
  for (const x of a) if (!b.includes(x)) return false;
  for (const y of b) if (!a.includes(y)) return false;
  return true;
}

function kubeletSubjectChecks(request: DecodedRequest): Reason[] {
  const reasons: Reason[] = [];
  const orgs = request.subject.organizations;
  if (orgs.length !== 1 || orgs[0] !== SYSTEM_NODES) {
    reasons.push({
      code: "signer-rule-org-not-system-nodes",
      message: `subject O must be exactly [${SYSTEM_NODES}], got [${orgs.join(", ")}]`,
      field: "request.subject.O",
    });
  }
  if (!request.subject.commonName.startsWith(NODE_PREFIX)) {
    reasons.push({
      code: "signer-rule-cn-not-system-node",
      message: `subject CN "${request.subject.commonName}" does not begin with "${NODE_PREFIX}"`,
      field: "request.subject.CN",
    });
  }
  return reasons;
}

function countSans(request: DecodedRequest, type: "DNS" | "IP" | "email" | "URI"): number {
  let n = 0;
  for (const san of request.subjectAltNames) if (san.type === type) n++;
  return n;
}

function sanForbidden(
  request: DecodedRequest,
  type: "DNS" | "IP" | "email" | "URI",
  code: Reason["code"],
  label: string,
): Reason[] {
  const n = countSans(request, type);
  return n === 0
    ? []
    : [
        {
          code,
          message: `${label} subjectAltNames are not allowed (${n} requested)`,
          field: "request.subjectAltNames",
        },
      ];
}

function usageSetCheck(usages: readonly string[], sets: readonly (readonly string[])[]): Reason[] {
  if (sets.some((set) => sameSet(usages, set))) return [];
  const wanted = sets.map((s) => `{${s.join(", ")}}`).join(" or ");
  return [
    {
      code: "signer-rule-usages-mismatch",
      message: `usages {${usages.join(", ")}} must be exactly ${wanted}`,
      field: "spec.usages",
    },
  ];
}

function kubeletServing(request: DecodedRequest, object: CsrObjectInfo): Reason[] {
  const reasons = kubeletSubjectChecks(request);
  if (countSans(request, "DNS") === 0 && countSans(request, "IP") === 0) {
    reasons.push({
      code: "signer-rule-san-dns-or-ip-required",
      message: "at least one DNS or IP subjectAltName is required",
      field: "request.subjectAltNames",
    });
  }
  reasons.push(
    ...sanForbidden(request, "email", "signer-rule-san-email-not-allowed", "email"),
    ...sanForbidden(request, "URI", "signer-rule-san-uri-not-allowed", "URI"),
    ...usageSetCheck(object.usages, KUBELET_SERVING_USAGE_SETS),
  );
  return reasons;
}

function kubeletClient(request: DecodedRequest, object: CsrObjectInfo): Reason[] {
  return [
    ...kubeletSubjectChecks(request),
    ...sanForbidden(request, "DNS", "signer-rule-san-dns-not-allowed", "DNS"),
    ...sanForbidden(request, "email", "signer-rule-san-email-not-allowed", "email"),
    ...sanForbidden(request, "IP", "signer-rule-san-ip-not-allowed", "IP"),
    ...sanForbidden(request, "URI", "signer-rule-san-uri-not-allowed", "URI"),
    ...usageSetCheck(object.usages, KUBELET_CLIENT_USAGE_SETS),
  ];
}

function apiserverClient(request: DecodedRequest, object: CsrObjectInfo): Reason[] {
  const reasons: Reason[] = [];
  const usages = object.usages;
  for (let i = 0; i < usages.length; i++) {
    const usage = usages[i] ?? "";
    // A usage listed twice is reported once, at its first place (no Set built per CSR).
    if (usages.indexOf(usage) !== i) continue;
    if (usage !== "client auth" && usage !== "digital signature" && usage !== "key encipherment") {
      reasons.push({
        code: "signer-rule-usage-not-allowed",
        message: `invalid usage for client certificate: "${usage}"`,
        field: "spec.usages",
      });
    }
  }
  if (!object.usages.includes("client auth")) {
    reasons.push({
      code: "signer-rule-client-auth-missing",
      message: 'missing required usage for client certificate: "client auth"',
      field: "spec.usages",
    });
  }
  if (request.subject.organizations.includes("system:masters")) {
    reasons.push({
      code: "signer-rule-org-system-masters",
      message: "subject O system:masters is not allowed for this signer",
      field: "request.subject.O",
    });
  }
  return reasons;
}

/** Checks that hold for every signer: the subject must name one CN at most. */
function everySigner(request: DecodedRequest): Reason[] {
  const cns = request.subject.attributes.filter((a) => a.type === "CN");
  if (cns.length <= 1) return [];
  return [
    {
      code: "subject-multiple-cn",
      message: `subject has ${cns.length} CN attributes (${cns.map((a) => `"${a.value}"`).join(", ")})`,
      field: "request.subject.CN",
    },
  ];
}

/** The built-in checks for this CSR's signer; empty when it passes (or the signer has none). */
export function checkBuiltinSignerRules(request: DecodedRequest, object: CsrObjectInfo): Reason[] {
  const common = everySigner(request);
  switch (object.signerName) {
    case KUBELET_SERVING:
      return [...common, ...kubeletServing(request, object)];
    case KUBE_APISERVER_CLIENT_KUBELET:
      return [...common, ...kubeletClient(request, object)];
    case KUBE_APISERVER_CLIENT:
      return [...common, ...apiserverClient(request, object)];
    default:
      return common;
  }
}
