/**
 * The readers that take the request's parts from the bytes the strict DER walk has checked
 * (request-layout.ts, pss-parameters.ts, rsa-public-key.ts, the extension list): each edge with
 * its exact outcome. They replaced a schema library's parse; where that library read past an
 * element too many (and a request verified with it), these refuse, and the decoder-level rows at
 * the end pin that.
 */
import { sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodeRequestDer } from "../../../src/core/csr/decode.ts";
import { readExtensionList } from "../../../src/core/csr/extension-shapes.ts";
import { readPssParameters } from "../../../src/core/csr/pss-parameters.ts";
import { readRequestLayout } from "../../../src/core/csr/request-layout.ts";
import { readRsaPublicKey } from "../../../src/core/csr/rsa-public-key.ts";
import {
  attribute,
  buildRequest,
  extension,
  extensionRequest,
  NULL,
  oid,
  OIDS,
  seq,
  set,
  tlv,
  type Bytes,
} from "../../support/der-builder.ts";
import { cachedKeyPair } from "../../support/make-csr.ts";

const bytes = (...parts: Bytes[]): Uint8Array => Uint8Array.from(parts.flat());
const ctx = (n: number, ...content: Bytes[]): number[] => tlv(0xa0 + n, ...content);
const hashAlg = (h: string): number[] => seq(oid(h), NULL);
const mgf1 = (h: string): number[] => seq(oid(OIDS.mgf1), hashAlg(h));
const int = (...content: number[]): number[] => tlv(0x02, content);

describe("RSASSA-PSS parameters", () => {
  const sha256Params = {
    hash: OIDS.sha256,
    maskGenerator: OIDS.mgf1,
    maskGeneratorHash: OIDS.sha256,
    saltLength: 32,
    trailerField: 1,
  };

  it("an empty SEQUENCE is RFC 4055's defaults", () => {
    expect(readPssParameters(bytes(seq()))).toEqual({
      hash: OIDS.sha1,
      maskGenerator: OIDS.mgf1,
      maskGeneratorHash: OIDS.sha1,
      saltLength: 20,
      trailerField: 1,
    });
  });

  it("every field is read", () => {
    const der = seq(ctx(0, hashAlg(OIDS.sha256)), ctx(1, mgf1(OIDS.sha256)), ctx(2, int(32)));
    expect(readPssParameters(bytes(der))).toEqual(sha256Params);
    const withTrailer = seq(
      ctx(0, hashAlg(OIDS.sha256)),
      ctx(1, mgf1(OIDS.sha256)),
      ctx(2, int(32)),
      ctx(3, int(2)),
    );
    expect(readPssParameters(bytes(withTrailer))).toEqual({ ...sha256Params, trailerField: 2 });
  });

  it("a hash without parameters, and each field alone, keep the other defaults", () => {
    expect(readPssParameters(bytes(seq(ctx(0, seq(oid(OIDS.sha256))))))).toMatchObject({
      hash: OIDS.sha256,
      maskGeneratorHash: OIDS.sha1,
      saltLength: 20,
    });
    expect(readPssParameters(bytes(seq(ctx(2, int(0)))))).toMatchObject({
      hash: OIDS.sha1,
      saltLength: 0,
    });
    expect(readPssParameters(bytes(seq(ctx(2, int(0x7f, 0xff, 0xff, 0xff)))))).toMatchObject({
      saltLength: 2 ** 31 - 1,
    });
    expect(readPssParameters(bytes(seq(ctx(2, int(0x01, 0x00)))))).toMatchObject({
      saltLength: 256,
    });
  });

  it("MGF1 without an AlgorithmIdentifier as its parameters has no hash", () => {
    expect(readPssParameters(bytes(seq(ctx(1, seq(oid(OIDS.mgf1))))))).toMatchObject({
      maskGenerator: OIDS.mgf1,
      maskGeneratorHash: undefined,
    });
    expect(readPssParameters(bytes(seq(ctx(1, seq(oid(OIDS.mgf1), int(1))))))).toMatchObject({
      maskGeneratorHash: undefined,
    });
    const threeElements = seq(oid(OIDS.mgf1), seq(oid(OIDS.sha256), oid(OIDS.ed25519), NULL));
    expect(readPssParameters(bytes(seq(ctx(1, threeElements))))).toMatchObject({
      maskGeneratorHash: undefined,
    });
    expect(
      readPssParameters(bytes(seq(ctx(1, seq(oid("1.2.3.4"), hashAlg(OIDS.sha256)))))),
    ).toMatchObject({
      maskGenerator: "1.2.3.4",
      maskGeneratorHash: OIDS.sha256,
    });
  });

  it.each<[string, Bytes, string]>([
    ["an OCTET STRING", [0x04, 0x00], "not a SEQUENCE"],
    ["a SEQUENCE with a byte after it", [...seq(), 0x00], "not a SEQUENCE"],
    [
      "a SEQUENCE whose child overruns it",
      [0x30, 0x02, 0x04, 0x05],
      "element overruns its container",
    ],
    [
      "fields out of order",
      seq(ctx(2, int(32)), ctx(0, hashAlg(OIDS.sha256))),
      "unexpected element with tag 0xa0",
    ],
    ["a field twice", seq(ctx(2, int(32)), ctx(2, int(32))), "unexpected element with tag 0xa2"],
    ["a fifth field", seq(ctx(4, int(1))), "unexpected element with tag 0xa4"],
    ["a primitive [0]", seq(tlv(0x80, [0x01])), "unexpected element with tag 0x80"],
    ["a universal element", seq(int(1)), "unexpected element with tag 0x2"],
    ["an empty [0]", seq(ctx(0)), "field [0] does not hold exactly one element"],
    [
      "[0] with two AlgorithmIdentifiers",
      seq(ctx(0, hashAlg(OIDS.sha256), hashAlg(OIDS.sha1))),
      "field [0] does not hold exactly one element",
    ],
    [
      "[1] with a byte after its AlgorithmIdentifier",
      seq(ctx(1, mgf1(OIDS.sha256), NULL)),
      "field [1] does not hold exactly one element",
    ],
    [
      "a hash AlgorithmIdentifier of three elements",
      seq(ctx(0, seq(oid(OIDS.sha256), NULL, NULL))),
      "field [0] is not an AlgorithmIdentifier",
    ],
    [
      "a hash that is not a SEQUENCE",
      seq(ctx(0, oid(OIDS.sha256))),
      "field [0] is not an AlgorithmIdentifier",
    ],
    [
      "a hash SEQUENCE without an OID",
      seq(ctx(0, seq(NULL))),
      "field [0] is not an AlgorithmIdentifier",
    ],
    ["an empty hash SEQUENCE", seq(ctx(0, seq())), "field [0] is not an AlgorithmIdentifier"],
    [
      "a hash OID of more than 64 bytes",
      seq(ctx(0, seq(oid(`1.2.${Array.from({ length: 40 }, () => "300").join(".")}`)))),
      "field [0] is not an AlgorithmIdentifier",
    ],
    [
      "a mask generator that is not a SEQUENCE",
      seq(ctx(1, NULL)),
      "field [1] is not an AlgorithmIdentifier",
    ],
    [
      "a negative salt length",
      seq(ctx(2, int(0x80))),
      "field [2] is not an INTEGER from 0 to 2^31 - 1",
    ],
    [
      "a salt length of 2^32",
      seq(ctx(2, int(0x01, 0, 0, 0, 0))),
      "field [2] is not an INTEGER from 0 to 2^31 - 1",
    ],
    [
      "an empty salt INTEGER",
      seq(ctx(2, tlv(0x02, []))),
      "field [2] is not an INTEGER from 0 to 2^31 - 1",
    ],
    [
      "a salt length that is not an INTEGER",
      seq(ctx(2, NULL)),
      "field [2] is not an INTEGER from 0 to 2^31 - 1",
    ],
    [
      "a negative trailer field",
      seq(ctx(3, int(0xff))),
      "field [3] is not an INTEGER from 0 to 2^31 - 1",
    ],
  ])("%s is refused", (_name, der, reason) => {
    expect(readPssParameters(bytes(der))).toBe(reason);
  });
});

describe("RSAPublicKey", () => {
  const modulus = [0x00, 0xc1, 0x02, 0x03];
  it("the modulus and exponent are the INTEGERs' contents", () => {
    const read = readRsaPublicKey(bytes(seq(int(...modulus), int(1, 0, 1))));
    expect(read).toEqual({
      ok: true,
      modulus: Uint8Array.from(modulus),
      exponent: Uint8Array.of(1, 0, 1),
    });
  });

  it.each<[string, Bytes, string, boolean]>([
    ["bytes that are not DER", [1, 2, 3], "element overruns the input", true],
    [
      "a non-minimal INTEGER",
      seq(int(0x00, 0x01), int(3)),
      "non-minimal INTEGER encoding at byte 2",
      true,
    ],
    ["a SET", set(int(...modulus), int(3)), "not a SEQUENCE", false],
    ["a bare INTEGER", int(3), "not a SEQUENCE", false],
    ["one INTEGER", seq(int(...modulus)), "not exactly a modulus and an exponent INTEGER", false],
    [
      "three INTEGERs",
      seq(int(...modulus), int(3), int(3)),
      "not exactly a modulus and an exponent INTEGER",
      false,
    ],
    [
      "an exponent that is not an INTEGER",
      seq(int(...modulus), NULL),
      "not exactly a modulus and an exponent INTEGER",
      false,
    ],
    [
      "a modulus that is not an INTEGER",
      seq(NULL, int(3)),
      "not exactly a modulus and an exponent INTEGER",
      false,
    ],
    ["an empty SEQUENCE", seq(), "not exactly a modulus and an exponent INTEGER", false],
    ["a negative modulus", seq(int(0xc1, 0x02), int(3)), "the modulus is negative", false],
    ["a negative exponent", seq(int(...modulus), int(0xff)), "the exponent is negative", false],
  ])("%s is refused", (_name, der, reason, notDer) => {
    expect(readRsaPublicKey(bytes(der))).toEqual({ ok: false, reason, notDer });
  });

  it("an exponent of 0 and a modulus of 0x7f read as positive numbers (policy judges them)", () => {
    expect(readRsaPublicKey(bytes(seq(int(0x7f), int(0))))).toEqual({
      ok: true,
      modulus: Uint8Array.of(0x7f),
      exponent: Uint8Array.of(0),
    });
  });
});

describe("the extension list", () => {
  const san = [0x30, 0x03, 0x82, 0x01, 0x61];
  it("each extension's id, critical flag and OCTET STRING content, in order", () => {
    const der = seq(
      extension(OIDS.subjectAltName, san, true),
      extension(OIDS.keyUsage, [0x03, 0x01, 0x00]),
    );
    expect(readExtensionList(bytes(der))).toEqual([
      { oid: OIDS.subjectAltName, critical: true, value: Uint8Array.from(san) },
      { oid: OIDS.keyUsage, critical: false, value: Uint8Array.of(0x03, 0x01, 0x00) },
    ]);
    expect(readExtensionList(bytes(seq()))).toEqual([]);
  });

  const longOid = `1.2.${Array.from({ length: 40 }, () => "300").join(".")}`;
  it.each<[string, Bytes, string]>([
    ["a SET", set(extension(OIDS.keyUsage, [0x05, 0x00])), "not a SEQUENCE of extensions"],
    [
      "an extension that is a SET",
      seq(set(oid(OIDS.keyUsage), tlv(0x04, []))),
      "an extension is not a SEQUENCE",
    ],
    [
      "critical FALSE",
      seq(seq(oid(OIDS.keyUsage), [0x01, 0x01, 0x00], tlv(0x04, []))),
      "an extension encodes critical FALSE, the default (not DER)",
    ],
    [
      "an element too many",
      seq(seq(oid(OIDS.keyUsage), [0x01, 0x01, 0xff], [0x01, 0x01, 0xff], tlv(0x04, []))),
      "an extension has elements [06 01 01 04], not an OID, an optional critical flag and an OCTET STRING",
    ],
    [
      "no OCTET STRING",
      seq(seq(oid(OIDS.keyUsage))),
      "an extension has elements [06], not an OID, an optional critical flag and an OCTET STRING",
    ],
    [
      "the flag after the value",
      seq(seq(oid(OIDS.keyUsage), tlv(0x04, []), [0x01, 0x01, 0xff])),
      "an extension has elements [06 04 01], not an OID, an optional critical flag and an OCTET STRING",
    ],
    [
      "an id of more than 64 bytes",
      seq(extension(longOid, [0x05, 0x00])),
      "an extension id is an OID of more than 64 bytes",
    ],
  ])("%s is refused", (_name, der, reason) => {
    expect(readExtensionList(bytes(der))).toBe(reason);
  });
});

describe("the request's layout", () => {
  it("attributes, both algorithms and the key's bytes come out of the one walk", () => {
    const challenge = attribute(OIDS.challengePassword, tlv(0x0c, [0x70]));
    const request = extensionRequest(extension(OIDS.keyUsage, [0x03, 0x01, 0x00]));
    const der = buildRequest({ attributes: [challenge, request] });
    const read = readRequestLayout(der);
    if (!read.ok) throw new Error(read.error.message);
    const { layout } = read;
    expect(layout.attributes.map((a) => a.oid)).toEqual([
      OIDS.challengePassword,
      OIDS.extensionRequest,
    ]);
    expect(layout.attributes[0]?.values).toEqual([Uint8Array.of(0x0c, 0x01, 0x70)]);
    expect(layout.signatureAlgorithm).toEqual({ oid: OIDS.ecdsaWithSha256, parameters: undefined });
    expect(layout.keyAlgorithm).toEqual({
      oid: "1.2.840.10045.2.1",
      parameters: Uint8Array.from(oid("1.2.840.10045.3.1.7")),
    });
    const spki = cachedKeyPair("p256").publicKey.export({ type: "spki", format: "der" });
    expect(Buffer.from(layout.spki).equals(spki)).toBe(true);
    expect(Buffer.from(layout.publicKey).equals(spki.subarray(spki.length - 65))).toBe(true);
  });

  const longOid = `1.2.${Array.from({ length: 40 }, () => "300").join(".")}`;
  it.each<[string, Parameters<typeof buildRequest>[0], string]>([
    [
      "an attribute type of more than 64 bytes",
      { attributes: [attribute(longOid, NULL)] },
      "attribute type is an OID of more than 64 bytes",
    ],
    [
      "a signature algorithm of more than 64 bytes",
      { signatureAlgorithm: seq(oid(longOid)) },
      "signatureAlgorithm is an OID of more than 64 bytes",
    ],
    [
      "a signature algorithm with two parameters",
      { signatureAlgorithm: seq(oid(OIDS.ecdsaWithSha256), NULL, NULL) },
      "signatureAlgorithm is not an OID with at most one parameters element",
    ],
    [
      "an attribute without its values",
      { attributes: [seq(oid(OIDS.challengePassword))] },
      "attribute has elements [06] where [06 31] are expected",
    ],
    [
      "an attribute that is a SET",
      { attributes: [set(oid(OIDS.challengePassword), set())] },
      "attribute is not a SEQUENCE",
    ],
  ])("%s is refused", (_name, parts, reason) => {
    expect(readRequestLayout(buildRequest(parts))).toEqual({
      ok: false,
      error: { code: "malformed-der", message: `not a DER CertificationRequest: ${reason}` },
    });
  });
});

describe("what the schema library's reading let through, now refused", () => {
  const rsa = cachedKeyPair("rsa2048");
  /** A PSS request signed with SHA-256, salt 32, whatever the parameters say. */
  function pss(params: Bytes): Uint8Array {
    return buildRequest({
      keyPair: rsa,
      signatureAlgorithm: seq(oid(OIDS.rsaPss), params),
      sign: (data, key) => sign("sha256", data, { key, padding: 6, saltLength: 32 }),
    });
  }
  const good = (hash: Bytes, mgf: Bytes): number[] =>
    seq(ctx(0, hash), ctx(1, mgf), ctx(2, int(32)));

  it("the genuine parameters verify", () => {
    const result = decodeRequestDer(pss(good(hashAlg(OIDS.sha256), mgf1(OIDS.sha256))));
    expect(result.ok && result.request.signatureValid).toBe(true);
  });

  // The signature does not cover the signature algorithm: each of these verified before, so one
  // request had several encodings (and digests) that all checked out.
  it.each<[string, Bytes, string]>([
    [
      "a hash AlgorithmIdentifier with an element too many",
      good(seq(oid(OIDS.sha256), oid(OIDS.sha1), NULL), mgf1(OIDS.sha256)),
      "RSASSA-PSS parameters do not parse: field [0] is not an AlgorithmIdentifier",
    ],
    [
      "a second AlgorithmIdentifier in [0]",
      seq(
        ctx(0, hashAlg(OIDS.sha256), hashAlg(OIDS.sha256)),
        ctx(1, mgf1(OIDS.sha256)),
        ctx(2, int(32)),
      ),
      "RSASSA-PSS parameters do not parse: field [0] does not hold exactly one element",
    ],
    [
      "MGF1's hash with an element too many",
      good(
        hashAlg(OIDS.sha256),
        seq(oid(OIDS.mgf1), seq(oid(OIDS.sha256), oid(OIDS.ed25519), NULL)),
      ),
      "RSASSA-PSS with other than MGF1 of the same SHA hash is not supported",
    ],
    [
      "a negative salt length",
      seq(ctx(0, hashAlg(OIDS.sha256)), ctx(1, mgf1(OIDS.sha256)), ctx(2, int(0x80))),
      "RSASSA-PSS parameters do not parse: field [2] is not an INTEGER from 0 to 2^31 - 1",
    ],
  ])("%s is refused", (_name, params, message) => {
    expect(decodeRequestDer(pss(params))).toEqual({
      ok: false,
      error: { code: "unsupported-signature-algorithm", message },
    });
  });

  it("an RSA key with a negative exponent is refused (Go refuses it too)", () => {
    const modulus = [0x00, 0xc1, ...new Array<number>(255).fill(0x11)];
    const key = seq(int(...modulus), int(0xff));
    const spki = seq(seq(oid(OIDS.rsaEncryption), NULL), tlv(0x03, [0x00], key));
    expect(decodeRequestDer(buildRequest({ spki }))).toEqual({
      ok: false,
      error: {
        code: "invalid-public-key",
        message: "RSA key is not an RSAPublicKey: the exponent is negative",
      },
    });
  });
});
