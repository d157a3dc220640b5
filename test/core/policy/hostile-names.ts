/**
 * Seeded generators of CSRs whose subject strings and SAN values are hostile: NUL and other
 * controls, stars and at-signs, non-ASCII, every ASN.1 string type (some Go refuses, some it
 * ignores), IP SANs of any bytes, for every Kubernetes signer. Shared by the fuzz run and the
 * cross-check against Go.
 */
import fc from "fast-check";
import {
  concat,
  derTlv,
  kubeletClient,
  kubeletServing,
  oidDer,
  userClient,
  type MakeCsrObjectOptions,
} from "../../support/make-csr.ts";

const PIECES = [
  "a",
  "node-1",
  "system:masters",
  "system:node:node-1",
  "kubernetes",
  "default",
  "svc",
  "*",
  ".",
  "@",
  ":",
  "/",
  "%",
  "%zz",
  " ",
  "\u0000",
  "\t",
  "\n",
  "\u007f",
  "é",
  "\u202e",
  "\u200b",
  "\ufeff",
  "_",
  "&",
  "example.com",
  "spiffe://td/",
  "https://",
];

/** Text made of pieces that matter to parsers and matchers. */
const hostileText = fc
  .array(fc.constantFrom(...PIECES), { minLength: 0, maxLength: 5 })
  .map((p) => p.join(""));

/** ASCII text only: what a SAN builder can encode as IA5String. */
const hostileAscii = hostileText.map((t) => t.replace(/[^\p{ASCII}]/gu, "x"));

/** The string types: UTF8, Printable, IA5, T61, BMP, Numeric, Universal, Visible. */
const STRING_TAGS = [0x0c, 0x13, 0x16, 0x14, 0x1e, 0x12, 0x1c, 0x1a] as const;

function encode(tag: number, text: string): Uint8Array {
  const units = (width: 2 | 4): number[] => {
    const out: number[] = [];
    for (let i = 0; i < text.length; i++) {
      const u = text.charCodeAt(i);
      if (width === 4) out.push(0, 0);
      out.push(u >> 8, u & 0xff);
    }
    return out;
  };
  if (tag === 0x1e) return Uint8Array.from(units(2));
  if (tag === 0x1c) return Uint8Array.from(units(4));
  if (tag === 0x14) return Uint8Array.from(units(2).filter((_, i) => i % 2 === 1));
  return new TextEncoder().encode(text);
}

const attribute = fc.record({
  oid: fc.constantFrom("2.5.4.3", "2.5.4.10", "2.5.4.11"),
  tag: fc.constantFrom(...STRING_TAGS),
  text: hostileText,
});

function nameDer(attrs: readonly { oid: string; tag: number; text: string }[]): Uint8Array {
  return derTlv(
    0x30,
    concat(
      attrs.map((a) =>
        derTlv(0x31, derTlv(0x30, concat([oidDer(a.oid), derTlv(a.tag, encode(a.tag, a.text))]))),
      ),
    ),
  );
}

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((b) => b.join("."));
const ipv6 = fc
  .array(fc.nat(0xffff), { minLength: 8, maxLength: 8 })
  .map((g) => g.map((x) => x.toString(16)).join(":"));

const BASES = {
  serving: () => kubeletServing("node-1"),
  client: () => kubeletClient("node-1"),
  user: () => userClient("alice"),
};

/** A request from one of the three Kubernetes signers' usual requesters, with hostile names. */
export const hostileCsr: fc.Arbitrary<MakeCsrObjectOptions> = fc
  .record({
    base: fc.constantFrom("serving", "client", "user"),
    subject: fc.option(fc.array(attribute, { minLength: 1, maxLength: 3 }), { nil: undefined }),
    dns: fc.array(hostileAscii, { maxLength: 2 }),
    emails: fc.array(hostileAscii, { maxLength: 2 }),
    uris: fc.array(hostileAscii, { maxLength: 1 }),
    ips: fc.array(fc.oneof(ipv4, ipv6), { maxLength: 2 }),
  })
  .map(({ base, subject, dns, emails, uris, ips }) => {
    const csr: MakeCsrObjectOptions = { ...BASES[base](), dns, emails, uris, ips };
    if (subject !== undefined) csr.subjectDer = nameDer(subject);
    return csr;
  });
