/**
 * Edges of certificateFacts. The extended key usages of an issued certificate, read whatever the
 * shape of the extension (a long list with a long-form DER length, an element that is not an
 * OID): each usage outside spec.usages is named, and an extension that does not decode is named
 * too, never skipped. A serial with zero bytes inside, and an issuer Go would refuse.
 */
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  Certificate,
  Extension,
  Extensions,
  Name,
  RelativeDistinguishedName,
  TBSCertificate,
  Validity,
  Version,
} from "@peculiar/asn1-x509";
import { CertificationRequest } from "@peculiar/asn1-csr";
import { describe, expect, it } from "vitest";
import { decodeCsrPem } from "../../../src/core/csr/decode.ts";
import { certificateFacts } from "../../../src/core/record/certificate-facts.ts";
import {
  concat,
  derTlv,
  makeCsrDer,
  oidDer,
  toPem,
  type MakeCsrOptions,
} from "../../support/make-csr.ts";

const REQUEST: MakeCsrOptions = { key: "p256", subject: { CN: "system:node:worker-1" } };
const request = (() => {
  const d = decodeCsrPem(toPem(makeCsrDer(REQUEST)));
  if (!d.ok) throw new Error(d.error.message);
  return d.csr.request;
})();
const SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
const CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

interface Parts {
  readonly serial?: number[];
  readonly issuer?: Name;
}

const cn = (value: AttributeValue): Name =>
  new Name([
    new RelativeDistinguishedName([new AttributeTypeAndValue({ type: "2.5.4.3", value })]),
  ]);

function certificateWith(
  extensions: { oid: string; value: Uint8Array }[],
  parts: Parts = {},
): string {
  const info = AsnConvert.parse(makeCsrDer(REQUEST), CertificationRequest).certificationRequestInfo;
  const algorithm = new AlgorithmIdentifier({ algorithm: "1.2.840.10045.4.3.2" });
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: Uint8Array.from(parts.serial ?? [1]).buffer,
    signature: algorithm,
    issuer: parts.issuer ?? cn(new AttributeValue({ utf8String: "ca" })),
    validity: new Validity({
      notBefore: new Date("2026-11-29T10:00:00.000Z"),
      notAfter: new Date("2026-11-30T10:00:00.000Z"),
    }),
    subject: info.subject,
    subjectPublicKeyInfo: info.subjectPKInfo,
    extensions: new Extensions(
      extensions.map(
        (e) =>
          new Extension({
            extnID: e.oid,
            critical: false,
            extnValue: new OctetString(e.value.slice().buffer),
          }),
      ),
    ),
  });
  const cert = new Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: algorithm,
    signatureValue: new Uint8Array(64).fill(7).buffer,
  });
  return toPem(new Uint8Array(AsnConvert.serialize(cert)), "CERTIFICATE");
}

function mismatches(extensions: { oid: string; value: Uint8Array }[]): readonly string[] {
  const facts = certificateFacts(certificateWith(extensions), request, ["server auth"]);
  if (!facts.ok) throw new Error(facts.error);
  return facts.certificate.mismatches;
}

const eku = (elements: Uint8Array[]) => ({
  oid: "2.5.29.37",
  value: derTlv(0x30, concat(elements)),
});

describe("extended key usages", () => {
  it("names client auth at the end of a list long enough for a long-form length", () => {
    const filler = Array.from({ length: 14 }, (_, i) =>
      oidDer(`1.3.6.1.4.1.99999.${String(i + 1)}`),
    );
    const list = eku([oidDer(SERVER_AUTH), ...filler, oidDer(CLIENT_AUTH)]);
    expect(list.value[1]).toBe(0x81); // the length of the SEQUENCE is in long form
    expect(mismatches([list])).toEqual([
      ...Array.from(
        { length: 14 },
        (_, i) => `extended key usage 1.3.6.1.4.1.99999.${String(i + 1)} was not requested`,
      ),
      "extended key usage client auth was not requested",
    ]);
  });

  it("names an extension whose list holds something other than an OID, rather than skip the rest", () => {
    const list = eku([derTlv(0x02, Uint8Array.of(1)), oidDer(CLIENT_AUTH)]);
    expect(mismatches([list])).toEqual(["the extendedKeyUsage extension does not decode"]);
  });

  it("names an extension that is not a list at all", () => {
    expect(mismatches([{ oid: "2.5.29.37", value: oidDer(CLIENT_AUTH) }])).toEqual([
      "the extendedKeyUsage extension does not decode",
    ]);
  });

  it("judges only the extendedKeyUsage extension, not another one shaped like it", () => {
    const lookalike = { ...eku([oidDer(CLIENT_AUTH)]), oid: "1.3.6.1.4.1.99999.1" };
    expect(mismatches([lookalike])).toEqual([]);
  });
});

describe("the certificate's own fields", () => {
  const facts = (parts: Parts) => certificateFacts(certificateWith([], parts), request, []);

  it("keeps zero bytes inside the serial", () => {
    const result = facts({ serial: [0x01, 0x00, 0x05] });
    expect(result.ok && result.certificate.serial).toBe("010005");
  });

  it("writes an issuer that Go would refuse as (unreadable)", () => {
    // An IA5String holds ASCII only; Go refuses the byte 0x80 in one.
    const issuer = cn(
      new AttributeValue({ anyValue: derTlv(0x16, Uint8Array.of(0x80)).slice().buffer }),
    );
    const result = facts({ issuer });
    expect(result.ok && result.certificate.issuer).toBe("(unreadable)");
  });
});

describe("size limits", () => {
  it("refuses a certificate whose extended key usage list has more than 4096 elements", () => {
    const many = eku(Array.from({ length: 4200 }, () => oidDer("1.2.3")));
    expect(certificateFacts(certificateWith([many]), request, [])).toEqual({
      ok: false,
      error: "the certificate does not parse: Maximum ASN.1 node count exceeded",
    });
  });

  it("refuses a certificate with an element over the decoder's 64 KiB limit", () => {
    const big = { oid: "1.3.6.1.4.1.99999.2", value: derTlv(0x04, new Uint8Array(70_000)) };
    const result = certificateFacts(certificateWith([big]), request, []);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.error).toMatch(/^the certificate does not parse: /);
  });
});
