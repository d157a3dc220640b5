/**
 * Hand-made DER for tests that attack a request's structure: every element is written byte by
 * byte, and the request is signed with a real key, so only the part under test is unusual.
 */
import { sign, type KeyObject } from "node:crypto";
import { cachedKeyPair } from "./make-csr.ts";

export type Bytes = readonly number[];

/** A DER length: short form below 128, else the minimal long form. */
export function derLength(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return [0x80 | bytes.length, ...bytes];
}

export function tlv(tag: number, ...contents: Bytes[]): number[] {
  const body = contents.flat();
  return [tag, ...derLength(body.length), ...body];
}

/** An OBJECT IDENTIFIER element from its dotted form. */
export function oid(dotted: string): number[] {
  const [a = 0, b = 0, ...rest] = dotted.split(".").map(Number);
  const body = [40 * a + b];
  for (const arc of rest) {
    const digits = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128))
      digits.unshift(0x80 | (v & 0x7f));
    body.push(...digits);
  }
  return tlv(0x06, body);
}

export const seq = (...contents: Bytes[]): number[] => tlv(0x30, ...contents);
export const set = (...contents: Bytes[]): number[] => tlv(0x31, ...contents);
export const octets = (...contents: Bytes[]): number[] => tlv(0x04, ...contents);
export const utf8 = (text: string): number[] => tlv(0x0c, [...Buffer.from(text, "utf8")]);
export const NULL = [0x05, 0x00];

export const OIDS = {
  CN: "2.5.4.3",
  extensionRequest: "1.2.840.113549.1.9.14",
  challengePassword: "1.2.840.113549.1.9.7",
  subjectAltName: "2.5.29.17",
  keyUsage: "2.5.29.15",
  extKeyUsage: "2.5.29.37",
  basicConstraints: "2.5.29.19",
  rsaEncryption: "1.2.840.113549.1.1.1",
  sha256WithRSA: "1.2.840.113549.1.1.11",
  rsaPss: "1.2.840.113549.1.1.10",
  mgf1: "1.2.840.113549.1.1.8",
  sha1: "1.3.14.3.2.26",
  sha256: "2.16.840.1.101.3.4.2.1",
  sha384: "2.16.840.1.101.3.4.2.2",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  ed25519: "1.3.101.112",
} as const;

/** A Name with one CN. */
export const cnName = (cn: string): number[] => seq(set(seq(oid(OIDS.CN), utf8(cn))));

/** Extension ::= SEQUENCE { extnID, critical DEFAULT FALSE, extnValue OCTET STRING }. */
export function extension(id: string, value: Bytes, critical = false): number[] {
  return seq(oid(id), critical ? [0x01, 0x01, 0xff] : [], octets(value));
}

/** Attribute ::= SEQUENCE { type, values SET OF }. */
export const attribute = (type: string, ...values: Bytes[]): number[] =>
  seq(oid(type), set(...values));

/** One extensionRequest attribute holding one Extensions list. */
export const extensionRequest = (...extensions: Bytes[]): number[] =>
  attribute(OIDS.extensionRequest, seq(...extensions));

/** GeneralNames with DNS names only. */
export const dnsNames = (...names: string[]): number[] =>
  seq(...names.map((n) => tlv(0x82, [...Buffer.from(n, "latin1")])));

export interface RequestParts {
  /** The version element; default INTEGER 0. */
  version?: Bytes;
  subject?: Bytes;
  /** The SubjectPublicKeyInfo; default the key's own. */
  spki?: Bytes;
  /** The attributes, each a complete Attribute element. */
  attributes?: Bytes[];
  /** The signatureAlgorithm element; default ecdsa-with-SHA256 (for the default P-256 key). */
  signatureAlgorithm?: Bytes;
  /** How to sign the CertificationRequestInfo; default sha256 with the key. */
  sign?: (info: Buffer, privateKey: KeyObject) => Buffer;
  keyPair?: { privateKey: KeyObject; publicKey: KeyObject };
}

/** The DER of a CertificationRequest from its parts, signed with the key (cached P-256). */
export function buildRequest(parts: RequestParts = {}): Uint8Array {
  const { privateKey, publicKey } = parts.keyPair ?? cachedKeyPair("p256");
  const spki = parts.spki ?? [...publicKey.export({ type: "spki", format: "der" })];
  const info = seq(
    parts.version ?? [0x02, 0x01, 0x00],
    parts.subject ?? cnName("web"),
    spki,
    tlv(0xa0, ...(parts.attributes ?? [])),
  );
  const signer = parts.sign ?? ((data, key) => sign("sha256", data, key));
  const signature = [...signer(Buffer.from(info), privateKey)];
  return Uint8Array.from(
    seq(
      info,
      parts.signatureAlgorithm ?? seq(oid(OIDS.ecdsaWithSha256)),
      tlv(0x03, [0x00], signature),
    ),
  );
}
