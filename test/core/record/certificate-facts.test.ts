/**
 * certificateFacts: what the signer issued, compared with the approved request. A certificate
 * with another key, another subject, a name or a usage nobody approved must be named as a
 * mismatch; anything that is not a certificate is an error, never a throw. The certificates are
 * real DER built here (the facts do not depend on the signature, so it is filler).
 */
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  Certificate,
  Extension,
  Extensions,
  GeneralName,
  Name,
  RelativeDistinguishedName,
  SubjectAlternativeName,
  TBSCertificate,
  Validity,
  Version,
} from "@peculiar/asn1-x509";
import { CertificationRequest } from "@peculiar/asn1-csr";
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodeCsrPem } from "../../../src/core/csr/decode.ts";
import type { DecodedRequest } from "../../../src/core/csr/types.ts";
import { certificateFacts } from "../../../src/core/record/certificate-facts.ts";
import {
  concat,
  derTlv,
  makeCsrDer,
  oidDer,
  toPem,
  type MakeCsrOptions,
} from "../../support/make-csr.ts";

const REQUEST: MakeCsrOptions = {
  key: "p256",
  subject: { CN: "system:node:worker-1", O: ["system:nodes"] },
  dns: ["worker-1"],
  ips: ["10.0.0.11"],
};
const USAGES = ["digital signature", "key encipherment", "server auth"];

function requestOf(opts: MakeCsrOptions): DecodedRequest {
  const decoded = decodeCsrPem(toPem(makeCsrDer(opts)));
  if (!decoded.ok) throw new Error(decoded.error.message);
  return decoded.csr.request;
}

function cnName(cn: string): Name {
  return new Name([
    new RelativeDistinguishedName([
      new AttributeTypeAndValue({ type: "2.5.4.3", value: new AttributeValue({ utf8String: cn }) }),
    ]),
  ]);
}

/** KeyUsage BIT STRING with the given bit numbers set (0 = digitalSignature). */
function keyUsageDer(bits: number[]): ArrayBuffer {
  const bytes = [0, 0];
  for (const bit of bits) bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) | (0x80 >> (bit & 7));
  return derTlv(0x03, Uint8Array.of(0, ...bytes)).slice().buffer;
}

function ekuDer(oids: string[]): ArrayBuffer {
  return derTlv(0x30, concat(oids.map(oidDer))).slice().buffer;
}

function sanDer(names: GeneralName[]): ArrayBuffer {
  return AsnConvert.serialize(new SubjectAlternativeName(names));
}

const SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

interface CertOptions {
  /** The CSR whose subject and key the certificate carries; REQUEST unless given. */
  from?: MakeCsrOptions;
  subject?: Name;
  serial?: number[];
  extensions?: { oid: string; value: ArrayBuffer }[];
}

const DEFAULT_EXTENSIONS = [
  {
    oid: "2.5.29.17",
    value: sanDer([
      new GeneralName({ dNSName: "worker-1" }),
      new GeneralName({ iPAddress: "10.0.0.11" }),
    ]),
  },
  { oid: "2.5.29.15", value: keyUsageDer([0, 2]) },
  { oid: "2.5.29.37", value: ekuDer([SERVER_AUTH]) },
];

function certificateDer(opts: CertOptions = {}): Uint8Array {
  const csr = AsnConvert.parse(makeCsrDer(opts.from ?? REQUEST), CertificationRequest);
  const info = csr.certificationRequestInfo;
  const algorithm = new AlgorithmIdentifier({ algorithm: "1.2.840.10045.4.3.2" });
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: Uint8Array.from(opts.serial ?? [0x00, 0x8f, 0x01]).buffer,
    signature: algorithm,
    issuer: cnName("test-ca"),
    validity: new Validity({
      notBefore: new Date("2026-11-29T10:00:00.000Z"),
      notAfter: new Date("2026-11-30T10:00:00.000Z"),
    }),
    subject: opts.subject ?? info.subject,
    subjectPublicKeyInfo: info.subjectPKInfo,
    extensions: new Extensions(
      (opts.extensions ?? DEFAULT_EXTENSIONS).map(
        (e) =>
          new Extension({ extnID: e.oid, critical: false, extnValue: new OctetString(e.value) }),
      ),
    ),
  });
  const cert = new Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: algorithm,
    signatureValue: new Uint8Array(64).fill(7).buffer,
  });
  return new Uint8Array(AsnConvert.serialize(cert));
}

const pemOf = (der: Uint8Array): string => toPem(der, "CERTIFICATE");
const request = requestOf(REQUEST);
const mismatchesOf = (opts: CertOptions, usages = USAGES): readonly string[] => {
  const facts = certificateFacts(pemOf(certificateDer(opts)), request, usages);
  if (!facts.ok) throw new Error(facts.error);
  return facts.certificate.mismatches;
};

describe("certificateFacts", () => {
  it("reads a certificate that matches the request: serial, validity, issuer, digest", () => {
    const der = certificateDer();
    expect(certificateFacts(pemOf(der), request, USAGES)).toEqual({
      ok: true,
      certificate: {
        serial: "8f01",
        notBefore: "2026-11-29T10:00:00Z",
        notAfter: "2026-11-30T10:00:00Z",
        issuer: "CN=test-ca",
        sha256: createHash("sha256").update(der).digest("hex"),
        matchesRequest: true,
        mismatches: [],
      },
    });
  });

  it.each([
    ["a serial without leading zero bytes", [0x8f, 0x01], "8f01"],
    ["a serial with several leading zero bytes", [0x00, 0x00, 0x05], "05"],
    ["the serial zero", [0x00], "00"],
  ])("writes %s in hex", (_name, serial, expected) => {
    const facts = certificateFacts(pemOf(certificateDer({ serial })), request, USAGES);
    expect(facts.ok && facts.certificate.serial).toBe(expected);
  });

  it("reads the leaf, the first certificate of a chain", () => {
    const leaf = certificateDer();
    const other = certificateDer({ subject: cnName("intermediate") });
    const facts = certificateFacts(pemOf(leaf) + pemOf(other), request, USAGES);
    expect(facts.ok && facts.certificate.sha256).toBe(
      createHash("sha256").update(leaf).digest("hex"),
    );
    expect(facts.ok && facts.certificate.matchesRequest).toBe(true);
  });

  it("names a certificate for another key", () => {
    const otherKey = { ...REQUEST, key: "p384" as const };
    expect(mismatchesOf({ from: otherKey })).toEqual(["the public key is not the requested one"]);
  });

  it("names a certificate for another subject", () => {
    expect(mismatchesOf({ subject: cnName("system:node:worker-2") })).toEqual([
      "subject CN=system:node:worker-2 differs from the requested O=system:nodes,CN=system:node:worker-1",
    ]);
  });

  it("names each subjectAltName nobody requested, and only those", () => {
    const names = [
      new GeneralName({ dNSName: "worker-1" }),
      new GeneralName({ dNSName: "kubernetes.default.svc" }),
      new GeneralName({ iPAddress: "10.0.0.12" }),
    ];
    expect(mismatchesOf({ extensions: [{ oid: "2.5.29.17", value: sanDer(names) }] })).toEqual([
      "SAN DNS:kubernetes.default.svc was not requested",
      "SAN IP:10.0.0.12 was not requested",
    ]);
  });

  it("names a subjectAltName extension that does not decode", () => {
    const broken = Uint8Array.of(0x30, 0x03, 0x82, 0x05, 0x61).buffer;
    expect(mismatchesOf({ extensions: [{ oid: "2.5.29.17", value: broken }] })).toEqual([
      "the subjectAltName extension does not decode",
    ]);
  });

  it("names each key usage outside spec.usages", () => {
    // Bits 5 and 6: keyCertSign and cRLSign; bit 8 (decipherOnly) sits in the second byte.
    const value = keyUsageDer([0, 5, 6, 8]);
    expect(mismatchesOf({ extensions: [{ oid: "2.5.29.15", value }] })).toEqual([
      "key usage cert sign was not requested",
      "key usage crl sign was not requested",
      "key usage decipher only was not requested",
    ]);
    expect(
      mismatchesOf({ extensions: [{ oid: "2.5.29.15", value: keyUsageDer([1, 3, 4, 7]) }] }),
    ).toEqual([
      "key usage content commitment was not requested",
      "key usage data encipherment was not requested",
      "key usage key agreement was not requested",
      "key usage encipher only was not requested",
    ]);
  });

  it("names each extended key usage outside spec.usages, by name or by OID", () => {
    const value = ekuDer([
      SERVER_AUTH,
      "1.3.6.1.5.5.7.3.2",
      "1.3.6.1.5.5.7.3.3",
      "1.3.6.1.5.5.7.3.4",
      "1.3.6.1.5.5.7.3.8",
      "1.3.6.1.5.5.7.3.9",
      "2.5.29.37.0",
      "1.3.6.1.4.1.311.20.2.2",
    ]);
    expect(mismatchesOf({ extensions: [{ oid: "2.5.29.37", value }] })).toEqual([
      "extended key usage client auth was not requested",
      "extended key usage code signing was not requested",
      "extended key usage email protection was not requested",
      "extended key usage timestamping was not requested",
      "extended key usage ocsp signing was not requested",
      "extended key usage any was not requested",
      "extended key usage 1.3.6.1.4.1.311.20.2.2 was not requested",
    ]);
  });

  it("accepts usages that spec.usages names, whatever else the certificate lacks", () => {
    expect(mismatchesOf({ extensions: [] })).toEqual([]);
    expect(mismatchesOf({}, ["digital signature", "key encipherment", "server auth"])).toEqual([]);
    expect(mismatchesOf({}, ["digital signature", "server auth"])).toEqual([
      "key usage key encipherment was not requested",
    ]);
  });

  it("is not a match when anything differs", () => {
    const facts = certificateFacts(
      pemOf(certificateDer({ subject: cnName("x") })),
      request,
      USAGES,
    );
    expect(facts.ok && facts.certificate.matchesRequest).toBe(false);
  });
});

describe("certificateFacts on what is not a certificate", () => {
  it("says when there is no PEM certificate at all", () => {
    expect(certificateFacts("", request, USAGES)).toEqual({
      ok: false,
      error: "status.certificate holds no PEM certificate",
    });
    expect(certificateFacts(toPem(makeCsrDer(REQUEST)), request, USAGES)).toEqual({
      ok: false,
      error: "status.certificate holds no PEM certificate",
    });
  });

  it("says the certificate does not parse, with the parser's reason, and never throws", () => {
    const facts = certificateFacts(pemOf(Uint8Array.of(0x30, 0x03, 0x02, 0x01)), request, USAGES);
    expect(facts.ok).toBe(false);
    expect(facts.ok ? "" : facts.error).toMatch(/^the certificate does not parse: .+/);
  });
});
