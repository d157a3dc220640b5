/**
 * What the signer issued, and whether it matches the approved request: same public key, the
 * request's subject, SANs within those requested, and key usages / extended key usages within the
 * CSR's spec.usages. Feeds the certificate receipt. Pure; never throws.
 */
import { AsnConvert } from "@peculiar/asn1-schema";
import { Certificate, ExtendedKeyUsage, type Name } from "@peculiar/asn1-x509";
import { sha256Hex } from "../csr/hashes.ts";
import { ASN1_PARSE_LIMITS } from "../csr/limits.ts";
import { decodeSubjectAltNames } from "../csr/subject-alt-names.ts";
import { decodeSubjectDer, subjectText } from "../csr/subject.ts";
import type { DecodedRequest, SubjectAltName } from "../csr/types.ts";

export interface IssuedCertificate {
  readonly serial: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly issuer: string;
  readonly sha256: string;
  readonly matchesRequest: boolean;
  readonly mismatches: readonly string[];
}

export type CertificateFactsResult =
  | { readonly ok: true; readonly certificate: IssuedCertificate }
  | { readonly ok: false; readonly error: string };

const KEY_USAGE_BITS: readonly (string | undefined)[] = [
  "digital signature",
  "content commitment",
  "key encipherment",
  "data encipherment",
  "key agreement",
  "cert sign",
  "crl sign",
  "encipher only",
  "decipher only",
];

const EKU: Readonly<Record<string, string>> = {
  "1.3.6.1.5.5.7.3.1": "server auth",
  "1.3.6.1.5.5.7.3.2": "client auth",
  "1.3.6.1.5.5.7.3.3": "code signing",
  "1.3.6.1.5.5.7.3.4": "email protection",
  "1.3.6.1.5.5.7.3.8": "timestamping",
  "1.3.6.1.5.5.7.3.9": "ocsp signing",
  "2.5.29.37.0": "any",
};

function sanKey(s: SubjectAltName): string {
  return `${s.type}:${s.value}`;
}

function keyUsages(der: Uint8Array): string[] {
  // BIT STRING: tag, length, unused-bits count, then the bits, most significant first.
  const bytes = der.subarray(3);
  const out: string[] = [];
  KEY_USAGE_BITS.forEach((name, i) => {
    const byte = bytes[i >> 3] ?? 0;
    if (name !== undefined && (byte & (0x80 >> (i & 7))) !== 0) out.push(name);
  });
  return out;
}

/** The extendedKeyUsage OIDs by name; undefined when the extension does not decode. */
function extKeyUsages(der: Uint8Array): string[] | undefined {
  try {
    const oids = AsnConvert.parse(der, ExtendedKeyUsage, { berOptions: ASN1_PARSE_LIMITS });
    // The parser reads any element as an OID (an INTEGER 1 comes back as "1"): only dotted
    // object identifiers of two arcs or more are usages.
    if (!oids.every((oid) => /^[0-2](\.\d+)+$/.test(oid))) return undefined;
    return oids.map((oid) => EKU[oid] ?? oid);
  } catch {
    return undefined;
  }
}

/** A Name as "CN=a,O=b", read as the request's subject is; "(unreadable)" when Go would refuse it. */
function nameText(name: Name): string {
  const decoded = decodeSubjectDer(new Uint8Array(AsnConvert.serialize(name)));
  return decoded.ok ? subjectText(decoded.subject) : "(unreadable)";
}

function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function factsUnsafe(
  pem: string,
  request: DecodedRequest,
  usages: readonly string[],
): CertificateFactsResult {
  const block = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/.exec(pem);
  if (block === null) return { ok: false, error: "status.certificate holds no PEM certificate" };
  const der = { der: new Uint8Array(Buffer.from((block[1] ?? "").replace(/\s+/g, ""), "base64")) };
  const cert = AsnConvert.parse(der.der, Certificate, { berOptions: ASN1_PARSE_LIMITS });
  const tbs = cert.tbsCertificate;
  const mismatches: string[] = [];
  const spki = new Uint8Array(AsnConvert.serialize(tbs.subjectPublicKeyInfo));
  if (sha256Hex(spki) !== request.publicKeySha256)
    mismatches.push("the public key is not the requested one");
  const subject = nameText(tbs.subject);
  const requested = subjectText(request.subject);
  if (subject !== requested)
    mismatches.push(`subject ${subject} differs from the requested ${requested}`);
  const allowedSans = new Set(request.subjectAltNames.map(sanKey));
  const allowedUsages = new Set(usages);
  const extensions = tbs.extensions === undefined ? [] : Array.from(tbs.extensions);
  for (const ext of extensions) {
    const value = new Uint8Array(ext.extnValue.buffer);
    if (ext.extnID === "2.5.29.17") {
      const sans = decodeSubjectAltNames(value);
      if (!sans.ok) mismatches.push("the subjectAltName extension does not decode");
      else
        for (const san of sans.names)
          if (!allowedSans.has(sanKey(san)))
            mismatches.push(`SAN ${sanKey(san)} was not requested`);
    }
    if (ext.extnID === "2.5.29.15")
      for (const u of keyUsages(value))
        if (!allowedUsages.has(u)) mismatches.push(`key usage ${u} was not requested`);
    if (ext.extnID === "2.5.29.37") {
      const ekus = extKeyUsages(value);
      if (ekus === undefined) mismatches.push("the extendedKeyUsage extension does not decode");
      else
        for (const u of ekus)
          if (!allowedUsages.has(u)) mismatches.push(`extended key usage ${u} was not requested`);
    }
  }
  const serialBytes = new Uint8Array(tbs.serialNumber);
  const serial = Buffer.from(serialBytes)
    .toString("hex")
    .replace(/^(00)+(?=.)/, "");
  return {
    ok: true,
    certificate: {
      serial,
      notBefore: iso(tbs.validity.notBefore.getTime()),
      notAfter: iso(tbs.validity.notAfter.getTime()),
      issuer: nameText(tbs.issuer),
      sha256: sha256Hex(der.der),
      matchesRequest: mismatches.length === 0,
      mismatches,
    },
  };
}

/** `pem`: status.certificate (the leaf first); `usages`: the CSR's spec.usages. */
export function certificateFacts(
  pem: string,
  request: DecodedRequest,
  usages: readonly string[],
): CertificateFactsResult {
  try {
    return factsUnsafe(pem, request, usages);
  } catch (cause) {
    return {
      ok: false,
      error: `the certificate does not parse: ${cause instanceof Error ? cause.message : String(cause)}`,
    };
  }
}
