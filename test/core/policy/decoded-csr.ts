/**
 * Builds DecodeResult values directly, for table tests of the policy: the policy is a pure
 * function of decoded data, so most rows need no real PKCS#10 (the end-to-end rows use the
 * real decoder). Defaults describe a proper kubelet-serving CSR from node "node-1".
 */
import type {
  CsrPhase,
  DecodeResult,
  PublicKeyInfo,
  SubjectAltName,
  SubjectAttribute,
} from "../../../src/core/csr/types.ts";

export interface CsrSpec {
  signerName?: string;
  usages?: string[];
  /** One CN attribute per entry; [] for none. */
  cns?: string[];
  orgs?: string[];
  sans?: SubjectAltName[];
  key?: PublicKeyInfo;
  signatureValid?: boolean;
  username?: string;
  groups?: string[];
  expirationSeconds?: number | undefined;
  phase?: CsrPhase;
  /** A bare PEM: no Kubernetes object around the request. */
  bare?: boolean;
}

export const dns = (value: string): SubjectAltName => ({ type: "DNS", value });
export const ip = (value: string): SubjectAltName => ({
  type: "IP",
  value,
  version: value.includes(":") ? 6 : 4,
});
export const email = (value: string): SubjectAltName => ({ type: "email", value });
export const uri = (value: string): SubjectAltName => ({ type: "URI", value });
export const otherName = (value: string): SubjectAltName => ({ type: "other", value });

export const P256: PublicKeyInfo = { algorithm: "ECDSA", curve: "P-256" };
export const rsa = (bits: number): PublicKeyInfo => ({ algorithm: "RSA", bits });

export function decoded(spec: CsrSpec = {}): DecodeResult {
  const cns = spec.cns ?? ["system:node:node-1"];
  const orgs = spec.orgs ?? ["system:nodes"];
  const attributes: SubjectAttribute[] = [
    ...orgs.map((value) => ({ type: "O", oid: "2.5.4.10", value })),
    ...cns.map((value) => ({ type: "CN", oid: "2.5.4.3", value })),
  ];
  const phase = spec.phase ?? "Pending";
  return {
    ok: true,
    csr: {
      object: spec.bare
        ? undefined
        : {
            name: "csr-test",
            uid: "6f1f0c1e-0000-4000-8000-000000000001",
            resourceVersion: "1",
            creationTimestamp: "2026-01-01T00:00:00Z",
            signerName: spec.signerName ?? "kubernetes.io/kubelet-serving",
            usages: spec.usages ?? ["digital signature", "server auth"],
            expirationSeconds: spec.expirationSeconds,
            requester: {
              username: spec.username ?? "system:node:node-1",
              uid: "",
              groups: spec.groups ?? ["system:nodes", "system:authenticated"],
              extra: {},
            },
            phase,
            conditions:
              phase === "Pending"
                ? []
                : [{ type: phase === "Issued" ? "Approved" : phase, status: "True" }],
          },
      request: {
        subject: {
          attributes,
          commonName: cns[0] ?? "",
          organizations: orgs,
          organizationalUnits: [],
        },
        subjectAltNames: spec.sans ?? [dns("node-1"), ip("10.0.0.5")],
        publicKey: spec.key ?? P256,
        signatureAlgorithm: "ecdsa-with-SHA256",
        signatureValid: spec.signatureValid ?? true,
        extensions: [],
        requestSha256: "0".repeat(64),
        publicKeySha256: "1".repeat(64),
        pem: "-----BEGIN CERTIFICATE REQUEST-----\n-----END CERTIFICATE REQUEST-----\n",
      },
    },
  };
}

/** A proper kubelet client CSR from the node itself. */
export function kubeletClientSpec(node = "node-1"): CsrSpec {
  return {
    signerName: "kubernetes.io/kube-apiserver-client-kubelet",
    usages: ["digital signature", "client auth"],
    cns: [`system:node:${node}`],
    orgs: ["system:nodes"],
    sans: [],
    username: `system:node:${node}`,
  };
}

/** A proper user client CSR, requested by an administrator for "alice". */
export function userClientSpec(): CsrSpec {
  return {
    signerName: "kubernetes.io/kube-apiserver-client",
    usages: ["digital signature", "key encipherment", "client auth"],
    cns: ["alice"],
    orgs: ["developers"],
    sans: [],
    username: "admin@example.com",
    groups: ["oidc:platform-admins", "system:authenticated"],
    expirationSeconds: 86400,
  };
}

export const undecodable: DecodeResult = {
  ok: false,
  error: { code: "malformed-der", message: "spec.request: DER ends early at byte 12" },
  object: undefined,
};

/** Codes of a verdict's reasons, sorted, for compact assertions. */
export function codes(reasons: readonly { code: string }[]): string[] {
  return reasons.map((r) => r.code).sort();
}
