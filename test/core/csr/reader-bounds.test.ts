/**
 * The readers' exact bounds and reasons, one row per edge a mutation run found unpinned: a top
 * byte of exactly 0x80 is negative, an AlgorithmIdentifier or INTEGER of another type is refused
 * inside RSASSA-PSS parameters, a BOOLEAN TRUE is exactly one 0xff byte, each extension value's
 * shape has its own reason, a subjectAltName list's structure, the strict walk's first
 * reason names byte 0, and a refused SubjectPublicKeyInfo names the part that is wrong.
 */
import { describe, expect, it } from "vitest";
import { decodeRequestDer } from "../../../src/core/csr/request.ts";
import {
  extensionValueProblem,
  readExtensionList,
} from "../../../src/core/csr/extension-shapes.ts";
import { readPssParameters } from "../../../src/core/csr/pss-parameters.ts";
import { readRsaPublicKey } from "../../../src/core/csr/rsa-public-key.ts";
import { checkStrictDer } from "../../../src/core/csr/strict-der.ts";
import { decodeSubjectAltNames } from "../../../src/core/csr/subject-alt-names.ts";
import {
  buildRequest,
  NULL,
  OIDS,
  oid,
  octets,
  seq,
  set,
  tlv,
  type Bytes,
} from "../../support/der-builder.ts";
import { cachedKeyPair } from "../../support/make-csr.ts";

const bytes = (...parts: Bytes[]): Uint8Array => Uint8Array.from(parts.flat());
const int = (...content: number[]): number[] => tlv(0x02, content);
const ctx = (n: number, ...content: Bytes[]): number[] => tlv(0xa0 + n, ...content);

describe("RSAPublicKey: a top byte of exactly 0x80 is negative", () => {
  it.each<[string, Bytes, string]>([
    ["modulus 0x80 0x01", seq(int(0x80, 0x01), int(3)), "the modulus is negative"],
    ["exponent 0x80", seq(int(0x00, 0xc1), int(0x80)), "the exponent is negative"],
  ])("%s is refused", (_name, der, reason) => {
    expect(readRsaPublicKey(bytes(der))).toEqual({ ok: false, reason, notDer: false });
  });

  it("0x7f is the largest positive top byte", () => {
    expect(readRsaPublicKey(bytes(seq(int(0x7f, 0x01), int(0x7f))))).toEqual({
      ok: true,
      modulus: Uint8Array.of(0x7f, 0x01),
      exponent: Uint8Array.of(0x7f),
    });
  });
});

describe("RSASSA-PSS parameters of another type", () => {
  it.each<[string, Bytes, string]>([
    [
      "a hash AlgorithmIdentifier that is a SET",
      seq(ctx(0, set(oid(OIDS.sha256), NULL))),
      "field [0] is not an AlgorithmIdentifier",
    ],
    [
      "a mask generator that is a SET",
      seq(ctx(1, set(oid(OIDS.mgf1), seq(oid(OIDS.sha256), NULL)))),
      "field [1] is not an AlgorithmIdentifier",
    ],
    [
      "a salt length in an OCTET STRING",
      seq(ctx(2, octets([32]))),
      "field [2] is not an INTEGER from 0 to 2^31 - 1",
    ],
    [
      "a trailer field that is an ENUMERATED",
      seq(ctx(3, tlv(0x0a, [1]))),
      "field [3] is not an INTEGER from 0 to 2^31 - 1",
    ],
  ])("%s is refused", (_name, der, reason) => {
    expect(readPssParameters(bytes(der))).toBe(reason);
  });

  it("a mask generator whose hash is a SET has no hash (and is refused later)", () => {
    expect(
      readPssParameters(bytes(seq(ctx(1, seq(oid(OIDS.mgf1), set(oid(OIDS.sha256), NULL)))))),
    ).toMatchObject({ maskGenerator: OIDS.mgf1, maskGeneratorHash: undefined });
  });
});

describe("critical TRUE is exactly one 0xff byte", () => {
  it.each<[string, Bytes]>([
    ["FALSE", [0x01, 0x01, 0x00]],
    ["two bytes starting with 0xff", [0x01, 0x02, 0xff, 0x00]],
    ["no content", [0x01, 0x00]],
    ["0x01", [0x01, 0x01, 0x01]],
  ])("a critical flag of %s is refused", (_name, flag) => {
    expect(readExtensionList(bytes(seq(seq(oid(OIDS.keyUsage), flag, octets()))))).toBe(
      "an extension encodes critical FALSE, the default (not DER)",
    );
  });
});

describe("extension values: each shape has its own reason", () => {
  const keyUsage = [0x03, 0x02, 0x05, 0xa0];
  it.each<[string, string, Bytes, string | undefined]>([
    ["keyUsage", OIDS.keyUsage, keyUsage, undefined],
    [
      "keyUsage with a byte after it",
      OIDS.keyUsage,
      [...keyUsage, 0x00],
      "length does not match the value",
    ],
    ["keyUsage as an OCTET STRING", OIDS.keyUsage, octets([0x05]), "not a BIT STRING"],
    ["extKeyUsage", OIDS.extKeyUsage, seq(oid("1.3.6.1.5.5.7.3.1")), undefined],
    [
      "extKeyUsage as a SET",
      OIDS.extKeyUsage,
      set(oid("1.3.6.1.5.5.7.3.1")),
      "not a SEQUENCE of OIDs",
    ],
    ["extKeyUsage holding a string", OIDS.extKeyUsage, seq(tlv(0x0c, [0x61])), "holds a non-OID"],
    ["basicConstraints, empty", OIDS.basicConstraints, seq(), undefined],
    ["basicConstraints as a SET", OIDS.basicConstraints, set(), "not a SEQUENCE"],
    [
      "basicConstraints with cA FALSE",
      OIDS.basicConstraints,
      seq([0x01, 0x01, 0x00]),
      "encodes cA FALSE, the default (not DER)",
    ],
    [
      "basicConstraints with a path length of 8 bytes",
      OIDS.basicConstraints,
      seq(int(1, 0, 0, 0, 0, 0, 0, 0)),
      undefined,
    ],
    [
      "basicConstraints with a path length of 9 bytes and no cA",
      OIDS.basicConstraints,
      seq(int(1, 0, 0, 0, 0, 0, 0, 0, 0)),
      "path length is too large",
    ],
    [
      "basicConstraints with cA and a path length of 9 bytes",
      OIDS.basicConstraints,
      seq([0x01, 0x01, 0xff], int(1, 0, 0, 0, 0, 0, 0, 0, 0)),
      "path length is too large",
    ],
    [
      "basicConstraints with the path length first",
      OIDS.basicConstraints,
      seq(int(1), [0x01, 0x01, 0xff]),
      "elements [02 01], not an optional cA flag and an optional path length",
    ],
  ])("%s: %s", (_name, extensionOid, der, problem) => {
    expect(extensionValueProblem(extensionOid, bytes(der))).toBe(problem);
  });
});

describe("subjectAltName structure", () => {
  const refused = (reason: string) => ({
    ok: false,
    error: { code: "malformed-extension", message: `subjectAltName: ${reason}` },
  });
  const dns = tlv(0x82, [0x61]);

  it.each<[string, Bytes, string]>([
    ["a byte after the list", [...seq(dns), 0x00], "length does not match the extension value"],
    ["an empty list", seq(), "no names"],
    [
      "an otherName whose type OID runs past it into the next name",
      seq(tlv(0xa0, [0x06, 0x04, 0x2a]), dns),
      "otherName without a type OID",
    ],
    [
      "an otherName holding a string",
      seq(tlv(0xa0, tlv(0x0c, [0x61]))),
      "otherName without a type OID",
    ],
  ])("%s is refused", (_name, der, reason) => {
    expect(decodeSubjectAltNames(bytes(der))).toEqual(refused(reason));
  });

  it("an otherName that is only its type OID is read", () => {
    const result = decodeSubjectAltNames(bytes(seq(tlv(0xa0, oid("1.2.3.4")))));
    expect(result.ok && result.names).toEqual([{ type: "other", value: "otherName:1.2.3.4" }]);
  });
});

describe("the strict walk's reasons", () => {
  it.each<[string, Bytes, string]>([
    ["no bytes", [], "input ends inside a tag at byte 0"],
    ["a tag alone", [0x30], "input ends inside a tag at byte 0"],
    ["indefinite length", [0x30, 0x80, 0x00, 0x00], "indefinite length is not DER at byte 0"],
    ["one byte after the element", [0x05, 0x00, 0x00], "1 bytes after the element"],
    [
      "a high tag inside",
      [0x30, 0x02, 0x1f, 0x00],
      "high tag numbers are not used in a CSR at byte 2",
    ],
    [
      "a child longer than its container",
      [0x30, 0x04, 0x30, 0x02, 0x04, 0x05],
      "element overruns its container at byte 4",
    ],
    [
      "4097 elements (a SEQUENCE of 4096 NULLs)",
      seq(...new Array<number[]>(4096).fill(NULL)),
      "more than 4096 elements at byte 8194",
    ],
  ])("%s: %s", (_name, der, reason) => {
    expect(checkStrictDer(bytes(der))).toEqual({ ok: false, reason });
  });

  it("4096 elements (a SEQUENCE of 4095 NULLs) are within the budget", () => {
    expect(checkStrictDer(bytes(seq(...new Array<number[]>(4095).fill(NULL))))).toEqual({
      ok: true,
    });
  });
});

describe("the request's outer shape", () => {
  it("a CertificationRequest without its signature is refused, with the elements named", () => {
    const { publicKey } = cachedKeyPair("p256");
    const spki = [...publicKey.export({ type: "spki", format: "der" })];
    const info = seq([0x02, 0x01, 0x00], seq(), spki, tlv(0xa0));
    expect(decodeRequestDer(bytes(seq(info, seq(oid(OIDS.ecdsaWithSha256)))))).toEqual({
      ok: false,
      error: {
        code: "malformed-der",
        message:
          "not a DER CertificationRequest: CertificationRequest has elements [30 30] where [30 30 03] are expected",
      },
    });
  });

  describe("the SubjectPublicKeyInfo's parts are named in the refusal", () => {
    const { publicKey } = cachedKeyPair("p256");
    const spki = [...publicKey.export({ type: "spki", format: "der" })];
    // A P-256 SPKI: 30 59, the AlgorithmIdentifier (21 bytes), the BIT STRING 03 42 00 04 ...
    const algorithm = spki.slice(2, 23);
    const point = spki.slice(26);
    const paddedPoint = [...point.slice(0, -1), (point.at(-1) ?? 0) & 0xfe];
    it.each<[string, Bytes, string]>([
      [
        "a third element after the key",
        seq(algorithm, tlv(0x03, [0x00], point), NULL),
        "SubjectPublicKeyInfo has elements [30 03 05] where [30 03] are expected",
      ],
      [
        "a key algorithm with a second parameters element",
        seq(
          seq(oid("1.2.840.10045.2.1"), oid("1.2.840.10045.3.1.7"), NULL),
          tlv(0x03, [0x00], point),
        ),
        "public key algorithm is not an OID with at most one parameters element",
      ],
      [
        "a key algorithm that starts with a NULL",
        seq(seq(NULL), tlv(0x03, [0x00], point)),
        "public key algorithm is not an OID with at most one parameters element",
      ],
      [
        "a key BIT STRING with one unused (zero) bit",
        seq(algorithm, tlv(0x03, [0x01], paddedPoint)),
        "subjectPublicKey has unused bits",
      ],
    ])("%s", (_name, badSpki, message) => {
      expect(decodeRequestDer(buildRequest({ spki: badSpki }))).toEqual({
        ok: false,
        error: { code: "malformed-der", message: `not a DER CertificationRequest: ${message}` },
      });
    });
  });
});
