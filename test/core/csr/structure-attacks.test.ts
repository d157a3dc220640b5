/**
 * Attacks on the structure of a request, each asserted with the exact outcome: the error code and
 * message, or the decoded value. Requests are built byte by byte (test/support/der-builder.ts)
 * and signed with a real key, so only the attacked part is unusual.
 */
import { sign, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodeRequestDer } from "../../../src/core/csr/decode.ts";
import { verifySignature, type SignatureScheme } from "../../../src/core/csr/signature.ts";
import type { DecodedRequest } from "../../../src/core/csr/types.ts";
import {
  attribute,
  buildRequest,
  cnName,
  dnsNames,
  extension,
  extensionRequest,
  NULL,
  oid,
  OIDS,
  seq,
  set,
  tlv,
  utf8,
} from "../../support/der-builder.ts";
import { cachedKeyPair } from "../../support/make-csr.ts";

function decoded(der: Uint8Array): DecodedRequest {
  const result = decodeRequestDer(der);
  if (!result.ok) throw new Error(`expected a decoded request, got ${JSON.stringify(result)}`);
  return result.request;
}

function refusal(der: Uint8Array): { code: string; message: string } {
  const result = decodeRequestDer(der);
  if (result.ok) throw new Error("expected a refusal, the request decoded");
  return result.error;
}

const sanExt = (...names: string[]): number[] => extension(OIDS.subjectAltName, dnsNames(...names));

describe("extensionRequest attributes", () => {
  it("one attribute: its SANs and extensions are read", () => {
    const request = decoded(buildRequest({ attributes: [extensionRequest(sanExt("a.example"))] }));
    expect(request.subjectAltNames).toEqual([{ type: "DNS", value: "a.example" }]);
    expect(request.extensions).toEqual([
      { oid: OIDS.subjectAltName, name: "subjectAltName", critical: false },
    ]);
    expect(request.signatureValid).toBe(true);
  });

  // Go's x509.ParseCertificateRequest merges the extensions of every extensionRequest attribute
  // (and the signer issues them all); reading only the first would hide the second's SANs. The
  // decoder refuses instead of merging: one reading, and a reviewer sees nothing partial.
  it("two attributes are refused, so the second's SANs cannot hide", () => {
    const der = buildRequest({
      attributes: [extensionRequest(sanExt("a.example")), extensionRequest(sanExt("evil.example"))],
    });
    expect(refusal(der)).toEqual({
      code: "malformed-extension",
      message: "more than one extensionRequest attribute",
    });
  });

  it("two attributes are refused even when the first holds no SAN", () => {
    const der = buildRequest({
      attributes: [
        extensionRequest(extension("1.3.6.1.4.1.99999.1", NULL)),
        extensionRequest(sanExt("evil.example")),
      ],
    });
    expect(refusal(der).message).toBe("more than one extensionRequest attribute");
  });

  it("one attribute with two values is refused (Go reads only the first value)", () => {
    const der = buildRequest({
      attributes: [
        attribute(OIDS.extensionRequest, seq(sanExt("a.example")), seq(sanExt("evil.example"))),
      ],
    });
    expect(refusal(der)).toEqual({
      code: "malformed-extension",
      message: "extensionRequest attribute must hold exactly one value",
    });
  });

  it("an attribute with no value is refused", () => {
    const der = buildRequest({ attributes: [attribute(OIDS.extensionRequest)] });
    expect(refusal(der).message).toBe("extensionRequest attribute must hold exactly one value");
  });

  it("other attributes (challengePassword) are skipped and the extensionRequest still read", () => {
    const der = buildRequest({
      attributes: [
        attribute(OIDS.challengePassword, utf8("secret")),
        extensionRequest(sanExt("a.example")),
      ],
    });
    expect(decoded(der).subjectAltNames).toEqual([{ type: "DNS", value: "a.example" }]);
  });

  it("no attribute at all: no extensions and no SANs", () => {
    const request = decoded(
      buildRequest({ attributes: [attribute(OIDS.challengePassword, utf8("x"))] }),
    );
    expect(request.extensions).toEqual([]);
    expect(request.subjectAltNames).toEqual([]);
  });

  it("an extension list that is not a SEQUENCE is refused", () => {
    const der = buildRequest({ attributes: [attribute(OIDS.extensionRequest, set())] });
    expect(refusal(der)).toEqual({
      code: "malformed-extension",
      message: "extensionRequest is not in DER form: not a SEQUENCE of extensions",
    });
  });

  it("an extension listed twice is refused, by name", () => {
    const der = buildRequest({
      attributes: [
        extensionRequest(
          extension(OIDS.keyUsage, [0x03, 0x02, 0x05, 0xa0]),
          extension(OIDS.keyUsage, [0x03, 0x02, 0x07, 0x80]),
        ),
      ],
    });
    expect(refusal(der)).toEqual({
      code: "malformed-extension",
      message: "extension keyUsage appears twice",
    });
  });

  it("critical FALSE spelled out is not DER and refused", () => {
    const der = buildRequest({
      attributes: [
        extensionRequest(
          seq(oid(OIDS.subjectAltName), [0x01, 0x01, 0x00], tlv(0x04, dnsNames("a"))),
        ),
      ],
    });
    expect(refusal(der).message).toBe(
      "extensionRequest is not in DER form: an extension encodes critical FALSE, the default (not DER)",
    );
  });

  it("a critical extension is listed as critical", () => {
    const der = buildRequest({
      attributes: [extensionRequest(extension(OIDS.keyUsage, [0x03, 0x02, 0x05, 0xa0], true))],
    });
    expect(decoded(der).extensions).toEqual([
      { oid: OIDS.keyUsage, name: "keyUsage", critical: true },
    ]);
  });

  it.each<[string, string, number[], string]>([
    [
      "keyUsage as an INTEGER",
      OIDS.keyUsage,
      [0x02, 0x01, 0x05],
      "keyUsage: not in DER form: not a BIT STRING",
    ],
    [
      "extKeyUsage holding a NULL",
      OIDS.extKeyUsage,
      seq(NULL),
      "extKeyUsage: not in DER form: holds a non-OID",
    ],
    [
      "basicConstraints with cA FALSE spelled out",
      OIDS.basicConstraints,
      seq([0x01, 0x01, 0x00]),
      "basicConstraints: not in DER form: encodes cA FALSE, the default (not DER)",
    ],
    [
      "basicConstraints with a 9-byte path length",
      OIDS.basicConstraints,
      seq([0x01, 0x01, 0xff], [0x02, 0x09, 0x01, 0, 0, 0, 0, 0, 0, 0, 0]),
      "basicConstraints: not in DER form: path length is too large",
    ],
    [
      "basicConstraints with an extra element",
      OIDS.basicConstraints,
      seq([0x01, 0x01, 0xff], [0x02, 0x01, 0x01], NULL),
      "basicConstraints: not in DER form: elements [01 02 05], not an optional cA flag and an optional path length",
    ],
  ])("%s is refused", (_name, id, value, message) => {
    const der = buildRequest({ attributes: [extensionRequest(extension(id, value))] });
    expect(refusal(der)).toEqual({ code: "malformed-extension", message });
  });

  it.each<[string, string, number[]]>([
    ["keyUsage", OIDS.keyUsage, [0x03, 0x02, 0x05, 0xa0]],
    ["extKeyUsage", OIDS.extKeyUsage, seq(oid("1.3.6.1.5.5.7.3.1"))],
    [
      "basicConstraints with cA and a path length",
      OIDS.basicConstraints,
      seq([0x01, 0x01, 0xff], [0x02, 0x01, 0x00]),
    ],
    ["basicConstraints empty", OIDS.basicConstraints, seq()],
    [
      "basicConstraints with an 8-byte path length",
      OIDS.basicConstraints,
      seq([0x02, 0x08, 0x01, 0, 0, 0, 0, 0, 0, 0]),
    ],
  ])("a well-formed %s is accepted", (name, id, value) => {
    const der = buildRequest({ attributes: [extensionRequest(extension(id, value))] });
    expect(decoded(der).extensions.map((e) => e.name)).toEqual([name.split(" ")[0]]);
  });
});

describe("key and signature algorithm must belong together", () => {
  it("an ECDSA signature labelled sha256WithRSAEncryption does not verify", () => {
    // node:crypto would verify this ECDSA signature with the P-256 key whatever the label says.
    const der = buildRequest({ signatureAlgorithm: seq(oid(OIDS.sha256WithRSA), NULL) });
    const request = decoded(der);
    expect(request.signatureAlgorithm).toBe("sha256WithRSAEncryption");
    expect(request.signatureValid).toBe(false);
  });

  it("the same request labelled ecdsa-with-SHA256 verifies (the label is what failed)", () => {
    expect(decoded(buildRequest()).signatureValid).toBe(true);
  });

  it("an Ed25519 signature labelled ecdsa-with-SHA256 does not verify", () => {
    const ed = cachedKeyPair("ed25519");
    const der = buildRequest({
      keyPair: ed,
      sign: (data, key) => sign(null, data, key),
      signatureAlgorithm: seq(oid(OIDS.ecdsaWithSha256)),
    });
    expect(decoded(der).signatureValid).toBe(false);
    const honest = buildRequest({
      keyPair: ed,
      sign: (data, key) => sign(null, data, key),
      signatureAlgorithm: seq(oid(OIDS.ed25519)),
    });
    expect(decoded(honest)).toMatchObject({ signatureAlgorithm: "Ed25519", signatureValid: true });
  });

  it("an RSA signature labelled ecdsa-with-SHA256 does not verify", () => {
    const rsa = cachedKeyPair("rsa2048");
    const der = buildRequest({ keyPair: rsa, signatureAlgorithm: seq(oid(OIDS.ecdsaWithSha256)) });
    expect(decoded(der)).toMatchObject({
      publicKey: { algorithm: "RSA", bits: 2048 },
      signatureValid: false,
    });
  });

  it("a signature that is not even DER for the scheme does not verify and does not throw", () => {
    const der = buildRequest({ sign: () => Buffer.from([1, 2, 3]) });
    expect(decoded(der).signatureValid).toBe(false);
  });
});

describe("a signature check that node:crypto refuses to run is a signature that does not verify", () => {
  // No request reaches this: the RSASSA-PSS reader gives salt lengths 0 to 2^31 - 1, which
  // node:crypto takes, and for every key the decoder loads a bad signature is simply `false`.
  // Called directly, a scheme node:crypto refuses must fail closed, not pass.
  const rsa = cachedKeyPair("rsa2048");
  const info = Buffer.from("the CertificationRequestInfo");
  const signature = sign("sha256", info, { key: rsa.privateKey, padding: 6, saltLength: 32 });
  const scheme = (saltLength: number): SignatureScheme => ({
    name: "rsassa-pss-sha256",
    keyAlgorithm: "RSA",
    hash: "sha256",
    pss: { saltLength },
  });
  const check = (saltLength: number): boolean =>
    verifySignature(
      scheme(saltLength),
      { algorithm: "RSA", bits: 2048 },
      rsa.publicKey,
      info,
      signature,
    );

  it("the signature verifies with its own salt length", () => {
    expect(check(32)).toBe(true);
  });

  it.each<[string, number, RegExp]>([
    ["-5, which OpenSSL refuses when the check starts", -5, /invalid salt length/],
    ["2^31, which node:crypto refuses as an argument", 2 ** 31, /saltLength' is invalid/],
  ])("salt length %s: node:crypto throws, the signature does not verify", (_name, salt, thrown) => {
    expect(() =>
      verify("sha256", info, { key: rsa.publicKey, padding: 6, saltLength: salt }, signature),
    ).toThrow(thrown);
    expect(check(salt)).toBe(false);
  });
});

describe("RSASSA-PSS parameters", () => {
  const rsa = cachedKeyPair("rsa2048");
  const hashAlg = (h: string): number[] => seq(oid(h), NULL);
  const mgf1 = (h: string): number[] => seq(oid(OIDS.mgf1), hashAlg(h));
  const ctx = (n: number, ...c: number[][]): number[] => tlv(0xa0 + n, ...c);

  function pss(
    params: number[] | undefined,
    saltLength = 32,
    hash: "sha256" | "sha384" = "sha256",
  ): Uint8Array {
    return buildRequest({
      keyPair: rsa,
      signatureAlgorithm: seq(oid(OIDS.rsaPss), params ?? []),
      sign: (data, key) => sign(hash, data, { key, padding: 6, saltLength }),
    });
  }
  const full = (h: string, salt: number, trailer?: number): number[] =>
    seq(
      ctx(0, hashAlg(h)),
      ctx(1, mgf1(h)),
      ctx(2, [0x02, 0x01, salt]),
      trailer === undefined ? [] : ctx(3, [0x02, 0x01, trailer]),
    );

  it("SHA-256, MGF1-SHA-256, salt 32 verifies and is named", () => {
    expect(decoded(pss(full(OIDS.sha256, 32)))).toMatchObject({
      signatureAlgorithm: "rsassa-pss-sha256",
      signatureValid: true,
    });
  });

  it("SHA-384 with its salt verifies", () => {
    expect(decoded(pss(full(OIDS.sha384, 48), 48, "sha384"))).toMatchObject({
      signatureAlgorithm: "rsassa-pss-sha384",
      signatureValid: true,
    });
  });

  it("the salt length is taken from the parameters: a different one does not verify", () => {
    expect(decoded(pss(full(OIDS.sha256, 20), 32)).signatureValid).toBe(false);
    expect(decoded(pss(full(OIDS.sha256, 20), 20)).signatureValid).toBe(true);
  });

  it("empty parameters mean the RFC 4055 defaults: SHA-1, MGF1-SHA-1, salt 20", () => {
    const der = buildRequest({
      keyPair: rsa,
      signatureAlgorithm: seq(oid(OIDS.rsaPss), seq()),
      sign: (data, key) => sign("sha1", data, { key, padding: 6, saltLength: 20 }),
    });
    expect(decoded(der)).toMatchObject({
      signatureAlgorithm: "rsassa-pss-sha1",
      signatureValid: true,
    });
  });

  it("an explicit trailerField 1 is accepted", () => {
    expect(decoded(pss(full(OIDS.sha256, 32, 1))).signatureValid).toBe(true);
  });

  const unsupported = "RSASSA-PSS with other than MGF1 of the same SHA hash is not supported";
  it.each<[string, number[] | undefined, string]>([
    ["no parameters", undefined, "RSASSA-PSS without parameters is not supported"],
    [
      "MGF1 over another hash",
      seq(ctx(0, hashAlg(OIDS.sha256)), ctx(1, mgf1(OIDS.sha384)), ctx(2, [0x02, 0x01, 32])),
      unsupported,
    ],
    [
      "a mask generation function that is not MGF1",
      seq(
        ctx(0, hashAlg(OIDS.sha256)),
        ctx(1, seq(oid("1.2.3.4"), hashAlg(OIDS.sha256))),
        ctx(2, [0x02, 0x01, 32]),
      ),
      unsupported,
    ],
    [
      "MGF1 whose parameters are not an AlgorithmIdentifier",
      seq(
        ctx(0, hashAlg(OIDS.sha256)),
        ctx(1, seq(oid(OIDS.mgf1), [0x02, 0x01, 0x01])),
        ctx(2, [0x02, 0x01, 32]),
      ),
      unsupported,
    ],
    [
      "an unknown hash",
      seq(ctx(0, hashAlg("1.2.3.4")), ctx(1, mgf1("1.2.3.4")), ctx(2, [0x02, 0x01, 32])),
      unsupported,
    ],
    ["trailerField 2", full(OIDS.sha256, 32, 2), unsupported],
  ])("%s is refused", (_name, params, message) => {
    expect(refusal(pss(params))).toEqual({ code: "unsupported-signature-algorithm", message });
  });

  it("parameters that do not parse are refused", () => {
    const error = refusal(pss([0x04, 0x00]));
    expect(error.code).toBe("unsupported-signature-algorithm");
    expect(error.message).toMatch(/^RSASSA-PSS parameters do not parse: ./);
  });
});

describe("signature algorithms by name", () => {
  it.each<[string, string]>([
    [
      "1.2.840.113549.1.1.4",
      "signature algorithm md5WithRSAEncryption (1.2.840.113549.1.1.4) is not supported",
    ],
    [
      "1.2.840.10045.4.3.1",
      "signature algorithm ecdsa-with-SHA224 (1.2.840.10045.4.3.1) is not supported",
    ],
    ["1.3.101.113", "signature algorithm Ed448 (1.3.101.113) is not supported"],
    ["1.2.3.4.5", "signature algorithm 1.2.3.4.5 is not supported"],
  ])("%s is refused by name", (id, message) => {
    expect(refusal(buildRequest({ signatureAlgorithm: seq(oid(id)) }))).toEqual({
      code: "unsupported-signature-algorithm",
      message,
    });
  });
});

describe("size caps", () => {
  /** A request padded with an unknown extension to exactly `size` bytes. */
  function ofSize(size: number): Uint8Array {
    let pad =
      size -
      buildRequest({
        attributes: [extensionRequest(extension("1.3.6.1.4.1.99999.1", octetsOf(0)))],
      }).length;
    for (;;) {
      const der = buildRequest({
        attributes: [extensionRequest(extension("1.3.6.1.4.1.99999.1", octetsOf(pad)))],
      });
      if (der.length === size) return der;
      pad += size - der.length;
    }
  }
  const octetsOf = (n: number): number[] => tlv(0x04, new Array<number>(n).fill(0x61));

  it("a request of exactly 64 KiB decodes", () => {
    const der = ofSize(64 * 1024);
    expect(der.length).toBe(65536);
    expect(decoded(der).signatureValid).toBe(true);
  });

  it("one byte more is refused before parsing, with both sizes named", () => {
    expect(refusal(ofSize(64 * 1024 + 1))).toEqual({
      code: "input-too-large",
      message: "request of 65537 bytes exceeds the 65536-byte limit",
    });
  });

  /** An RSA SPKI whose modulus has exactly `bits` bits (not a real key: the cap comes first). */
  function rsaSpki(bits: number): number[] {
    const bytes = Math.ceil(bits / 8);
    const top = (1 << (bits - (bytes - 1) * 8)) - 1;
    const modulus = [top, ...new Array<number>(bytes - 1).fill(0xff)];
    // A sign byte only where DER needs one (top bit set); a needless one is not DER.
    const integer = tlv(0x02, top >= 0x80 ? [0x00] : [], modulus);
    const key = seq(integer, [0x02, 0x03, 0x01, 0x00, 0x01]);
    return seq(seq(oid(OIDS.rsaEncryption), NULL), tlv(0x03, [0x00], key));
  }

  it("an RSA modulus of 16385 bits is refused before any key math", () => {
    expect(refusal(buildRequest({ spki: rsaSpki(16385) }))).toEqual({
      code: "invalid-public-key",
      message: "RSA modulus of 16385 bits exceeds the 16384-bit limit",
    });
  });

  it("an RSA modulus of exactly 16384 bits passes the cap and is measured exactly", () => {
    const request = decoded(buildRequest({ spki: rsaSpki(16384) }));
    expect(request.publicKey).toEqual({ algorithm: "RSA", bits: 16384 });
    expect(request.signatureValid).toBe(false);
  });

  it.each([1025, 2047, 2049, 3000])("an RSA modulus of %i bits is measured exactly", (bits) => {
    expect(decoded(buildRequest({ spki: rsaSpki(bits) })).publicKey).toEqual({
      algorithm: "RSA",
      bits,
    });
  });
});

describe("strict DER of the request itself", () => {
  it("a version INTEGER with a needless leading zero byte is refused", () => {
    const error = refusal(buildRequest({ version: [0x02, 0x02, 0x00, 0x00] }));
    expect(error.code).toBe("malformed-der");
    expect(error.message).toMatch(/^not in DER form: non-minimal INTEGER encoding at byte \d+$/);
  });

  it("a version of 9 bytes is refused (Go reads it into an int)", () => {
    expect(refusal(buildRequest({ version: [0x02, 0x09, 0x01, 0, 0, 0, 0, 0, 0, 0, 0] }))).toEqual({
      code: "malformed-der",
      message: "not a DER CertificationRequest: version is too large",
    });
  });

  it("a version of 8 bytes is accepted", () => {
    expect(
      decoded(buildRequest({ version: [0x02, 0x08, 0x01, 0, 0, 0, 0, 0, 0, 0] })).signatureValid,
    ).toBe(true);
  });

  it("a non-minimal INTEGER inside the RSA key is refused", () => {
    const { publicKey } = cachedKeyPair("rsa2048");
    const error = refusal(
      buildRequest({ spki: respki([...publicKey.export({ type: "spki", format: "der" })]) }),
    );
    expect(error).toEqual({
      code: "invalid-public-key",
      message: "RSA key is not in DER form: non-minimal INTEGER encoding at byte 265",
    });
  });

  it.each([1, 2, 100])("%i bytes of trailing data are refused and counted", (n) => {
    const der = Uint8Array.from([...buildRequest(), ...new Array<number>(n).fill(0)]);
    expect(refusal(der)).toEqual({
      code: "trailing-data",
      message: `${n} bytes of trailing data after the request`,
    });
  });

  it("a truncated request is refused with both lengths", () => {
    const der = buildRequest();
    expect(refusal(der.subarray(0, der.length - 1))).toEqual({
      code: "malformed-der",
      message: `truncated: the request declares ${der.length} bytes but ${der.length - 1} are present`,
    });
  });

  it("a request that does not start with a SEQUENCE is refused", () => {
    const der = buildRequest();
    const changed = Uint8Array.from(der);
    changed[0] = 0x31;
    expect(refusal(changed)).toEqual({
      code: "malformed-der",
      message: "not a DER CertificationRequest: does not start with a SEQUENCE",
    });
  });

  it("a fifth element in the CertificationRequestInfo is refused", () => {
    const { privateKey, publicKey } = cachedKeyPair("p256");
    const spki = [...publicKey.export({ type: "spki", format: "der" })];
    const info = seq([0x02, 0x01, 0x00], cnName("web"), spki, tlv(0xa0), NULL);
    const der = Uint8Array.from(
      seq(
        info,
        seq(oid(OIDS.ecdsaWithSha256)),
        tlv(0x03, [0x00], [...sign("sha256", Buffer.from(info), privateKey)]),
      ),
    );
    expect(refusal(der)).toEqual({
      code: "malformed-der",
      message:
        "not a DER CertificationRequest: CertificationRequestInfo has elements [02 30 30 a0 05] where [02 30 30 a0] are expected",
    });
  });

  it("a signature BIT STRING with unused bits is refused", () => {
    const { privateKey, publicKey } = cachedKeyPair("p256");
    const spki = [...publicKey.export({ type: "spki", format: "der" })];
    const info = seq([0x02, 0x01, 0x00], cnName("web"), spki, tlv(0xa0));
    const signature = [...sign("sha256", Buffer.from(info), privateKey)];
    // One unused bit, and the padding bit clear, so only the unused-bits count is wrong.
    signature[signature.length - 1] = (signature.at(-1) ?? 0) & 0xfe;
    const der = Uint8Array.from(
      seq(info, seq(oid(OIDS.ecdsaWithSha256)), tlv(0x03, [0x01], signature)),
    );
    expect(refusal(der)).toEqual({
      code: "malformed-der",
      message: "not a DER CertificationRequest: signature has unused bits",
    });
  });

  it("an attribute whose values are a SEQUENCE, not a SET, is refused", () => {
    const der = buildRequest({
      attributes: [seq(oid(OIDS.extensionRequest), seq(seq(sanExt("a"))))],
    });
    expect(refusal(der)).toEqual({
      code: "malformed-der",
      message:
        "not a DER CertificationRequest: attribute has elements [06 30] where [06 31] are expected",
    });
  });

  it("an attribute that is not a SEQUENCE is refused", () => {
    const der = buildRequest({ attributes: [set(oid(OIDS.extensionRequest))] });
    expect(refusal(der)).toEqual({
      code: "malformed-der",
      message: "not a DER CertificationRequest: attribute is not a SEQUENCE",
    });
  });

  it("a signatureAlgorithm with a third element is refused", () => {
    expect(
      refusal(buildRequest({ signatureAlgorithm: seq(oid(OIDS.ecdsaWithSha256), NULL, NULL) })),
    ).toEqual({
      code: "malformed-der",
      message:
        "not a DER CertificationRequest: signatureAlgorithm is not an OID with at most one parameters element",
    });
  });
});

describe("every GeneralName form is kept, none dropped", () => {
  const withSan = (...names: number[][]): DecodedRequest =>
    decoded(
      buildRequest({
        attributes: [extensionRequest(extension(OIDS.subjectAltName, seq(...names)))],
      }),
    );

  it("keeps each form, in order, with its type and value", () => {
    const request = withSan(
      tlv(0x82, [...Buffer.from("a.example")]),
      tlv(0x81, [...Buffer.from("a@example.com")]),
      tlv(0x86, [...Buffer.from("spiffe://x/y")]),
      tlv(0x87, [10, 0, 0, 1]),
      tlv(0x87, [0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
      tlv(0x88, oid("1.2.3.4").slice(2)),
      tlv(0xa0, oid("1.3.6.1.4.1.311.20.2.3"), tlv(0xa0, utf8("upn@example.com"))),
      tlv(0xa4, cnName("dir")),
      tlv(0xa3, NULL),
      tlv(0xa5, tlv(0x81, utf8("party"))),
    );
    expect(request.subjectAltNames).toEqual([
      { type: "DNS", value: "a.example" },
      { type: "email", value: "a@example.com" },
      { type: "URI", value: "spiffe://x/y" },
      { type: "IP", value: "10.0.0.1", version: 4 },
      { type: "IP", value: "fd00::1", version: 6 },
      { type: "other", value: "registeredID:1.2.3.4" },
      { type: "other", value: "otherName:1.3.6.1.4.1.311.20.2.3" },
      { type: "other", value: "directoryName:CN=dir" },
      { type: "other", value: "x400Address" },
      { type: "other", value: "ediPartyName" },
    ]);
  });

  it.each<[string, number[], string]>([
    ["an unknown tag", tlv(0x89, [1]), "subjectAltName: unknown GeneralName tag 0x89"],
    ["an IP of 5 bytes", tlv(0x87, [1, 2, 3, 4, 5]), "subjectAltName: IP address of 5 bytes"],
    [
      "an email with a byte above 0x7f",
      tlv(0x81, [0x61, 0x80]),
      "subjectAltName: a name is not ASCII (IA5String)",
    ],
    [
      "a URI with a byte above 0x7f",
      tlv(0x86, [0xff]),
      "subjectAltName: a name is not ASCII (IA5String)",
    ],
    [
      "a registeredID that is not an OID",
      tlv(0x88, [0x80]),
      "subjectAltName: registeredID is not an OID",
    ],
    [
      "an otherName without a type OID",
      tlv(0xa0, utf8("x")),
      "subjectAltName: otherName without a type OID",
    ],
  ])("%s is refused", (_name, name, message) => {
    const der = buildRequest({
      attributes: [extensionRequest(extension(OIDS.subjectAltName, seq(name)))],
    });
    expect(refusal(der)).toEqual({ code: "malformed-extension", message });
  });

  it("a directoryName that is not a Name is shown as its bytes", () => {
    expect(withSan(tlv(0xa4, utf8("x"))).subjectAltNames).toEqual([
      { type: "other", value: "directoryName:#0c0178" },
    ]);
  });

  it("a byte of exactly 0x7f is still ASCII", () => {
    expect(withSan(tlv(0x82, [0x61, 0x7f])).subjectAltNames).toEqual([
      { type: "DNS", value: "a\u007f" },
    ]);
  });

  it("GeneralNames that is not a SEQUENCE is refused", () => {
    const der = buildRequest({
      attributes: [extensionRequest(extension(OIDS.subjectAltName, set(tlv(0x82, [0x61]))))],
    });
    expect(refusal(der)).toEqual({
      code: "malformed-extension",
      message: "subjectAltName: not a SEQUENCE of GeneralName",
    });
  });
});

/** The offset of `needle` in `haystack`. */
function indexOf(haystack: readonly number[], needle: readonly number[]): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  throw new Error("not found");
}

/** The RSA SPKI with its public exponent re-encoded with a needless leading zero. */
function respki(spki: number[]): number[] {
  // The 2048-bit modulus is INTEGER 02 82 01 01 (257 bytes with the sign byte); the exponent
  // 65537 (02 03 01 00 01) ends the SPKI.
  const modulusStart = indexOf(spki, [0x02, 0x82, 0x01, 0x01]);
  const modulus = spki.slice(modulusStart, modulusStart + 4 + 257);
  const algorithm = seq(oid(OIDS.rsaEncryption), NULL);
  const key = seq(modulus, [0x02, 0x04, 0x00, 0x01, 0x00, 0x01]);
  return seq(algorithm, tlv(0x03, [0x00], key));
}
