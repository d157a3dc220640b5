import { generateKeyPairSync } from "node:crypto";
import { CertificationRequest } from "@peculiar/asn1-csr";
import { RSAPublicKey } from "@peculiar/asn1-rsa";
import { AsnConvert } from "@peculiar/asn1-schema";
import { AlgorithmIdentifier, SubjectPublicKeyInfo } from "@peculiar/asn1-x509";
import { describe, expect, it } from "vitest";
import { decodeCsrObject, decodeCsrPem, decodeRequestDer } from "../../../src/core/csr/decode.ts";
import { parseCsrInput } from "../../../src/core/csr/input.ts";
import type { DecodeErrorCode } from "../../../src/core/csr/types.ts";
import { makeCsrDer, makeCsrObject, makeCsrPem, toPem } from "../../support/make-csr.ts";

/** Parses a valid request, changes it, and re-encodes it (the signature no longer matters). */
function rebuilt(change: (csr: CertificationRequest) => void): Uint8Array {
  const csr = AsnConvert.parse(makeCsrDer({ subject: { CN: "x" } }), CertificationRequest);
  change(csr);
  delete csr.certificationRequestInfoRaw;
  return new Uint8Array(AsnConvert.serialize(csr));
}

function withSpki(spkiDer: Uint8Array | Buffer): Uint8Array {
  return rebuilt((csr) => {
    csr.certificationRequestInfo.subjectPKInfo = AsnConvert.parse(spkiDer, SubjectPublicKeyInfo);
  });
}

function withKeyBytes(algorithm: AlgorithmIdentifier, key: ArrayBuffer): Uint8Array {
  return rebuilt((csr) => {
    csr.certificationRequestInfo.subjectPKInfo = new SubjectPublicKeyInfo({
      algorithm,
      subjectPublicKey: key,
    });
  });
}

const valid = makeCsrDer({ subject: { CN: "x" }, dns: ["a.example"] });
const validPem = makeCsrPem({ subject: { CN: "x" } });
const san = (bytes: number[]): { oid: string; valueDer: ArrayBuffer } => ({
  oid: "2.5.29.17",
  valueDer: Uint8Array.from(bytes).buffer,
});

const derCases: { name: string; der: () => Uint8Array; code: DecodeErrorCode }[] = [
  { name: "empty input", der: () => new Uint8Array(0), code: "malformed-der" },
  {
    name: "truncated request",
    der: () => valid.subarray(0, valid.length - 10),
    code: "malformed-der",
  },
  { name: "one byte", der: () => valid.subarray(0, 1), code: "malformed-der" },
  { name: "trailing bytes", der: () => Uint8Array.from([...valid, 0, 0]), code: "trailing-data" },
  { name: "not a SEQUENCE", der: () => Uint8Array.from([0x04, 0x01, 0x00]), code: "malformed-der" },
  {
    name: "indefinite length (BER)",
    der: () => Uint8Array.from([0x30, 0x80, ...valid.subarray(4), 0, 0]),
    code: "malformed-der",
  },
  {
    name: "non-minimal length",
    der: () => {
      // 30 82 HH LL -> 30 83 00 HH LL: same value, longer length form (and one byte more).
      const body = valid.subarray(4);
      return Uint8Array.from([0x30, 0x83, 0x00, valid[2] ?? 0, valid[3] ?? 0, ...body]);
    },
    code: "malformed-der",
  },
  { name: "over 64 KiB", der: () => new Uint8Array(64 * 1024 + 1), code: "input-too-large" },
  {
    name: "a random SEQUENCE",
    der: () => Uint8Array.from([0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02]),
    code: "malformed-der",
  },
  {
    name: "Ed448 key",
    der: () =>
      withSpki(generateKeyPairSync("ed448").publicKey.export({ format: "der", type: "spki" })),
    code: "unsupported-key-algorithm",
  },
  {
    name: "secp256k1 key",
    der: () =>
      withSpki(
        generateKeyPairSync("ec", { namedCurve: "secp256k1" }).publicKey.export({
          format: "der",
          type: "spki",
        }),
      ),
    code: "unsupported-key-algorithm",
  },
  {
    name: "DSA key",
    der: () =>
      withSpki(
        generateKeyPairSync("dsa", { modulusLength: 1024, divisorLength: 160 }).publicKey.export({
          format: "der",
          type: "spki",
        }),
      ),
    code: "unsupported-key-algorithm",
  },
  {
    name: "RSA modulus over 16384 bits",
    der: () => {
      const modulus = new Uint8Array(2050);
      modulus[1] = 0x80; // top bit of a 16392-bit number after the sign byte
      modulus[2049] = 1;
      const key = AsnConvert.serialize(
        new RSAPublicKey({
          modulus: modulus.buffer,
          publicExponent: Uint8Array.of(1, 0, 1).buffer,
        }),
      );
      return withKeyBytes(
        new AlgorithmIdentifier({ algorithm: "1.2.840.113549.1.1.1", parameters: null }),
        key,
      );
    },
    code: "invalid-public-key",
  },
  {
    name: "RSA key that is not an RSAPublicKey",
    der: () =>
      withKeyBytes(
        new AlgorithmIdentifier({ algorithm: "1.2.840.113549.1.1.1", parameters: null }),
        Uint8Array.of(1, 2, 3).buffer,
      ),
    code: "invalid-public-key",
  },
  {
    name: "Ed25519 key of 31 bytes",
    der: () =>
      withKeyBytes(
        new AlgorithmIdentifier({ algorithm: "1.3.101.112" }),
        new Uint8Array(31).buffer,
      ),
    code: "invalid-public-key",
  },
  {
    name: "P-256 point not on the curve",
    der: () => {
      const point = new Uint8Array(65).fill(7);
      point[0] = 4;
      return withKeyBytes(
        new AlgorithmIdentifier({
          algorithm: "1.2.840.10045.2.1",
          parameters: Uint8Array.of(0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07)
            .buffer,
        }),
        point.buffer,
      );
    },
    code: "invalid-public-key",
  },
  {
    name: "md5WithRSAEncryption signature",
    der: () =>
      rebuilt((csr) => {
        csr.signatureAlgorithm = new AlgorithmIdentifier({
          algorithm: "1.2.840.113549.1.1.4",
          parameters: null,
        });
      }),
    code: "unsupported-signature-algorithm",
  },
  {
    name: "unknown signature OID",
    der: () =>
      rebuilt((csr) => {
        csr.signatureAlgorithm = new AlgorithmIdentifier({ algorithm: "1.2.3.4.5" });
      }),
    code: "unsupported-signature-algorithm",
  },
  {
    name: "SAN value that is not GeneralNames",
    der: () => makeCsrDer({ extraExtensions: [san([0x04, 0x01, 0x00])] }),
    code: "malformed-extension",
  },
  {
    name: "IP SAN of 5 bytes",
    der: () => makeCsrDer({ extraExtensions: [san([0x30, 0x07, 0x87, 0x05, 1, 2, 3, 4, 5])] }),
    code: "malformed-extension",
  },
  {
    name: "DNS SAN with a non-ASCII byte",
    der: () => makeCsrDer({ extraExtensions: [san([0x30, 0x03, 0x82, 0x01, 0xe9])] }),
    code: "malformed-extension",
  },
  {
    name: "SAN with trailing bytes",
    der: () => makeCsrDer({ extraExtensions: [san([0x30, 0x03, 0x82, 0x01, 0x61, 0x00])] }),
    code: "malformed-extension",
  },
  {
    name: "empty SAN list",
    der: () => makeCsrDer({ extraExtensions: [san([0x30, 0x00])] }),
    code: "malformed-extension",
  },
  {
    name: "subjectAltName twice",
    der: () =>
      makeCsrDer({ dns: ["a.example"], extraExtensions: [san([0x30, 0x03, 0x82, 0x01, 0x62])] }),
    code: "malformed-extension",
  },
  {
    name: "keyUsage that is not a BIT STRING",
    der: () =>
      makeCsrDer({
        extraExtensions: [{ oid: "2.5.29.15", valueDer: Uint8Array.of(0x02, 0x01, 0x05).buffer }],
      }),
    code: "malformed-extension",
  },
  {
    name: "extKeyUsage that is not a list of OIDs",
    der: () =>
      makeCsrDer({
        extraExtensions: [{ oid: "2.5.29.37", valueDer: Uint8Array.of(0x05, 0x00).buffer }],
      }),
    code: "malformed-extension",
  },
];

describe("decodeRequestDer rejects bad requests with a specific code", () => {
  it.each(derCases)("$name → $code", ({ der, code }) => {
    const result = decodeRequestDer(der());
    expect(result.ok ? "ok" : result.error.code).toBe(code);
    if (!result.ok) expect(result.error.message.length).toBeGreaterThan(10);
  });

  it("the rebuild helper itself yields a decodable request", () => {
    const result = decodeRequestDer(rebuilt(() => undefined));
    expect(result.ok).toBe(true);
  });
});

const pemCases: { name: string; text: string; code: DecodeErrorCode }[] = [
  { name: "plain text", text: "hello", code: "not-pem" },
  { name: "a certificate", text: toPem(valid, "CERTIFICATE"), code: "wrong-pem-type" },
  { name: "a private key", text: toPem(valid, "PRIVATE KEY"), code: "wrong-pem-type" },
  { name: "two requests", text: validPem + validPem, code: "multiple-pem-blocks" },
  {
    name: "request and key",
    text: validPem + toPem(valid, "EC PRIVATE KEY"),
    code: "multiple-pem-blocks",
  },
  { name: "no END line", text: validPem.replace(/-----END[^\n]*\n/, ""), code: "not-pem" },
  { name: "body not base64", text: validPem.replace(/\n[A-Za-z0-9]/, "\n*"), code: "not-base64" },
  {
    name: "PEM headers",
    text: validPem.replace("-----\n", "-----\nProc-Type: 4,ENCRYPTED\n\n"),
    code: "not-pem",
  },
  {
    name: "empty body",
    text: "-----BEGIN CERTIFICATE REQUEST-----\n-----END CERTIFICATE REQUEST-----\n",
    code: "malformed-der",
  },
  { name: "truncated DER", text: toPem(valid.subarray(0, 100)), code: "malformed-der" },
  {
    name: "trailing data in DER",
    text: toPem(Uint8Array.from([...valid, 5, 0])),
    code: "trailing-data",
  },
  { name: "text over 1 MiB", text: validPem + " ".repeat(1024 * 1024), code: "input-too-large" },
];

describe("decodeCsrPem rejects bad PEM with a specific code", () => {
  it.each(pemCases)("$name → $code", ({ text, code }) => {
    const result = decodeCsrPem(text);
    expect(result.ok ? "ok" : result.error.code).toBe(code);
    expect(result.ok ? undefined : result.object).toBeUndefined();
  });
});

describe("decodeCsrObject and parseCsrInput reject bad objects with a specific code", () => {
  const base = (): Record<string, unknown> => makeCsrObject({ subject: { CN: "x" } });
  const withSpec = (field: string, value: unknown): Record<string, unknown> => {
    const obj = base();
    (obj.spec as Record<string, unknown>)[field] = value;
    return obj;
  };
  const cases: { name: string; obj: unknown; code: DecodeErrorCode }[] = [
    { name: "a string", obj: "hello", code: "not-a-csr-object" },
    { name: "an array", obj: [base()], code: "not-a-csr-object" },
    { name: "a Pod", obj: { ...base(), kind: "Pod" }, code: "not-a-csr-object" },
    { name: "wrong apiVersion", obj: { ...base(), apiVersion: "v1" }, code: "not-a-csr-object" },
    { name: "no spec", obj: { ...base(), spec: undefined }, code: "invalid-object-field" },
    { name: "no request", obj: withSpec("request", undefined), code: "invalid-object-field" },
    { name: "numeric signerName", obj: withSpec("signerName", 5), code: "invalid-object-field" },
    {
      name: "fractional expirationSeconds",
      obj: withSpec("expirationSeconds", 1.5),
      code: "invalid-object-field",
    },
    {
      name: "request not base64",
      obj: withSpec("request", "%%%not base64%%%"),
      code: "not-base64",
    },
    {
      name: "request is base64 of DER, not PEM",
      obj: withSpec("request", Buffer.from(valid).toString("base64")),
      code: "not-pem",
    },
    {
      name: "request holds a certificate PEM",
      obj: withSpec("request", Buffer.from(toPem(valid, "CERTIFICATE")).toString("base64")),
      code: "wrong-pem-type",
    },
  ];
  it.each(cases)("$name → $code", ({ obj, code }) => {
    const result = decodeCsrObject(obj);
    expect(result.ok ? "ok" : result.error.code).toBe(code);
  });

  it("input text over 1 MiB → input-too-large", () => {
    const result = parseCsrInput(`# ${"x".repeat(1024 * 1024)}\n`);
    expect(result.ok ? "ok" : result.error.code).toBe("input-too-large");
  });
});
