/**
 * Builds REAL PKCS#10 certificate requests (and Kubernetes CSR objects around them) for tests,
 * examples and benchmarks: keys from node:crypto, structure from @peculiar/asn1-*, signatures from
 * node:crypto `sign`. Nothing here is a canned fixture, so every test exercises genuine DER.
 *
 * Subject attribute order is C, ST, L, O, OU, CN — the order Go's crypto/x509 (kubelets, client-go)
 * and `openssl req -subj /C=../ST=../L=../O=../OU=../CN=..` emit. Each value gets its own RDN
 * (openssl's form; Go puts repeated O values in one multi-valued RDN, which decoders read in the
 * same order). Strings are PrintableString where the text allows it, else UTF8String, like Go.
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { isIPv4, isIPv6 } from "node:net";
import { AsnConvert } from "@peculiar/asn1-schema";
import {
  Attribute,
  AttributeTypeAndValue,
  AttributeValue,
  Extension,
  Extensions,
  GeneralName,
  Name,
  RelativeDistinguishedName,
  SubjectAlternativeName,
  SubjectPublicKeyInfo,
  AlgorithmIdentifier,
} from "@peculiar/asn1-x509";
import { Attributes, CertificationRequest, CertificationRequestInfo } from "@peculiar/asn1-csr";
import { OctetString } from "@peculiar/asn1-schema";
import { stringify } from "yaml";

export type CsrKeyType = "rsa2048" | "rsa3072" | "rsa4096" | "p256" | "p384" | "p521" | "ed25519";

export interface CsrSubjectOptions {
  CN?: string;
  O?: string[];
  OU?: string[];
  C?: string;
  L?: string;
  ST?: string;
}

export interface MakeCsrOptions {
  /** Key type; default p256 (what kubelets generate). */
  key?: CsrKeyType;
  subject?: CsrSubjectOptions;
  dns?: string[];
  ips?: string[];
  emails?: string[];
  uris?: string[];
  extraExtensions?: { oid: string; critical?: boolean; valueDer: ArrayBuffer }[];
  /** Flip one bit of the signature: the request still parses but its proof of possession fails. */
  badSignature?: boolean;
  /** Reuse a key (RSA generation is slow). Its type must match `key` (or `key` is inferred). */
  keyPair?: { privateKey: KeyObject; publicKey: KeyObject };
  /**
   * Signature hash; default sha256 for RSA and P-256, sha384 for P-384, sha512 for P-521 (Go's
   * choice). Ignored for Ed25519. "sha1" exists to test legacy requests.
   */
  hash?: "sha1" | "sha256" | "sha384" | "sha512";
  /** Sign RSA keys with RSASSA-PSS (MGF1 with the same hash, salt length = hash length). */
  rsaPss?: boolean;
  /** The subject as DER bytes of a Name, used as is (for string types `subject` never makes). */
  subjectDer?: Uint8Array;
  /**
   * A hand-made key: its SPKI DER and a signing function over the CertificationRequestInfo,
   * with the signature AlgorithmIdentifier's OID (parameters NULL for RSA, absent otherwise).
   */
  customKey?: { spkiDer: Uint8Array; sign: (info: Uint8Array) => Uint8Array; sigOid: string };
}

export interface MakeCsrObjectOptions extends MakeCsrOptions {
  name?: string;
  uid?: string;
  signerName?: string;
  usages?: string[];
  expirationSeconds?: number;
  username?: string;
  /** spec.uid: the requester's uid. */
  requesterUid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
  conditions?: object[];
  /** status.certificate: base64 of the issued PEM chain. */
  certificate?: string;
  creationTimestamp?: string;
  resourceVersion?: string;
}

const OID = {
  C: "2.5.4.6",
  ST: "2.5.4.8",
  L: "2.5.4.7",
  O: "2.5.4.10",
  OU: "2.5.4.11",
  CN: "2.5.4.3",
  extensionRequest: "1.2.840.113549.1.9.14",
  subjectAltName: "2.5.29.17",
  rsaEncryption: "1.2.840.113549.1.1.1",
  rsaPss: "1.2.840.113549.1.1.10",
  mgf1: "1.2.840.113549.1.1.8",
} as const;

const HASH_OID = {
  sha1: "1.3.14.3.2.26",
  sha256: "2.16.840.1.101.3.4.2.1",
  sha384: "2.16.840.1.101.3.4.2.2",
  sha512: "2.16.840.1.101.3.4.2.3",
} as const;

const RSA_SIG_OID = {
  sha1: "1.2.840.113549.1.1.5",
  sha256: "1.2.840.113549.1.1.11",
  sha384: "1.2.840.113549.1.1.12",
  sha512: "1.2.840.113549.1.1.13",
} as const;

const ECDSA_SIG_OID = {
  sha1: "1.2.840.10045.4.1",
  sha256: "1.2.840.10045.4.3.2",
  sha384: "1.2.840.10045.4.3.3",
  sha512: "1.2.840.10045.4.3.4",
} as const;

const ED25519_OID = "1.3.101.112";

const keyCache = new Map<CsrKeyType, { privateKey: KeyObject; publicKey: KeyObject }>();

/** A fresh key pair of the given type, cached per type within the process. */
export function cachedKeyPair(key: CsrKeyType): { privateKey: KeyObject; publicKey: KeyObject } {
  const hit = keyCache.get(key);
  if (hit !== undefined) return hit;
  const pair = generateKeyPair(key);
  keyCache.set(key, pair);
  return pair;
}

/** A new, uncached key pair (use when a test needs two distinct keys). */
export function generateKeyPair(key: CsrKeyType): { privateKey: KeyObject; publicKey: KeyObject } {
  switch (key) {
    case "rsa2048":
    case "rsa3072":
    case "rsa4096":
      return generateKeyPairSync("rsa", { modulusLength: Number(key.slice(3)) });
    case "p256":
      return generateKeyPairSync("ec", { namedCurve: "P-256" });
    case "p384":
      return generateKeyPairSync("ec", { namedCurve: "P-384" });
    case "p521":
      return generateKeyPairSync("ec", { namedCurve: "P-521" });
    case "ed25519":
      return generateKeyPairSync("ed25519");
  }
}

function keyTypeOf(publicKey: KeyObject): CsrKeyType {
  const type = publicKey.asymmetricKeyType;
  const details = publicKey.asymmetricKeyDetails;
  if (type === "ed25519") return "ed25519";
  if (type === "rsa") {
    const bits = details?.modulusLength ?? 2048;
    return bits >= 4096 ? "rsa4096" : bits >= 3072 ? "rsa3072" : "rsa2048";
  }
  if (type === "ec") {
    const curve = details?.namedCurve;
    if (curve === "secp384r1") return "p384";
    if (curve === "secp521r1") return "p521";
    return "p256";
  }
  throw new Error(`make-csr: unsupported key type ${String(type)}`);
}

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

function directoryValue(text: string): AttributeValue {
  return PRINTABLE.test(text)
    ? new AttributeValue({ printableString: text })
    : new AttributeValue({ utf8String: text });
}

function buildName(subject: CsrSubjectOptions | undefined): Name {
  const pairs: [string, string][] = [];
  if (subject?.C !== undefined) pairs.push([OID.C, subject.C]);
  if (subject?.ST !== undefined) pairs.push([OID.ST, subject.ST]);
  if (subject?.L !== undefined) pairs.push([OID.L, subject.L]);
  for (const o of subject?.O ?? []) pairs.push([OID.O, o]);
  for (const ou of subject?.OU ?? []) pairs.push([OID.OU, ou]);
  if (subject?.CN !== undefined) pairs.push([OID.CN, subject.CN]);
  return new Name(
    pairs.map(
      ([type, value]) =>
        new RelativeDistinguishedName([
          new AttributeTypeAndValue({
            type,
            // C is PrintableString by definition; IA5/UTF8 fallback comes from directoryValue.
            value: directoryValue(value),
          }),
        ]),
    ),
  );
}

function buildExtensions(opts: MakeCsrOptions): Extension[] {
  const names: GeneralName[] = [
    ...(opts.dns ?? []).map((dNSName) => new GeneralName({ dNSName })),
    ...(opts.emails ?? []).map((rfc822Name) => new GeneralName({ rfc822Name })),
    ...(opts.uris ?? []).map(
      (uniformResourceIdentifier) => new GeneralName({ uniformResourceIdentifier }),
    ),
    ...(opts.ips ?? []).map((ip) => new GeneralName({ iPAddress: plainIpText(ip) })),
  ];
  const extensions: Extension[] = [];
  if (names.length > 0) {
    extensions.push(
      new Extension({
        extnID: OID.subjectAltName,
        critical: false,
        extnValue: new OctetString(AsnConvert.serialize(new SubjectAlternativeName(names))),
      }),
    );
  }
  for (const extra of opts.extraExtensions ?? []) {
    extensions.push(
      new Extension({
        extnID: extra.oid,
        critical: extra.critical ?? false,
        extnValue: new OctetString(extra.valueDer),
      }),
    );
  }
  return extensions;
}

/**
 * The IP in a form @peculiar/asn1-x509's converter encodes correctly: IPv4 as is, IPv6 as eight
 * hex groups (it mis-encodes an embedded dotted quad such as ::ffff:10.0.0.1).
 */
function plainIpText(ip: string): string {
  if (isIPv4(ip)) return ip;
  if (!isIPv6(ip)) throw new Error(`make-csr: not an IP address: ${ip}`);
  let text = ip;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted !== null) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const fill = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill("0");
  return [...left, ...fill, ...right].join(":");
}

interface SigningPlan {
  algorithm: AlgorithmIdentifier;
  sign: (data: Uint8Array) => Uint8Array;
}

function signingPlan(key: CsrKeyType, privateKey: KeyObject, opts: MakeCsrOptions): SigningPlan {
  if (key === "ed25519") {
    return {
      algorithm: new AlgorithmIdentifier({ algorithm: ED25519_OID }),
      sign: (data) => sign(null, data, privateKey),
    };
  }
  if (key.startsWith("rsa")) {
    const hash = opts.hash ?? "sha256";
    if (opts.rsaPss === true) {
      const hashLength = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 }[hash];
      return {
        algorithm: new AlgorithmIdentifier({
          algorithm: OID.rsaPss,
          parameters: rsaPssParams(hash, hashLength),
        }),
        sign: (data) =>
          sign(hash, data, {
            key: privateKey,
            padding: 6, // constants.RSA_PKCS1_PSS_PADDING
            saltLength: hashLength,
          }),
      };
    }
    return {
      algorithm: new AlgorithmIdentifier({ algorithm: RSA_SIG_OID[hash], parameters: null }),
      sign: (data) => sign(hash, data, privateKey),
    };
  }
  const hash = opts.hash ?? (key === "p384" ? "sha384" : key === "p521" ? "sha512" : "sha256");
  return {
    // ECDSA signature AlgorithmIdentifiers omit parameters (RFC 5758).
    algorithm: new AlgorithmIdentifier({ algorithm: ECDSA_SIG_OID[hash] }),
    sign: (data) => sign(hash, data, privateKey), // DER-encoded (r, s), as X.509 wants
  };
}

/** DER of RSASSA-PSS-params with explicit hash, MGF1(hash) and salt length (RFC 4055). */
function rsaPssParams(hash: keyof typeof HASH_OID, saltLength: number): ArrayBuffer {
  const hashAlg = AsnConvert.serialize(
    new AlgorithmIdentifier({ algorithm: HASH_OID[hash], parameters: null }),
  );
  const mgf = AsnConvert.serialize(
    new AlgorithmIdentifier({ algorithm: OID.mgf1, parameters: hashAlg }),
  );
  const tagged = (tag: number, body: Uint8Array): Uint8Array => derTlv(0xa0 + tag, body);
  const salt = derTlv(0x02, Uint8Array.of(saltLength));
  const body = concat([
    tagged(0, new Uint8Array(hashAlg)),
    tagged(1, new Uint8Array(mgf)),
    tagged(2, salt),
  ]);
  const seq = derTlv(0x30, body);
  return seq.buffer.slice(seq.byteOffset, seq.byteOffset + seq.byteLength) as ArrayBuffer;
}

export function derTlv(tag: number, body: Uint8Array): Uint8Array {
  const len = body.length;
  const header =
    len < 0x80 ? [tag, len] : len < 0x100 ? [tag, 0x81, len] : [tag, 0x82, len >> 8, len & 0xff];
  return concat([Uint8Array.from(header), body]);
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** DER of an OBJECT IDENTIFIER from its dotted text. */
export function oidDer(dotted: string): Uint8Array {
  const [a = 0, b = 0, ...rest] = dotted.split(".").map(Number);
  const out: number[] = [];
  for (const arc of [a * 40 + b, ...rest]) {
    const groups = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128))
      groups.unshift((v & 0x7f) | 0x80);
    out.push(...groups);
  }
  return derTlv(0x06, Uint8Array.from(out));
}

/** A BIT STRING with no unused bits. */
function bitString(bytes: Uint8Array): Uint8Array {
  return derTlv(0x03, concat([Uint8Array.of(0), bytes]));
}

/**
 * The request assembled from DER parts: for a hand-made subject or key, which the schema
 * library would re-encode (a BMPString's trailing NUL, an odd-length string, an RSA exponent of 1).
 */
function makeRawCsrDer(opts: MakeCsrOptions): Uint8Array {
  const pair =
    opts.customKey === undefined ? (opts.keyPair ?? cachedKeyPair(opts.key ?? "p256")) : undefined;
  const spkiDer =
    opts.customKey?.spkiDer ??
    new Uint8Array(pair?.publicKey.export({ format: "der", type: "spki" }) ?? []);
  const extensions = buildExtensions(opts);
  const attributes = new Uint8Array(
    AsnConvert.serialize(
      new Attributes(
        extensions.length === 0
          ? []
          : [
              new Attribute({
                type: OID.extensionRequest,
                values: [AsnConvert.serialize(new Extensions(extensions))],
              }),
            ],
      ),
    ),
  );
  attributes[0] = 0xa0; // [0] IMPLICIT SET OF Attribute
  const subjectDer =
    opts.subjectDer ?? new Uint8Array(AsnConvert.serialize(buildName(opts.subject)));
  const infoDer = derTlv(
    0x30,
    concat([Uint8Array.of(0x02, 0x01, 0x00), subjectDer, spkiDer, attributes]),
  );
  let algorithm: Uint8Array;
  let signature: Uint8Array;
  if (opts.customKey !== undefined) {
    const oid = oidDer(opts.customKey.sigOid);
    algorithm = derTlv(
      0x30,
      opts.customKey.sigOid.startsWith("1.2.840.113549")
        ? concat([oid, Uint8Array.of(0x05, 0x00)])
        : oid,
    );
    signature = opts.customKey.sign(infoDer);
  } else {
    const key = opts.key ?? (pair === undefined ? "p256" : keyTypeOf(pair.publicKey));
    const plan = signingPlan(key, pair?.privateKey ?? cachedKeyPair(key).privateKey, opts);
    algorithm = new Uint8Array(AsnConvert.serialize(plan.algorithm));
    signature = Uint8Array.from(plan.sign(infoDer));
  }
  if (opts.badSignature === true) {
    const last = signature.length - 1;
    signature[last] = (signature[last] ?? 0) ^ 0x01;
  }
  return derTlv(0x30, concat([infoDer, algorithm, bitString(signature)]));
}

/** DER of a PKCS#10 CertificationRequest built from the options. */
export function makeCsrDer(opts: MakeCsrOptions = {}): Uint8Array {
  if (opts.subjectDer !== undefined || opts.customKey !== undefined) return makeRawCsrDer(opts);
  const key = opts.key ?? (opts.keyPair !== undefined ? keyTypeOf(opts.keyPair.publicKey) : "p256");
  const { privateKey, publicKey } = opts.keyPair ?? cachedKeyPair(key);
  const spkiDer = publicKey.export({ format: "der", type: "spki" });
  const extensions = buildExtensions(opts);
  const attributes = new Attributes(
    extensions.length === 0
      ? []
      : [
          new Attribute({
            type: OID.extensionRequest,
            values: [AsnConvert.serialize(new Extensions(extensions))],
          }),
        ],
  );
  const info = new CertificationRequestInfo({
    version: 0,
    subject: buildName(opts.subject),
    subjectPKInfo: AsnConvert.parse(spkiDer, SubjectPublicKeyInfo),
    attributes,
  });
  const infoDer = new Uint8Array(AsnConvert.serialize(info));
  const plan = signingPlan(key, privateKey, opts);
  const signature = Uint8Array.from(plan.sign(infoDer));
  if (opts.badSignature === true) {
    const last = signature.length - 1;
    signature[last] = (signature[last] ?? 0) ^ 0x01;
  }
  const request = new CertificationRequest({
    certificationRequestInfo: info,
    signatureAlgorithm: plan.algorithm,
    signature: signature.buffer.slice(
      signature.byteOffset,
      signature.byteOffset + signature.byteLength,
    ),
  });
  return new Uint8Array(AsnConvert.serialize(request));
}

/** PEM-wraps DER with the given label, 64 characters a line, trailing newline. */
export function toPem(der: Uint8Array, label = "CERTIFICATE REQUEST"): string {
  const b64 = Buffer.from(der).toString("base64");
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/** "-----BEGIN CERTIFICATE REQUEST-----..." for the options. */
export function makeCsrPem(opts: MakeCsrOptions = {}): string {
  return toPem(makeCsrDer(opts));
}

/**
 * A Kubernetes CertificateSigningRequest as `kubectl get csr NAME -o yaml` shows it, with
 * spec.request = base64 of the PEM. Name and uid default to values derived from the request, so the
 * same request gives the same object.
 */
export function makeCsrObject(opts: MakeCsrObjectOptions = {}): Record<string, unknown> {
  const pem = makeCsrPem(opts);
  const digest = createHash("sha256").update(pem).digest("hex");
  const uid =
    opts.uid ??
    `${digest.slice(0, 8)}-${digest.slice(8, 12)}-4${digest.slice(13, 16)}-8${digest.slice(17, 20)}-${digest.slice(20, 32)}`;
  const spec: Record<string, unknown> = {};
  // kubectl prints keys sorted; keep that order for realistic YAML.
  if (opts.expirationSeconds !== undefined) spec.expirationSeconds = opts.expirationSeconds;
  spec.groups = opts.groups ?? ["system:authenticated"];
  if (opts.extra !== undefined) spec.extra = opts.extra;
  spec.request = Buffer.from(pem).toString("base64");
  spec.signerName = opts.signerName ?? "kubernetes.io/kube-apiserver-client";
  if (opts.requesterUid !== undefined) spec.uid = opts.requesterUid;
  spec.usages = opts.usages ?? ["digital signature", "client auth"];
  spec.username = opts.username ?? "kubernetes-admin";
  const status: Record<string, unknown> = {};
  if (opts.certificate !== undefined) status.certificate = opts.certificate;
  if (opts.conditions !== undefined) status.conditions = opts.conditions;
  return {
    apiVersion: "certificates.k8s.io/v1",
    kind: "CertificateSigningRequest",
    metadata: {
      creationTimestamp: opts.creationTimestamp ?? "2025-01-01T00:00:00Z",
      name: opts.name ?? `csr-${digest.slice(0, 5)}`,
      resourceVersion: opts.resourceVersion ?? "1",
      uid,
    },
    spec,
    status,
  };
}

/** The object as YAML text, like `kubectl get csr NAME -o yaml`. */
export function makeCsrYaml(opts: MakeCsrObjectOptions = {}): string {
  return stringify(makeCsrObject(opts), { lineWidth: 0, indentSeq: false });
}

/** A kubelet's serving-certificate request for `node` (kubernetes.io/kubelet-serving). */
export function kubeletServing(
  node: string,
  addresses: string[] = ["10.0.0.11"],
): MakeCsrObjectOptions {
  return {
    key: "p256",
    subject: { CN: `system:node:${node}`, O: ["system:nodes"] },
    dns: [node],
    ips: addresses,
    signerName: "kubernetes.io/kubelet-serving",
    usages: ["digital signature", "server auth"],
    username: `system:node:${node}`,
    groups: ["system:nodes", "system:authenticated"],
  };
}

/** A kubelet's client-certificate request (kubernetes.io/kube-apiserver-client-kubelet). */
export function kubeletClient(node: string): MakeCsrObjectOptions {
  return {
    key: "p256",
    subject: { CN: `system:node:${node}`, O: ["system:nodes"] },
    signerName: "kubernetes.io/kube-apiserver-client-kubelet",
    usages: ["digital signature", "client auth"],
    username: `system:node:${node}`,
    groups: ["system:nodes", "system:authenticated"],
  };
}

/** A person's client-certificate request, made with openssl and submitted by an admin. */
export function userClient(name: string, orgs: string[] = []): MakeCsrObjectOptions {
  return {
    key: "rsa2048",
    subject: { CN: name, O: orgs },
    signerName: "kubernetes.io/kube-apiserver-client",
    usages: ["digital signature", "key encipherment", "client auth"],
    expirationSeconds: 86400,
    username: "kubernetes-admin",
    groups: ["kubeadm:cluster-admins", "system:authenticated"],
  };
}
