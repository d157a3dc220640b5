import { describe, expect, it } from "vitest";
import { decodeRequestDer } from "../../../src/core/csr/decode.ts";
import { checkStrictDer } from "../../../src/core/csr/strict-der.ts";
import type { DecodeErrorCode } from "../../../src/core/csr/types.ts";
import { makeCsrDer } from "../../support/make-csr.ts";

/**
 * Hand-made encodings that BER allows but DER (and Go's parser) does not, or that the schema
 * parser would read while skipping part of the bytes. Each must be rejected with its code; the
 * "ok" rows show the rules do not reject what DER allows.
 */

type Bytes = readonly number[];

function length(n: number): number[] {
  if (n < 0x80) return [n];
  if (n < 0x100) return [0x81, n];
  return [0x82, n >> 8, n & 0xff];
}

/** One element with a minimal DER length. */
function tlv(tag: number, ...contents: Bytes[]): number[] {
  const body = contents.flat();
  return [tag, ...length(body.length), ...body];
}

/** Same, with a long-form length one byte longer than needed (BER only). */
function longTlv(tag: number, ...contents: Bytes[]): number[] {
  const body = contents.flat();
  return [tag, 0x82, body.length >> 8, body.length & 0xff, ...body];
}

/** The elements directly inside the element at the start of `der` (lengths up to 2 bytes). */
function split(der: Bytes): number[][] {
  const lengthAt = (at: number): [number, number] => {
    const first = der[at] ?? 0;
    if (first < 0x80) return [first, 1];
    const count = first & 0x7f;
    let n = 0;
    for (let i = 1; i <= count; i++) n = n * 256 + (der[at + i] ?? 0);
    return [n, 1 + count];
  };
  const [outerLength, outerHeader] = lengthAt(1);
  const end = 1 + outerHeader + outerLength;
  const out: number[][] = [];
  for (let at = 1 + outerHeader; at < end;) {
    const [n, header] = lengthAt(at + 1);
    out.push([...der.slice(at, at + 1 + header + n)]);
    at += 1 + header + n;
  }
  return out;
}

const OID = {
  CN: [0x06, 0x03, 0x55, 0x04, 0x03],
  O: [0x06, 0x03, 0x55, 0x04, 0x0a],
  extensionRequest: [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x0e],
  challengePassword: [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x07],
  keyUsage: [0x06, 0x03, 0x55, 0x1d, 0x0f],
  extKeyUsage: [0x06, 0x03, 0x55, 0x1d, 0x25],
  basicConstraints: [0x06, 0x03, 0x55, 0x1d, 0x13],
  serverAuth: [0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01],
};

const base = [...makeCsrDer({ key: "p256", subject: { CN: "x" } })];
const [info = [], signatureAlgorithm = [], signature = []] = split(base);
const [version = [], , spki = []] = split(info);
const [keyAlgorithm = [], publicKey = []] = split(spki);

interface Parts {
  version: Bytes;
  subject: Bytes;
  spki: Bytes;
  attributes: Bytes;
  extraInfo: Bytes;
  signatureAlgorithm: Bytes;
  signature: Bytes;
  extra: Bytes;
}

const ascii = (text: string): number[] => [...Buffer.from(text, "latin1")];
const atv = (type: Bytes, value: Bytes): number[] => tlv(0x30, type, value);
const nameOf = (...values: Bytes[]): number[] =>
  tlv(0x30, ...values.map((value) => tlv(0x31, atv(OID.CN, value))));
const attribute = (type: Bytes, ...values: Bytes[]): number[] =>
  tlv(0x30, type, tlv(0x31, ...values));
const withAttributes = (...attributes: Bytes[]): number[] => tlv(0xa0, ...attributes);
const extensionList = (...extensions: Bytes[]): number[] =>
  withAttributes(attribute(OID.extensionRequest, tlv(0x30, ...extensions)));
const extension = (oid: Bytes, value: Bytes, critical: Bytes = []): number[] =>
  tlv(0x30, oid, critical, tlv(0x04, value));

/** A request from parts; by default those of a valid P-256 request with subject CN=x. */
function request(parts: Partial<Parts> = {}): Uint8Array {
  const p: Parts = {
    version,
    subject: nameOf(tlv(0x0c, ascii("x"))),
    spki,
    attributes: withAttributes(),
    extraInfo: [],
    signatureAlgorithm,
    signature,
    extra: [],
    ...parts,
  };
  return Uint8Array.from(
    tlv(
      0x30,
      tlv(0x30, p.version, p.subject, p.spki, p.attributes, p.extraInfo),
      p.signatureAlgorithm,
      p.signature,
      p.extra,
    ),
  );
}

const cases: { name: string; der: () => Uint8Array; code: DecodeErrorCode | "ok" }[] = [
  // The layout of the request.
  { name: "the rebuilt request", der: () => request(), code: "ok" },
  {
    name: "non-minimal length of the CertificationRequestInfo",
    der: () =>
      Uint8Array.from(
        tlv(
          0x30,
          longTlv(0x30, version, nameOf(tlv(0x0c, ascii("x"))), spki, [0xa0, 0x00]),
          signatureAlgorithm,
          signature,
        ),
      ),
    code: "malformed-der",
  },
  {
    name: "non-minimal length inside the subject",
    der: () => request({ subject: tlv(0x30, longTlv(0x31, atv(OID.CN, tlv(0x0c, ascii("x"))))) }),
    code: "malformed-der",
  },
  {
    name: "a fourth element after the signature",
    der: () => request({ extra: [0x05, 0x00] }),
    code: "malformed-der",
  },
  {
    name: "a fifth element in the CertificationRequestInfo",
    der: () => request({ extraInfo: [0x05, 0x00] }),
    code: "malformed-der",
  },
  { name: "no attributes element", der: () => request({ attributes: [] }), code: "malformed-der" },
  {
    name: "version 0 in two bytes",
    der: () => request({ version: [0x02, 0x02, 0x00, 0x00] }),
    code: "malformed-der",
  },
  {
    name: "version of 9 bytes",
    der: () => request({ version: tlv(0x02, [1, 0, 0, 0, 0, 0, 0, 0, 0]) }),
    code: "malformed-der",
  },
  {
    name: "signatureAlgorithm with a third element",
    der: () =>
      request({ signatureAlgorithm: tlv(0x30, split(signatureAlgorithm).flat(), [5, 0, 5, 0]) }),
    code: "malformed-der",
  },
  {
    name: "SubjectPublicKeyInfo with a third element",
    der: () => request({ spki: tlv(0x30, keyAlgorithm, publicKey, [0x05, 0x00]) }),
    code: "malformed-der",
  },
  {
    name: "public key BIT STRING with an unused-bits count",
    der: () => {
      const bits = [...publicKey];
      bits[2] = 0x01;
      bits[bits.length - 1] = (bits[bits.length - 1] ?? 0) & 0xfe; // padding bit zero
      return request({ spki: tlv(0x30, keyAlgorithm, bits) });
    },
    code: "malformed-der",
  },
  {
    name: "signature BIT STRING with an unused-bits count",
    der: () => {
      const bits = [...signature];
      const at = bits[1] === 0x81 ? 3 : 2;
      bits[at] = 0x01;
      bits[bits.length - 1] = 0x00; // keep the padding bit zero: only the count is wrong
      return request({ signature: bits });
    },
    code: "malformed-der",
  },
  {
    name: "an element overrunning its container",
    der: () => request({ subject: [0x30, 0x03, 0x31, 0x05, 0x30, 0x00] }),
    code: "malformed-der",
  },
  {
    name: "an end-of-contents marker inside a SEQUENCE",
    der: () =>
      request({
        attributes: withAttributes(attribute(OID.challengePassword, [0x30, 0x02, 0x00, 0x00])),
      }),
    code: "malformed-der",
  },
  {
    name: "a SEQUENCE in primitive form",
    der: () =>
      request({ attributes: withAttributes(attribute(OID.challengePassword, [0x10, 0x00])) }),
    code: "malformed-der",
  },
  {
    name: "nesting deeper than 32 levels",
    der: () => {
      let deep: number[] = [0x05, 0x00];
      for (let i = 0; i < 40; i++) deep = tlv(0x30, deep);
      return request({ attributes: withAttributes(attribute(OID.challengePassword, deep)) });
    },
    code: "malformed-der",
  },
  {
    name: "an attribute with a third element",
    der: () =>
      request({
        attributes: withAttributes(tlv(0x30, OID.challengePassword, tlv(0x31, [5, 0]), [5, 0])),
      }),
    code: "malformed-der",
  },
  // The subject.
  {
    name: "subject attribute with a third element",
    der: () =>
      request({
        subject: tlv(0x30, tlv(0x31, tlv(0x30, OID.CN, tlv(0x0c, ascii("x")), [0x05, 0x00]))),
      }),
    code: "malformed-der",
  },
  {
    name: "CN as a constructed UTF8String",
    der: () => request({ subject: nameOf(tlv(0x2c, tlv(0x0c, ascii("x")))) }),
    code: "malformed-der",
  },
  {
    name: "CN that is not valid UTF-8",
    der: () => request({ subject: nameOf(tlv(0x0c, [0x61, 0xff])) }),
    code: "malformed-der",
  },
  {
    name: "CN with a UTF-8-encoded surrogate",
    der: () => request({ subject: nameOf(tlv(0x0c, [0xed, 0xa0, 0x80])) }),
    code: "malformed-der",
  },
  {
    name: "CN with an overlong UTF-8 '/'",
    der: () => request({ subject: nameOf(tlv(0x0c, [0xc0, 0xaf])) }),
    code: "malformed-der",
  },
  {
    name: "CN as a BMPString of odd length",
    der: () => request({ subject: nameOf(tlv(0x1e, [0x00, 0x61, 0x00])) }),
    code: "malformed-der",
  },
  {
    name: "CN as a UniversalString outside the BMP",
    der: () => request({ subject: nameOf(tlv(0x1c, [0x00, 0x01, 0xf6, 0x00])) }),
    code: "malformed-der",
  },
  {
    name: "attribute type OID with a leading zero group",
    der: () =>
      request({
        subject: tlv(
          0x30,
          tlv(0x31, atv([0x06, 0x04, 0x80, 0x55, 0x04, 0x03], tlv(0x0c, ascii("x")))),
        ),
      }),
    code: "malformed-der",
  },
  {
    name: "attribute type OID with an arc above 2^31 - 1",
    der: () =>
      request({
        subject: tlv(
          0x30,
          tlv(0x31, atv([0x06, 0x06, 0x55, 0x88, 0x80, 0x80, 0x80, 0x00], tlv(0x0c, ascii("x")))),
        ),
      }),
    code: "malformed-der",
  },
  {
    name: "a BOOLEAN 01 as a subject value",
    der: () => request({ subject: nameOf([0x01, 0x01, 0x01]) }),
    code: "malformed-der",
  },
  {
    name: "an INTEGER with a redundant 00 as a subject value",
    der: () => request({ subject: nameOf([0x02, 0x02, 0x00, 0x01]) }),
    code: "malformed-der",
  },
  {
    name: "a NULL with content as a subject value",
    der: () => request({ subject: nameOf([0x05, 0x01, 0x00]) }),
    code: "malformed-der",
  },
  {
    name: "a UTCTime without seconds as a subject value",
    der: () => request({ subject: nameOf(tlv(0x17, ascii("2501010000Z"))) }),
    code: "malformed-der",
  },
  {
    name: "a UTCTime in month 13 as a subject value",
    der: () => request({ subject: nameOf(tlv(0x17, ascii("251301000000Z"))) }),
    code: "malformed-der",
  },
  {
    name: "a GeneralizedTime with a trailing zero",
    der: () => request({ subject: nameOf(tlv(0x18, ascii("20250101000000.50Z"))) }),
    code: "malformed-der",
  },
  {
    name: "CN with a 4-byte UTF-8 character",
    der: () => request({ subject: nameOf(tlv(0x0c, [0xf0, 0x9f, 0x98, 0x80])) }),
    code: "ok",
  },
  {
    name: "a DER UTCTime as a subject value",
    der: () => request({ subject: nameOf(tlv(0x17, ascii("250101000000Z"))) }),
    code: "ok",
  },
  {
    name: "a multi-valued RDN whose SET OF is not sorted",
    der: () =>
      request({
        subject: tlv(
          0x30,
          tlv(0x31, atv(OID.O, tlv(0x0c, ascii("zzzz"))), atv(OID.CN, tlv(0x0c, ascii("x")))),
        ),
      }),
    code: "ok",
  },
  // The extension list.
  {
    name: "extension list with a non-minimal length",
    der: () =>
      request({
        attributes: withAttributes(
          attribute(OID.extensionRequest, longTlv(0x30, extension(OID.keyUsage, [3, 2, 5, 0xa0]))),
        ),
      }),
    code: "malformed-der",
  },
  {
    name: "critical flag TRUE",
    der: () =>
      request({
        attributes: extensionList(extension(OID.keyUsage, [3, 2, 5, 0xa0], [1, 1, 0xff])),
      }),
    code: "ok",
  },
  {
    name: "critical flag FALSE encoded (DEFAULT)",
    der: () =>
      request({
        attributes: extensionList(extension(OID.keyUsage, [3, 2, 5, 0xa0], [1, 1, 0x00])),
      }),
    code: "malformed-extension",
  },
  {
    name: "critical flag 01",
    der: () =>
      request({
        attributes: extensionList(extension(OID.keyUsage, [3, 2, 5, 0xa0], [1, 1, 0x01])),
      }),
    code: "malformed-der",
  },
  {
    name: "extension with a fourth element",
    der: () =>
      request({
        attributes: extensionList(
          tlv(0x30, OID.keyUsage, [1, 1, 0xff], tlv(0x04, [3, 2, 5, 0xa0]), [5, 0]),
        ),
      }),
    code: "malformed-extension",
  },
  {
    name: "extension value as a constructed OCTET STRING",
    der: () =>
      request({
        attributes: extensionList(tlv(0x30, OID.keyUsage, tlv(0x24, tlv(0x04, [3, 2, 5, 0xa0])))),
      }),
    code: "malformed-der",
  },
  // Extension values policy reads.
  {
    name: "keyUsage with non-zero padding bits",
    der: () => request({ attributes: extensionList(extension(OID.keyUsage, [3, 2, 5, 0xa1])) }),
    code: "malformed-extension",
  },
  {
    name: "keyUsage empty with an unused-bits count",
    der: () => request({ attributes: extensionList(extension(OID.keyUsage, [3, 1, 1])) }),
    code: "malformed-extension",
  },
  {
    name: "keyUsage with a non-minimal length",
    der: () =>
      request({ attributes: extensionList(extension(OID.keyUsage, [3, 0x81, 2, 5, 0xa0])) }),
    code: "malformed-extension",
  },
  {
    name: "extKeyUsage holding an INTEGER",
    der: () =>
      request({
        attributes: extensionList(extension(OID.extKeyUsage, tlv(0x30, OID.serverAuth, [2, 1, 1]))),
      }),
    code: "malformed-extension",
  },
  {
    name: "extKeyUsage with a non-minimal OID",
    der: () =>
      request({
        attributes: extensionList(extension(OID.extKeyUsage, tlv(0x30, [6, 3, 0x80, 0x2b, 6]))),
      }),
    code: "malformed-extension",
  },
  {
    name: "basicConstraints cA TRUE, path length 0",
    der: () =>
      request({
        attributes: extensionList(
          extension(OID.basicConstraints, tlv(0x30, [1, 1, 0xff, 2, 1, 0])),
        ),
      }),
    code: "ok",
  },
  {
    name: "basicConstraints cA FALSE encoded (DEFAULT)",
    der: () =>
      request({
        attributes: extensionList(extension(OID.basicConstraints, tlv(0x30, [1, 1, 0x00]))),
      }),
    code: "malformed-extension",
  },
  {
    name: "basicConstraints cA 01",
    der: () =>
      request({
        attributes: extensionList(extension(OID.basicConstraints, tlv(0x30, [1, 1, 0x01]))),
      }),
    code: "malformed-extension",
  },
  {
    name: "basicConstraints path length before cA",
    der: () =>
      request({
        attributes: extensionList(
          extension(OID.basicConstraints, tlv(0x30, [2, 1, 0, 1, 1, 0xff])),
        ),
      }),
    code: "malformed-extension",
  },
  {
    name: "basicConstraints with a third element",
    der: () =>
      request({
        attributes: extensionList(
          extension(OID.basicConstraints, tlv(0x30, [1, 1, 0xff, 2, 1, 0, 5, 0])),
        ),
      }),
    code: "malformed-extension",
  },
  {
    name: "basicConstraints path length of 9 bytes",
    der: () =>
      request({
        attributes: extensionList(
          extension(
            OID.basicConstraints,
            tlv(0x30, [1, 1, 0xff], tlv(0x02, [1, 0, 0, 0, 0, 0, 0, 0, 0])),
          ),
        ),
      }),
    code: "malformed-extension",
  },
];

describe("strict DER: hand-made encodings", () => {
  it.each(cases)("$name → $code", ({ der, code }) => {
    const result = decodeRequestDer(der());
    expect(result.ok ? "ok" : result.error.code).toBe(code);
  });

  it("a NULL subject value decodes, is shown as #0500 and, as in Go, is no CN", () => {
    const result = decodeRequestDer(request({ subject: nameOf([0x05, 0x00]) }));
    expect(result.ok ? result.request.subject : result.error.message).toEqual({
      attributes: [
        { type: "CN", oid: "2.5.4.3", value: "#0500", valueType: "NULL", notAString: true },
      ],
      commonName: "",
      organizations: [],
      organizationalUnits: [],
    });
  });

  it("a value of a type without a name is named by its tag, in two hex digits", () => {
    const result = decodeRequestDer(request({ subject: nameOf([0x0a, 0x01, 0x05]) }));
    expect(result.ok ? result.request.subject.attributes : result.error.message).toEqual([
      { type: "CN", oid: "2.5.4.3", value: "#0a0105", valueType: "tag 0x0a", notAString: true },
    ]);
    const tagged = decodeRequestDer(request({ subject: nameOf([0x80, 0x01, 0x61]) }));
    expect(tagged.ok ? tagged.request.subject.attributes : tagged.error.message).toEqual([
      { type: "CN", oid: "2.5.4.3", value: "#800161", valueType: "tag 0x80", notAString: true },
    ]);
  });

  it("a value Go refuses names the attribute and its type", () => {
    const result = decodeRequestDer(request({ subject: nameOf(tlv(0x13, ascii("a_b"))) }));
    expect(result.ok ? "ok" : result.error).toEqual({
      code: "malformed-der",
      message:
        "subject: CN value is not a valid PrintableString (Go's crypto/x509, and so Kubernetes, refuses the request)",
    });
  });

  it("says where the encoding breaks DER", () => {
    const result = decodeRequestDer(request({ subject: nameOf(tlv(0x0c, [0x61, 0xff])) }));
    expect(result.ok ? "" : result.error.message).toMatch(/not valid UTF-8 at byte \d+/);
  });
});

/**
 * The walk itself, one element at a time, with the exact reason: a rule that refused with another
 * rule's reason, or let a bound value through on the wrong side, would show here even where a
 * later reader of the request would refuse the same bytes for its own reason.
 */
describe("checkStrictDer: each rule's reason and bounds", () => {
  const nested = (levels: number): number[] => {
    let der: number[] = [0x05, 0x00];
    for (let i = 0; i < levels; i++) der = tlv(0x30, der);
    return der;
  };

  const REFUSED: [string, Bytes, string][] = [
    ["a constructed OCTET STRING", [0x24, 0x00], "constructed form of universal type 4 is not DER"],
    [
      "a constructed UTF8String",
      [0x2c, 0x03, 0x0c, 0x01, 0x61],
      "constructed form of universal type 12 is not DER",
    ],
    ["an end-of-contents marker", [0x00, 0x00], "end-of-contents marker (BER indefinite form)"],
    [
      "BOOLEAN of two bytes FF 00",
      [0x01, 0x02, 0xff, 0x00],
      "BOOLEAN that is not one byte 00 or FF",
    ],
    [
      "BOOLEAN of two bytes 00 00",
      [0x01, 0x02, 0x00, 0x00],
      "BOOLEAN that is not one byte 00 or FF",
    ],
    ["BOOLEAN 01", [0x01, 0x01, 0x01], "BOOLEAN that is not one byte 00 or FF"],
    ["BOOLEAN without content", [0x01, 0x00], "BOOLEAN that is not one byte 00 or FF"],
    ["NULL with one byte", [0x05, 0x01, 0x00], "NULL with content"],
    ["a primitive SEQUENCE", [0x10, 0x00], "SEQUENCE or SET in primitive form"],
    ["a primitive SET", [0x11, 0x00], "SEQUENCE or SET in primitive form"],
    ["INTEGER without content", [0x02, 0x00], "empty INTEGER"],
    ["INTEGER 00 7F", [0x02, 0x02, 0x00, 0x7f], "non-minimal INTEGER encoding"],
    ["INTEGER FF 80", [0x02, 0x02, 0xff, 0x80], "non-minimal INTEGER encoding"],
    ["INTEGER FF FF", [0x02, 0x02, 0xff, 0xff], "non-minimal INTEGER encoding"],
    ["ENUMERATED 00 01", [0x0a, 0x02, 0x00, 0x01], "non-minimal INTEGER encoding"],
    ["BIT STRING without content", [0x03, 0x00], "BIT STRING without its unused-bits byte"],
    [
      "BIT STRING with 8 unused bits",
      [0x03, 0x02, 0x08, 0x00],
      "BIT STRING with more than 7 unused bits",
    ],
    ["empty BIT STRING with 1 unused bit", [0x03, 0x01, 0x01], "empty BIT STRING with unused bits"],
    [
      "empty BIT STRING with 4 unused bits",
      [0x03, 0x01, 0x04],
      "empty BIT STRING with unused bits",
    ],
    [
      "BIT STRING with padding bit set",
      [0x03, 0x02, 0x01, 0x01],
      "BIT STRING with non-zero padding bits",
    ],
    [
      "UTCTime without seconds",
      [0x17, 0x0b, ...ascii("2501010000Z")],
      "UTCTime not in the DER form YYMMDDHHMMSSZ",
    ],
    [
      "UTCTime in month 00",
      [0x17, 0x0d, ...ascii("250001000000Z")],
      "UTCTime not in the DER form YYMMDDHHMMSSZ",
    ],
    [
      "UTCTime in month 13",
      [0x17, 0x0d, ...ascii("251301000000Z")],
      "UTCTime not in the DER form YYMMDDHHMMSSZ",
    ],
    [
      "UTCTime on day 00",
      [0x17, 0x0d, ...ascii("250100000000Z")],
      "UTCTime not in the DER form YYMMDDHHMMSSZ",
    ],
    [
      "UTCTime on day 32",
      [0x17, 0x0d, ...ascii("250132000000Z")],
      "UTCTime not in the DER form YYMMDDHHMMSSZ",
    ],
    [
      "UTCTime at hour 24",
      [0x17, 0x0d, ...ascii("250101240000Z")],
      "UTCTime not in the DER form YYMMDDHHMMSSZ",
    ],
    [
      "UTCTime at minute 60",
      [0x17, 0x0d, ...ascii("250101006000Z")],
      "UTCTime not in the DER form YYMMDDHHMMSSZ",
    ],
    [
      "UTCTime at second 60",
      [0x17, 0x0d, ...ascii("250101000060Z")],
      "UTCTime not in the DER form YYMMDDHHMMSSZ",
    ],
    [
      "GeneralizedTime with a trailing zero",
      tlv(0x18, ascii("20250101000000.50Z")),
      "GeneralizedTime not in the DER form YYYYMMDDHHMMSS[.fff]Z",
    ],
    [
      "GeneralizedTime in month 13",
      tlv(0x18, ascii("20251301000000Z")),
      "GeneralizedTime not in the DER form YYYYMMDDHHMMSS[.fff]Z",
    ],
    ["BMPString of one byte", [0x1e, 0x01, 0x00], "BMPString of an odd number of bytes"],
    [
      "BMPString of three bytes",
      [0x1e, 0x03, 0x00, 0x61, 0x00],
      "BMPString of an odd number of bytes",
    ],
    ["OBJECT IDENTIFIER without content", [0x06, 0x00], "empty OBJECT IDENTIFIER"],
    [
      "OBJECT IDENTIFIER arc 80 01",
      [0x06, 0x02, 0x80, 0x01],
      "OBJECT IDENTIFIER arc with a leading zero group",
    ],
    [
      "OBJECT IDENTIFIER arc 2^31",
      [0x06, 0x06, 0x2a, 0x88, 0x80, 0x80, 0x80, 0x00],
      "OBJECT IDENTIFIER arc above 2^31 - 1",
    ],
    [
      "OBJECT IDENTIFIER ending in 86",
      [0x06, 0x02, 0x2a, 0x86],
      "OBJECT IDENTIFIER ends inside an arc",
    ],
    ["RELATIVE-OID ending in 81", [0x0d, 0x01, 0x81], "OBJECT IDENTIFIER ends inside an arc"],
    ["UTF8String 80", [0x0c, 0x01, 0x80], "UTF8String or TIME that is not valid UTF-8"],
    ["UTF8String FF", [0x0c, 0x01, 0xff], "UTF8String or TIME that is not valid UTF-8"],
    ["UTF8String C3 (cut short)", [0x0c, 0x01, 0xc3], "UTF8String or TIME that is not valid UTF-8"],
    ["TIME FF", [0x0e, 0x01, 0xff], "UTF8String or TIME that is not valid UTF-8"],
    [
      "UniversalString of 2 bytes",
      [0x1c, 0x02, 0x00, 0x00],
      "UniversalString of partial 4-byte characters",
    ],
    [
      "UniversalString of 5 bytes",
      [0x1c, 0x05, 0x00, 0x00, 0x00, 0x61, 0x00],
      "UniversalString of partial 4-byte characters",
    ],
    [
      "UniversalString U+1F600",
      [0x1c, 0x04, 0x00, 0x01, 0xf6, 0x00],
      "UniversalString character outside the Basic Multilingual Plane",
    ],
    [
      "UniversalString 01 00 00 00",
      [0x1c, 0x04, 0x01, 0x00, 0x00, 0x00],
      "UniversalString character outside the Basic Multilingual Plane",
    ],
    [
      "UniversalString 'a' then U+10000",
      [0x1c, 0x08, 0x00, 0x00, 0x00, 0x61, 0x00, 0x01, 0x00, 0x00],
      "UniversalString character outside the Basic Multilingual Plane",
    ],
  ];
  const ACCEPTED: [string, Bytes][] = [
    ["BOOLEAN 00", [0x01, 0x01, 0x00]],
    ["BOOLEAN FF", [0x01, 0x01, 0xff]],
    ["NULL", [0x05, 0x00]],
    ["INTEGER 00", [0x02, 0x01, 0x00]],
    ["INTEGER 00 80 (128)", [0x02, 0x02, 0x00, 0x80]],
    ["INTEGER FF 7F (-129)", [0x02, 0x02, 0xff, 0x7f]],
    ["INTEGER 80 00", [0x02, 0x02, 0x80, 0x00]],
    ["BIT STRING empty", [0x03, 0x01, 0x00]],
    ["BIT STRING with 7 unused zero bits", [0x03, 0x02, 0x07, 0x80]],
    ["UTCTime 25-12-31 23:59:59", [0x17, 0x0d, ...ascii("251231235959Z")]],
    ["GeneralizedTime with a fraction", tlv(0x18, ascii("20251231235959.5Z"))],
    ["BMPString 'a'", [0x1e, 0x02, 0x00, 0x61]],
    ["BMPString empty", [0x1e, 0x00]],
    ["OBJECT IDENTIFIER 1.2.2147483647", [0x06, 0x06, 0x2a, 0x87, 0xff, 0xff, 0xff, 0x7f]],
    ["RELATIVE-OID 1", [0x0d, 0x01, 0x01]],
    ["UTF8String empty", [0x0c, 0x00]],
    ["UTF8String 'é'", [0x0c, 0x02, 0xc3, 0xa9]],
    ["UniversalString 'a'", [0x1c, 0x04, 0x00, 0x00, 0x00, 0x61]],
    ["UniversalString U+FFFD", [0x1c, 0x04, 0x00, 0x00, 0xff, 0xfd]],
    ["a context-specific primitive", [0x80, 0x01, 0xff]],
    ["an OCTET STRING of any bytes", [0x04, 0x02, 0xff, 0x80]],
  ];

  it.each(REFUSED)("%s is refused: %s", (_name, der, reason) => {
    expect(checkStrictDer(Uint8Array.from(der))).toEqual({
      ok: false,
      reason: `${reason} at byte 0`,
    });
  });

  // The walk reads each element's content in place: inside a SEQUENCE, at an odd offset and with
  // more bytes after it, a rule that looked past its element's end (or measured it from the wrong
  // place) would read the neighbour's bytes.
  const inside = (der: Bytes): number[] => tlv(0x30, [0x01, 0x01, 0xff], der, [0x04, 0x01, 0xff]);

  it.each(REFUSED)(
    "%s inside a SEQUENCE, between two elements, is refused: %s",
    (_n, der, reason) => {
      expect(checkStrictDer(Uint8Array.from(inside(der)))).toEqual({
        ok: false,
        reason: `${reason} at byte 5`,
      });
    },
  );

  it.each(ACCEPTED)("%s is accepted", (_name, der) => {
    expect(checkStrictDer(Uint8Array.from(der))).toEqual({ ok: true });
  });

  it.each(ACCEPTED)("%s inside a SEQUENCE, between two elements, is accepted", (_name, der) => {
    expect(checkStrictDer(Uint8Array.from(inside(der)))).toEqual({ ok: true });
  });

  it("31 nested SEQUENCEs are accepted", () => {
    expect(checkStrictDer(Uint8Array.from(nested(31)))).toEqual({ ok: true });
  });

  it("the 32nd nested SEQUENCE is one level too deep, and is named by its offset", () => {
    expect(checkStrictDer(Uint8Array.from(nested(32)))).toEqual({
      ok: false,
      reason: "nested deeper than 32 levels at byte 62",
    });
  });

  it("a rule's reason names the offending element's own offset", () => {
    expect(checkStrictDer(Uint8Array.from(tlv(0x30, [0x05, 0x00], [0x02, 0x00])))).toEqual({
      ok: false,
      reason: "empty INTEGER at byte 4",
    });
  });
});
