/**
 * The red-team classes of issue "close the default policy's fail-opens", as CSR objects made from
 * real generated keys and requests, each with the exact reasons the default policy must give
 * (empty: it must allow). Shared by the table test and the cross-check against Go.
 */
import {
  P256_ORDER,
  ecKeyWithPrivate,
  ecOffCurve,
  ed25519Identity,
  rsaEvenModulus,
  rsaExponentOne,
  rsaWithExponent,
} from "../../support/hostile-keys.ts";
import {
  concat,
  derTlv,
  kubeletClient,
  kubeletServing,
  oidDer,
  userClient,
  type MakeCsrObjectOptions,
} from "../../support/make-csr.ts";

export interface FailOpenCase {
  readonly name: string;
  readonly csr: MakeCsrObjectOptions;
  /** Sorted reason codes the default policy gives; [] means allow. */
  readonly reasons: readonly string[];
}

/** A node's serving request with other SANs. */
function serving(dns: string[], ips: string[] = [], node = "node-1"): MakeCsrObjectOptions {
  return { ...kubeletServing(node, ips), dns };
}

const ucs2 = (text: string): number[] => {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++)
    out.push(text.charCodeAt(i) >> 8, text.charCodeAt(i) & 0xff);
  return out;
};

const ucs4 = (text: string): number[] =>
  ucs2(text).flatMap((b, i) => (i % 2 === 0 ? [0, 0, b] : [b]));

/** CN=alice and one O of the given ASN.1 string type and bytes. */
function subjectWithO(tag: number, content: number[]): Uint8Array {
  const rdn = (oid: string, t: number, c: Uint8Array): Uint8Array =>
    derTlv(0x31, derTlv(0x30, concat([oidDer(oid), derTlv(t, c)])));
  return derTlv(
    0x30,
    concat([
      rdn("2.5.4.10", tag, Uint8Array.from(content)),
      rdn("2.5.4.3", 0x0c, new TextEncoder().encode("alice")),
    ]),
  );
}

const alice = userClient("alice");
const aliceNoLifetime: MakeCsrObjectOptions = Object.fromEntries(
  Object.entries(alice).filter(([key]) => key !== "expirationSeconds"),
);
const SERVICE_NAMES = ["san-dns-forbidden", "san-dns-not-allowed"];

export function failOpenCases(): FailOpenCase[] {
  return [
    // kubelet-serving: names bound to the requesting node.
    {
      name: "serving: the node's own name and address",
      csr: serving(["node-1"], ["10.0.0.11"]),
      reasons: [],
    },
    {
      name: "serving: a name under the node's own",
      csr: serving(["node-1", "kubelet.node-1"]),
      reasons: [],
    },
    { name: "serving: an IPv6 address", csr: serving(["node-1"], ["fd00::5"]), reasons: [] },
    { name: "serving: kubernetes", csr: serving(["kubernetes"]), reasons: SERVICE_NAMES },
    {
      name: "serving: kubernetes.default",
      csr: serving(["kubernetes.default"]),
      reasons: SERVICE_NAMES,
    },
    {
      name: "serving: kubernetes.default.svc",
      csr: serving(["kubernetes.default.svc"]),
      reasons: SERVICE_NAMES,
    },
    {
      name: "serving: kubernetes.default.svc.cluster.local",
      csr: serving(["kubernetes.default.svc.cluster.local"]),
      reasons: SERVICE_NAMES,
    },
    {
      name: "serving: *.default.svc",
      csr: serving(["*.default.svc"]),
      reasons: ["san-dns-forbidden", "san-dns-not-allowed", "san-dns-wildcard"],
    },
    {
      name: "serving: a bare *",
      csr: serving(["*"]),
      reasons: ["san-dns-forbidden", "san-dns-not-allowed", "san-dns-wildcard"],
    },
    {
      name: "serving: a wildcard under its own name",
      csr: serving(["*.node-1"]),
      reasons: ["san-dns-wildcard"],
    },
    {
      name: "serving: another node's name",
      csr: serving(["node-2"]),
      reasons: ["san-dns-not-allowed"],
    },
    {
      name: "serving: the control plane endpoint",
      csr: serving(["api.cluster.example.com"]),
      reasons: ["san-dns-not-allowed"],
    },
    { name: "serving: localhost", csr: serving(["localhost"]), reasons: SERVICE_NAMES },
    {
      name: "serving: the GCE metadata name",
      csr: serving(["metadata.google.internal"]),
      reasons: SERVICE_NAMES,
    },
    {
      name: "serving: a node named kubernetes asks for its own name",
      csr: serving(["kubernetes"], [], "kubernetes"),
      reasons: ["san-dns-forbidden"],
    },
    {
      name: "serving: a node named svc asks for a name under it",
      csr: serving(["kubernetes.default.svc"], [], "svc"),
      reasons: ["san-dns-forbidden"],
    },
    ...[
      "127.0.0.1",
      "0.0.0.0",
      "169.254.169.254",
      "169.254.0.1",
      "224.0.0.1",
      "255.255.255.255",
      "10.96.0.1",
      "10.111.255.254",
      "100.100.100.200",
      "::1",
      "::",
      "fe80::1",
      "ff02::1",
      "fd00:ec2::254",
    ].map((ip) => ({
      name: `serving: IP ${ip}`,
      csr: serving(["node-1"], [ip]),
      reasons: ["san-ip-forbidden"],
    })),
    {
      name: "serving: 10.95.255.255, just below the Service CIDR",
      csr: serving(["node-1"], ["10.95.255.255"]),
      reasons: [],
    },
    {
      name: "serving: 10.112.0.0, just above the Service CIDR",
      csr: serving(["node-1"], ["10.112.0.0"]),
      reasons: [],
    },

    // kube-apiserver-client: privileged or unaccountable identities.
    { name: "client: a user certificate", csr: alice, reasons: [] },
    {
      name: "client: with an email SAN",
      csr: { ...alice, emails: ["alice@example.com"] },
      reasons: [],
    },
    {
      name: "client: an email SAN with two @",
      csr: { ...alice, emails: ["alice@evil.com@example.com"] },
      reasons: ["san-email-not-allowed"],
    },
    {
      name: "client: a DNS SAN",
      csr: { ...alice, dns: ["alice.example.com"] },
      reasons: ["san-dns-not-allowed"],
    },
    {
      name: "client: O kubeadm:cluster-admins",
      csr: userClient("eve", ["kubeadm:cluster-admins"]),
      reasons: ["org-forbidden"],
    },
    {
      name: "client: O system:masters",
      csr: userClient("eve", ["system:masters"]),
      reasons: ["org-forbidden", "signer-rule-org-system-masters"],
    },
    {
      name: "client: O system:masters + NUL as BMPString (Kubernetes reads system:masters)",
      csr: { ...alice, subjectDer: subjectWithO(0x1e, ucs2("system:masters\u0000")) },
      reasons: ["org-forbidden", "signer-rule-org-system-masters"],
    },
    {
      name: "client: O system:masters as UniversalString (Kubernetes ignores it)",
      csr: { ...alice, subjectDer: subjectWithO(0x1c, ucs4("system:masters")) },
      reasons: ["subject-value-not-string"],
    },
    {
      name: "client: a node asks for a user certificate",
      csr: {
        ...alice,
        username: "system:node:node-1",
        groups: ["system:nodes", "system:authenticated"],
      },
      reasons: ["requester-forbidden", "requester-group-forbidden"],
    },
    {
      name: "client: an anonymous requester",
      csr: { ...alice, username: "system:anonymous", groups: ["system:unauthenticated"] },
      reasons: ["requester-forbidden", "requester-group-forbidden"],
    },
    {
      name: "client: an empty requester",
      csr: { ...alice, username: "", groups: [] },
      reasons: ["requester-missing"],
    },
    {
      name: "client: no lifetime (the signer would pick a year)",
      csr: aliceNoLifetime,
      reasons: ["lifetime-missing"],
    },
    { name: "client: 7 days", csr: { ...alice, expirationSeconds: 604800 }, reasons: [] },
    {
      name: "client: 7 days and a second",
      csr: { ...alice, expirationSeconds: 604801 },
      reasons: ["lifetime-too-long"],
    },
    { name: "client: 600 seconds", csr: { ...alice, expirationSeconds: 600 }, reasons: [] },
    {
      name: "client: 599 seconds (the apiserver refuses it)",
      csr: { ...alice, expirationSeconds: 599 },
      reasons: ["expiration-invalid"],
    },
    {
      name: "client: 2^31 seconds (no int32)",
      csr: { ...alice, expirationSeconds: 2 ** 31 },
      reasons: ["expiration-invalid", "lifetime-too-long"],
    },

    // Keys without proof of possession.
    {
      name: "key: RSA with e = 1 (signature made without a private key)",
      csr: { ...alice, customKey: rsaExponentOne() },
      reasons: ["key-rsa-exponent-invalid"],
    },
    {
      name: "key: RSA with e = 2",
      csr: { ...alice, customKey: rsaWithExponent(2) },
      reasons: ["key-rsa-exponent-invalid", "signature-invalid"],
    },
    {
      name: "key: RSA with e = 65536",
      csr: { ...alice, customKey: rsaWithExponent(65536) },
      reasons: ["key-rsa-exponent-invalid", "signature-invalid"],
    },
    {
      name: "key: RSA with an even modulus",
      csr: { ...alice, customKey: rsaEvenModulus() },
      reasons: ["key-rsa-modulus-even", "signature-invalid"],
    },
    {
      name: "key: P-256 generator (private key 1)",
      csr: { ...kubeletClient("node-1"), keyPair: ecKeyWithPrivate("P-256", 1n) },
      reasons: ["key-ec-known-private-key"],
    },
    {
      name: "key: P-256 minus the generator (private key n-1)",
      csr: { ...kubeletClient("node-1"), keyPair: ecKeyWithPrivate("P-256", P256_ORDER - 1n) },
      reasons: ["key-ec-known-private-key"],
    },
    {
      name: "key: P-384 with private key 1024",
      csr: { ...kubeletClient("node-1"), keyPair: ecKeyWithPrivate("P-384", 1024n) },
      reasons: ["key-ec-known-private-key"],
    },
    {
      name: "key: P-521 with private key 7",
      csr: { ...kubeletClient("node-1"), keyPair: ecKeyWithPrivate("P-521", 7n) },
      reasons: ["key-ec-known-private-key"],
    },
    {
      name: "key: P-384 with private key 1025 (past the small multiples)",
      csr: { ...kubeletClient("node-1"), keyPair: ecKeyWithPrivate("P-384", 1025n) },
      reasons: [],
    },
    {
      name: "key: a P-256 point off the curve",
      csr: { ...alice, customKey: ecOffCurve() },
      reasons: ["undecodable"],
    },
    {
      name: "key: the Ed25519 identity point",
      csr: { ...alice, customKey: ed25519Identity() },
      reasons: ["key-ed25519-small-order", "signature-invalid"],
    },
    {
      name: "signature: SHA-1 with RSA",
      csr: { ...alice, hash: "sha1" },
      reasons: ["signature-sha1"],
    },
    {
      name: "signature: SHA-1 with ECDSA",
      csr: { ...kubeletClient("node-1"), hash: "sha1" },
      reasons: ["signature-sha1"],
    },
    { name: "kubelet client renewal", csr: kubeletClient("node-1"), reasons: [] },
    {
      name: "serving: 367 days",
      csr: { ...serving(["node-1"]), expirationSeconds: 31708800 },
      reasons: [],
    },
    {
      name: "serving: 367 days and a second",
      csr: { ...serving(["node-1"]), expirationSeconds: 31708801 },
      reasons: ["lifetime-too-long"],
    },
  ];
}
