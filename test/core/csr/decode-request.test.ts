import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { CertificationRequest } from "@peculiar/asn1-csr";
import { AsnConvert } from "@peculiar/asn1-schema";
import {
  AttributeTypeAndValue,
  AttributeValue,
  Name,
  RelativeDistinguishedName,
  SubjectPublicKeyInfo,
} from "@peculiar/asn1-x509";
import { describe, expect, it } from "vitest";
import { decodeCsrPem, decodeRequestDer } from "../../../src/core/csr/decode.ts";
import { derToPem, pemToDer } from "../../../src/core/csr/pem.ts";
import type { DecodedRequest } from "../../../src/core/csr/types.ts";
import {
  cachedKeyPair,
  generateKeyPair,
  makeCsrDer,
  makeCsrPem,
  type CsrKeyType,
  type MakeCsrOptions,
} from "../../support/make-csr.ts";

function decoded(opts: MakeCsrOptions): DecodedRequest {
  const result = decodeRequestDer(makeCsrDer(opts));
  if (!result.ok)
    throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`);
  return result.request;
}

describe("key types", () => {
  const table: { key: CsrKeyType; publicKey: DecodedRequest["publicKey"]; signature: string }[] = [
    {
      key: "rsa2048",
      publicKey: { algorithm: "RSA", bits: 2048 },
      signature: "sha256WithRSAEncryption",
    },
    {
      key: "rsa3072",
      publicKey: { algorithm: "RSA", bits: 3072 },
      signature: "sha256WithRSAEncryption",
    },
    {
      key: "rsa4096",
      publicKey: { algorithm: "RSA", bits: 4096 },
      signature: "sha256WithRSAEncryption",
    },
    {
      key: "p256",
      publicKey: { algorithm: "ECDSA", curve: "P-256" },
      signature: "ecdsa-with-SHA256",
    },
    {
      key: "p384",
      publicKey: { algorithm: "ECDSA", curve: "P-384" },
      signature: "ecdsa-with-SHA384",
    },
    {
      key: "p521",
      publicKey: { algorithm: "ECDSA", curve: "P-521" },
      signature: "ecdsa-with-SHA512",
    },
    { key: "ed25519", publicKey: { algorithm: "Ed25519" }, signature: "Ed25519" },
  ];
  it.each(table)(
    "$key decodes as $signature with a valid signature",
    ({ key, publicKey, signature }) => {
      const request = decoded({ key, subject: { CN: "someone" } });
      expect(request.publicKey).toEqual(publicKey);
      expect(request.signatureAlgorithm).toBe(signature);
      expect(request.signatureValid).toBe(true);
    },
  );

  const hashes: { key: CsrKeyType; hash: "sha1" | "sha256" | "sha384" | "sha512"; name: string }[] =
    [
      { key: "rsa2048", hash: "sha1", name: "sha1WithRSAEncryption" },
      { key: "rsa2048", hash: "sha384", name: "sha384WithRSAEncryption" },
      { key: "rsa2048", hash: "sha512", name: "sha512WithRSAEncryption" },
      { key: "p256", hash: "sha1", name: "ecdsa-with-SHA1" },
      { key: "p256", hash: "sha512", name: "ecdsa-with-SHA512" },
      { key: "p384", hash: "sha256", name: "ecdsa-with-SHA256" },
    ];
  it.each(hashes)("$key signed with $hash shows $name and verifies", ({ key, hash, name }) => {
    const request = decoded({ key, hash, subject: { CN: "x" } });
    expect(request.signatureAlgorithm).toBe(name);
    expect(request.signatureValid).toBe(true);
  });

  it.each(["sha256", "sha384", "sha512"] as const)("RSASSA-PSS with %s verifies", (hash) => {
    const request = decoded({ key: "rsa2048", rsaPss: true, hash, subject: { CN: "x" } });
    expect(request.signatureAlgorithm).toBe(`rsassa-pss-${hash}`);
    expect(request.signatureValid).toBe(true);
  });
});

describe("proof of possession", () => {
  it.each(["rsa2048", "p256", "ed25519"] as const)(
    "a flipped signature bit on %s decodes with signatureValid false",
    (key) => {
      const request = decoded({ key, badSignature: true, subject: { CN: "forged" } });
      expect(request.signatureValid).toBe(false);
      expect(request.subject.commonName).toBe("forged");
    },
  );

  it("a request claiming someone else's key does not verify", () => {
    // Keep the signed structure but swap in a different P-256 key: the proof of possession fails.
    const csr = AsnConvert.parse(
      makeCsrDer({ key: "p256", subject: { CN: "a" } }),
      CertificationRequest,
    );
    const otherKey = generateKeyPair("p256").publicKey.export({ format: "der", type: "spki" });
    csr.certificationRequestInfo.subjectPKInfo = AsnConvert.parse(otherKey, SubjectPublicKeyInfo);
    delete csr.certificationRequestInfoRaw;
    const result = decodeRequestDer(new Uint8Array(AsnConvert.serialize(csr)));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.request.signatureValid).toBe(false);
    expect(result.request.publicKeySha256).toBe(
      createHash("sha256").update(otherKey).digest("hex"),
    );
  });
});

describe("subject", () => {
  it("keeps every attribute in encoding order with short names", () => {
    const request = decoded({
      subject: {
        C: "DE",
        ST: "Bayern",
        L: "München",
        O: ["system:nodes", "team-a"],
        OU: ["ops"],
        CN: "system:node:w1",
      },
    });
    expect(request.subject.attributes.map((a) => `${a.type}=${a.value}`)).toEqual([
      "C=DE",
      "ST=Bayern",
      "L=München",
      "O=system:nodes",
      "O=team-a",
      "OU=ops",
      "CN=system:node:w1",
    ]);
    expect(request.subject.attributes[0]?.oid).toBe("2.5.4.6");
    expect(request.subject.commonName).toBe("system:node:w1");
    expect(request.subject.organizations).toEqual(["system:nodes", "team-a"]);
    expect(request.subject.organizationalUnits).toEqual(["ops"]);
  });

  it("reads a multi-valued RDN (as Go encodes repeated O values) in encoding order", () => {
    const csr = AsnConvert.parse(makeCsrDer({ subject: { CN: "x" } }), CertificationRequest);
    const atv = (type: string, text: string): AttributeTypeAndValue =>
      new AttributeTypeAndValue({ type, value: new AttributeValue({ utf8String: text }) });
    csr.certificationRequestInfo.subject = new Name([
      new RelativeDistinguishedName([atv("2.5.4.10", "system:nodes"), atv("2.5.4.10", "extra")]),
      new RelativeDistinguishedName([atv("2.5.4.3", "system:node:w1")]),
      new RelativeDistinguishedName([atv("1.2.3.4.5", "custom")]),
    ]);
    delete csr.certificationRequestInfoRaw;
    const result = decodeRequestDer(new Uint8Array(AsnConvert.serialize(csr)));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.request.subject.attributes).toEqual([
      { type: "O", oid: "2.5.4.10", value: "system:nodes", valueType: "UTF8String" },
      { type: "O", oid: "2.5.4.10", value: "extra", valueType: "UTF8String" },
      { type: "CN", oid: "2.5.4.3", value: "system:node:w1", valueType: "UTF8String" },
      { type: "1.2.3.4.5", oid: "1.2.3.4.5", value: "custom", valueType: "UTF8String" },
    ]);
    expect(result.request.subject.organizations).toEqual(["system:nodes", "extra"]);
  });

  it("an empty subject has no attributes and an empty common name", () => {
    const request = decoded({ dns: ["only-a-san.example"] });
    expect(request.subject).toEqual({
      attributes: [],
      commonName: "",
      organizations: [],
      organizationalUnits: [],
    });
  });
});

describe("subject alternative names", () => {
  const table: { opts: MakeCsrOptions; want: DecodedRequest["subjectAltNames"] }[] = [
    {
      opts: { dns: ["worker-1", "worker-1.cluster.local"] },
      want: [
        { type: "DNS", value: "worker-1" },
        { type: "DNS", value: "worker-1.cluster.local" },
      ],
    },
    { opts: { ips: ["10.0.0.11"] }, want: [{ type: "IP", value: "10.0.0.11", version: 4 }] },
    {
      opts: { ips: ["2001:0DB8:0000:0000:0000:0000:0000:0001"] },
      want: [{ type: "IP", value: "2001:db8::1", version: 6 }],
    },
    { opts: { ips: ["::1"] }, want: [{ type: "IP", value: "::1", version: 6 }] },
    {
      opts: { ips: ["2001:db8:0:1:0:0:0:1"] },
      want: [{ type: "IP", value: "2001:db8:0:1::1", version: 6 }],
    },
    {
      opts: { ips: ["2001:db8:0:0:1:0:0:1"] },
      want: [{ type: "IP", value: "2001:db8::1:0:0:1", version: 6 }],
    },
    {
      opts: { ips: ["2001:db8:1:1:1:1:0:1"] },
      want: [{ type: "IP", value: "2001:db8:1:1:1:1:0:1", version: 6 }],
    },
    {
      opts: { ips: ["::ffff:10.0.0.1"] },
      want: [{ type: "IP", value: "::ffff:10.0.0.1", version: 6 }],
    },
    {
      opts: { emails: ["alice@example.com"] },
      want: [{ type: "email", value: "alice@example.com" }],
    },
    {
      opts: { uris: ["spiffe://cluster.local/ns/default/sa/web"] },
      want: [{ type: "URI", value: "spiffe://cluster.local/ns/default/sa/web" }],
    },
    { opts: {}, want: [] },
  ];
  it.each(table)("decodes $want", ({ opts, want }) => {
    expect(decoded({ subject: { CN: "x" }, ...opts }).subjectAltNames).toEqual(want);
  });

  it("keeps otherName, directoryName and registeredID as 'other' (from an openssl-made request)", () => {
    const result = decodeCsrPem(
      readFileSync(new URL("fixtures/openssl-rich.pem", import.meta.url), "utf8"),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.csr.request.subjectAltNames).toEqual([
      { type: "DNS", value: "w1" },
      { type: "IP", value: "::ffff:1.2.3.4", version: 6 },
      { type: "IP", value: "fe80::1:0:0:1", version: 6 },
      { type: "other", value: "otherName:1.3.6.1.4.1.311.20.2.3" },
      { type: "other", value: "directoryName:CN=inner,O=org" },
      { type: "other", value: "registeredID:1.2.3.4" },
    ]);
    expect(result.csr.request.subject.attributes.map((a) => a.type)).toEqual([
      "C",
      "O",
      "CN",
      "emailAddress",
      "DC",
      "SERIALNUMBER",
    ]);
    expect(result.csr.request.extensions).toEqual([
      { oid: "2.5.29.15", name: "keyUsage", critical: true },
      { oid: "2.5.29.37", name: "extKeyUsage", critical: false },
      { oid: "2.5.29.19", name: "basicConstraints", critical: true },
      { oid: "2.5.29.17", name: "subjectAltName", critical: false },
    ]);
    expect(result.csr.request.signatureValid).toBe(true);
  });
});

describe("requested extensions", () => {
  it("lists every extension with name and criticality, unknown ones by OID", () => {
    const request = decoded({
      dns: ["a.example"],
      extraExtensions: [
        { oid: "2.5.29.19", critical: true, valueDer: Uint8Array.of(0x30, 0x00).buffer },
        { oid: "1.3.6.1.4.1.99999.1", valueDer: Uint8Array.of(0x05, 0x00).buffer },
      ],
    });
    expect(request.extensions).toEqual([
      { oid: "2.5.29.17", name: "subjectAltName", critical: false },
      { oid: "2.5.29.19", name: "basicConstraints", critical: true },
      { oid: "1.3.6.1.4.1.99999.1", name: "1.3.6.1.4.1.99999.1", critical: false },
    ]);
  });
});

describe("digests and canonical PEM", () => {
  it.each(["p256", "rsa2048", "ed25519"] as const)("%s hashes match crypto.createHash", (key) => {
    const der = makeCsrDer({ key, subject: { CN: "x" } });
    const result = decodeRequestDer(der);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const spki = cachedKeyPair(key).publicKey.export({ format: "der", type: "spki" });
    expect(result.request.requestSha256).toBe(createHash("sha256").update(der).digest("hex"));
    expect(result.request.publicKeySha256).toBe(createHash("sha256").update(spki).digest("hex"));
  });

  it("re-wraps a PEM with odd line lengths and CRLFs into the canonical form", () => {
    const pem = makeCsrPem({ subject: { CN: "x" } });
    const body = pem.split("\n").slice(1, -2).join("");
    const messy = `-----BEGIN CERTIFICATE REQUEST-----\r\n${body.slice(0, 10)}\r\n${body.slice(10)}\r\n-----END CERTIFICATE REQUEST-----\r\n`;
    const result = decodeCsrPem(messy);
    expect(result.ok && result.csr.request.pem).toBe(pem);
  });

  it.each([
    ["the canonical text itself", (pem: string) => pem],
    ["no final newline", (pem: string) => pem.slice(0, -1)],
    ["a blank line after it", (pem: string) => `${pem}\n`],
    ["text before the block", (pem: string) => `subject=CN=x\n${pem}`],
    ["text after the block", (pem: string) => `${pem}trailer\n`],
    [
      "a 76-column body",
      (pem: string) => pem.split("\n").slice(1, -2).join("").replace(/.{76}/g, "$&\n"),
    ],
  ])("gives the canonical PEM whatever the text around it: %s", (_name, shape) => {
    const pem = makeCsrPem({ subject: { CN: "x" } });
    const der = pemToDer(pem);
    expect(der.ok).toBe(true);
    if (!der.ok) return;
    const text = shape(pem);
    const input =
      text.startsWith("-----BEGIN") || text.includes("\n-----BEGIN")
        ? text
        : `-----BEGIN CERTIFICATE REQUEST-----\n${text}\n-----END CERTIFICATE REQUEST-----\n`;
    const result = decodeCsrPem(input);
    expect(result.ok && result.csr.request.pem).toBe(derToPem(der.der));
    expect(result.ok && result.csr.request.pem).toBe(pem);
  });
});
