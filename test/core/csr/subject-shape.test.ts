/**
 * The shape of a Name (SEQUENCE OF SET OF SEQUENCE { type OID, value }), element by element: each
 * wrong shape is refused with its exact reason by `decodeSubjectDer` (which also reads the
 * directoryName SANs and the certificate's subject), and through the decoder as Go refuses it.
 * Also the OID reader's bounds (64 content bytes, arcs below 2^46) that the subject relies on.
 */
import { describe, expect, it } from "vitest";
import { decodeOid } from "../../../src/core/csr/der.ts";
import { decodeRequestDer } from "../../../src/core/csr/request.ts";
import { decodeSubjectDer } from "../../../src/core/csr/subject.ts";
import {
  OIDS,
  buildRequest,
  oid,
  seq,
  set,
  tlv,
  utf8,
  type Bytes,
} from "../../support/der-builder.ts";

const cn = (value: string): number[] => seq(oid(OIDS.CN), utf8(value));
const refused = (reason: string) => ({ ok: false, reason });

describe("decodeSubjectDer", () => {
  it("a well-formed Name reads", () => {
    const result = decodeSubjectDer(Uint8Array.from(seq(set(cn("web")))));
    expect(result.ok && result.subject.commonName).toBe("web");
  });

  it.each<[string, Bytes, string]>([
    ["a SET instead of the SEQUENCE of RDNs", set(set(cn("web"))), "not a SEQUENCE of RDNs"],
    ["a Name followed by a stray byte", [...seq(set(cn("web"))), 0x00], "not a SEQUENCE of RDNs"],
    ["an RDN that is a SEQUENCE", seq(seq(cn("web"))), "an RDN is not a SET"],
    ["a second RDN that is an OID", seq(set(cn("web")), oid(OIDS.CN)), "an RDN is not a SET"],
    [
      "a type-and-value that is a SET",
      seq(set(set(oid(OIDS.CN), utf8("web")))),
      "an attribute is not exactly a type OID and a value",
    ],
    [
      "a type-and-value with a third element",
      seq(set(seq(oid(OIDS.CN), utf8("web"), utf8("more")))),
      "an attribute is not exactly a type OID and a value",
    ],
    [
      "a type without a value",
      seq(set(seq(oid(OIDS.CN)))),
      "an attribute is not exactly a type OID and a value",
    ],
    [
      "a type that is a string",
      seq(set(seq(utf8("CN"), utf8("web")))),
      "an attribute is not exactly a type OID and a value",
    ],
    [
      "a type OID of 65 bytes",
      seq(set(seq(tlv(0x06, new Array<number>(65).fill(0x01)), utf8("web")))),
      "an attribute type is not an OID",
    ],
  ])("%s is refused", (_name, der, reason) => {
    expect(decodeSubjectDer(Uint8Array.from(der))).toEqual(refused(reason));
  });

  const bmp = (...content: number[]): number[] => seq(set(seq(oid(OIDS.CN), tlv(0x1e, content))));
  it.each<[string, Bytes, string]>([
    ["AB", bmp(0x00, 0x41, 0x00, 0x42), "AB"],
    ["A then U+0100 (a zero low byte)", bmp(0x00, 0x41, 0x01, 0x00), "A\u0100"],
    ["A then a NUL terminator, which Go drops", bmp(0x00, 0x41, 0x00, 0x00), "A"],
  ])("a BMPString CN of %s reads exactly", (_name, der, text) => {
    const result = decodeSubjectDer(Uint8Array.from(der));
    expect(result.ok && result.subject.commonName).toBe(text);
  });

  it("a BMPString of an odd length is refused", () => {
    expect(decodeSubjectDer(Uint8Array.from(bmp(0x00, 0x41, 0x00)))).toEqual(
      refused("CN value is not a valid BMPString"),
    );
  });

  it("through the decoder, the reason is the request's", () => {
    const result = decodeRequestDer(buildRequest({ subject: seq(seq(cn("web"))) }));
    expect(result).toEqual({
      ok: false,
      error: {
        code: "malformed-der",
        message:
          "subject: an RDN is not a SET (Go's crypto/x509, and so Kubernetes, refuses the request)",
      },
    });
  });
});

describe("decodeOid bounds", () => {
  const arcs = (n: number): Uint8Array => new Uint8Array(n).fill(0x01);
  it("64 content bytes read, 65 do not", () => {
    expect(decodeOid(arcs(64))).toBe(`0.1${".1".repeat(63)}`);
    expect(decodeOid(arcs(65))).toBeUndefined();
  });

  it("no content is no OID", () => {
    expect(decodeOid(new Uint8Array(0))).toBeUndefined();
  });

  it("an arc of 2^46 - 1 reads, 2^46 does not (it would lose precision further on)", () => {
    const body = (arc: bigint): Uint8Array =>
      Uint8Array.from(oid(`1.2.${arc.toString()}`).slice(2));
    expect(decodeOid(body(2n ** 46n - 1n))).toBe(`1.2.${(2n ** 46n - 1n).toString()}`);
    expect(decodeOid(body(2n ** 46n))).toBeUndefined();
  });
});
