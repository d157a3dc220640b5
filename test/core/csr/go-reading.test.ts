/**
 * The decoder reads subject strings exactly as Kubernetes does. Each row is a request whose
 * subject uses one ASN.1 string type in an edge case; Go's crypto/x509 (through
 * test/kube-server/csrcheck) reads the same bytes, and the decoder must agree: it refuses exactly
 * what Go refuses, and otherwise finds the same CN, O and OU values.
 */
import { describe, expect, it } from "vitest";
import { decodeRequestDer } from "../../../src/core/csr/decode.ts";
import { goCheck } from "../../support/go-csrcheck.ts";
import { concat, derTlv, makeCsrDer, oidDer, toPem } from "../../support/make-csr.ts";

const CN = "2.5.4.3";
const O = "2.5.4.10";
const OU = "2.5.4.11";

type Attr = [oid: string, tag: number, content: number[] | string];

const bytes = (content: number[] | string): Uint8Array =>
  typeof content === "string" ? new TextEncoder().encode(content) : Uint8Array.from(content);

/** UCS-2 big-endian bytes of the text (each code unit as two bytes). */
const ucs2 = (text: string): number[] => {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    out.push(u >> 8, u & 0xff);
  }
  return out;
};

/** A Name with one RDN per attribute. */
function nameDer(attrs: Attr[]): Uint8Array {
  return derTlv(
    0x30,
    concat(
      attrs.map(([oid, tag, content]) =>
        derTlv(0x31, derTlv(0x30, concat([oidDer(oid), derTlv(tag, bytes(content))]))),
      ),
    ),
  );
}

const cases: [string, Attr[]][] = [
  [
    "BMPString O with a trailing NUL",
    [
      [O, 0x1e, ucs2("system:masters\u0000")],
      [CN, 0x0c, "a"],
    ],
  ],
  ["BMPString O with two trailing NULs", [[O, 0x1e, ucs2("system:masters\u0000\u0000")]]],
  ["BMPString O that is only a NUL", [[O, 0x1e, [0, 0]]]],
  ["BMPString with a NUL inside", [[O, 0x1e, ucs2("sys\u0000tem")]]],
  ["BMPString of an odd length", [[O, 0x1e, [0, 0x61, 0]]]],
  ["BMPString with a surrogate", [[O, 0x1e, [0xd8, 0x00, 0xdc, 0x00]]]],
  ["BMPString with U+FFFE", [[O, 0x1e, [0xff, 0xfe]]]],
  ["BMPString with U+FDD0", [[O, 0x1e, [0xfd, 0xd0]]]],
  ["BMPString with U+FDEF", [[O, 0x1e, [0xfd, 0xef]]]],
  ["BMPString with U+FDF0, just past the non-characters", [[O, 0x1e, [0xfd, 0xf0]]]],
  ["BMPString with U+FFFF", [[O, 0x1e, [0xff, 0xff]]]],
  ["BMPString with a lone U+D800", [[O, 0x1e, [0xd8, 0x00, 0x00, 0x61]]]],
  ["BMPString with a lone U+DFFF", [[O, 0x1e, [0x00, 0x61, 0xdf, 0xff]]]],
  ["BMPString with U+E000, just past the surrogates", [[O, 0x1e, [0xe0, 0x00]]]],
  ["BMPString ending in U+0100 (a zero low byte, not a terminator)", [[O, 0x1e, ucs2("a\u0100")]]],
  ["BMPString CN in Latin script", [[CN, 0x1e, ucs2("Zürich")]]],
  ["PrintableString with * and &", [[CN, 0x13, "a*b&c"]]],
  ["PrintableString with _", [[CN, 0x13, "a_b"]]],
  ["PrintableString with @", [[CN, 0x13, "a@b"]]],
  ["PrintableString with a NUL", [[O, 0x13, [0x61, 0x00]]]],
  ["NumericString", [[OU, 0x12, "123 45"]]],
  ["NumericString with a letter", [[OU, 0x12, "12a"]]],
  ["IA5String with a NUL", [[O, 0x16, [0x61, 0x00, 0x62]]]],
  ["IA5String with a byte above 0x7f", [[O, 0x16, [0x61, 0xe9]]]],
  ["IA5String with the byte 0x80", [[O, 0x16, [0x61, 0x80]]]],
  ["IA5String with the byte 0x7f", [[O, 0x16, [0x61, 0x7f]]]],
  ["T61String with Latin-1 bytes", [[O, 0x14, [0x5a, 0xfc, 0x72, 0x69, 0x63, 0x68]]]],
  ["UTF8String with a BOM", [[CN, 0x0c, [0xef, 0xbb, 0xbf, 0x61]]]],
  ["UTF8String with a NUL", [[O, 0x0c, "system:masters\u0000"]]],
  ["UTF8String, invalid", [[O, 0x0c, [0x61, 0xff]]]],
  ["UTF8String, overlong", [[O, 0x0c, [0xc0, 0xaf]]]],
  ["UTF8String, an encoded surrogate", [[O, 0x0c, [0xed, 0xa0, 0x80]]]],
  ["UniversalString CN (Go ignores it)", [[CN, 0x1c, [0, 0, 0, 0x61]]]],
  [
    "VisibleString O (Go ignores it)",
    [
      [O, 0x1a, "system:masters"],
      [O, 0x0c, "dev"],
    ],
  ],
  ["GeneralString O (Go ignores it)", [[O, 0x1b, "system:masters"]]],
  ["INTEGER CN (Go ignores it)", [[CN, 0x02, [0x05]]]],
  ["OCTET STRING O (Go ignores it)", [[O, 0x04, "system:masters"]]],
  ["context-specific O (Go ignores it)", [[O, 0x80, "system:masters"]]],
  [
    "a second, ignored CN before the real one",
    [
      [CN, 0x1c, [0, 0, 0, 0x62]],
      [CN, 0x0c, "a"],
    ],
  ],
];

describe("subject strings are read as Go's crypto/x509 reads them", () => {
  const ders = cases.map(([, attrs]) => makeCsrDer({ subjectDer: nameDer(attrs), dns: ["a"] }));
  const go = goCheck(
    ders.map((der, i) => ({
      id: String(i),
      request: toPem(der),
      signerName: "example.com/x",
      usages: ["client auth"],
    })),
  );

  it.each(cases.map(([name], i) => [name, i] as const))("%s", (_name, i) => {
    const ours = decodeRequestDer(ders[i] ?? new Uint8Array());
    const theirs = go[i];
    if (theirs === undefined) throw new Error("no Go answer");
    if (theirs.parseError !== "") {
      expect(ours.ok ? "decoded" : ours.error.code).toBe("malformed-der");
      return;
    }
    expect(ours.ok ? ours.request.subject : ours.error).toMatchObject({
      commonName: theirs.subject?.commonName,
      organizations: theirs.subject?.organizations,
      organizationalUnits: theirs.subject?.organizationalUnits,
    });
  });

  it("reads a BMPString O of system:masters + NUL as system:masters, as Go does", () => {
    const ours = decodeRequestDer(ders[0] ?? new Uint8Array());
    expect(ours.ok && ours.request.subject.organizations).toEqual(["system:masters"]);
    expect(go[0]?.subject?.organizations).toEqual(["system:masters"]);
  });

  it("Go refuses the rows the decoder refuses, and accepts the others (both ways checked)", () => {
    const refusedByGo = go.filter((g) => g.parseError !== "").map((g) => cases[Number(g.id)]?.[0]);
    expect(refusedByGo).toEqual([
      "BMPString of an odd length",
      "BMPString with a surrogate",
      "BMPString with U+FFFE",
      "BMPString with U+FDD0",
      "BMPString with U+FDEF",
      "BMPString with U+FFFF",
      "BMPString with a lone U+D800",
      "BMPString with a lone U+DFFF",
      "PrintableString with _",
      "PrintableString with @",
      "PrintableString with a NUL",
      "NumericString with a letter",
      "IA5String with a byte above 0x7f",
      "IA5String with the byte 0x80",
      "UTF8String, invalid",
      "UTF8String, overlong",
      "UTF8String, an encoded surrogate",
    ]);
  });
});
