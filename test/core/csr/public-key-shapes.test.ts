/**
 * Public keys of the wrong shape, through the whole decoder, each refused with its exact message
 * before node:crypto sees the key: an EC point that is not uncompressed or not of the curve's
 * size (node:crypto would accept a compressed point), EC parameters that are not a named curve,
 * an Ed25519 key of the wrong length, and key algorithms the decoder does not take.
 */
import { createECDH } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodeRequestDer } from "../../../src/core/csr/request.ts";
import {
  NULL,
  OIDS,
  buildRequest,
  octets,
  oid,
  seq,
  tlv,
  type Bytes,
} from "../../support/der-builder.ts";

const OID_EC = "1.2.840.10045.2.1";
const CURVES = {
  "P-256": { oid: "1.2.840.10045.3.1.7", ecdh: "prime256v1", bytes: 32 },
  "P-384": { oid: "1.3.132.0.34", ecdh: "secp384r1", bytes: 48 },
  "P-521": { oid: "1.3.132.0.35", ecdh: "secp521r1", bytes: 66 },
} as const;

const spki = (algorithm: Bytes, key: Bytes): number[] => seq(algorithm, tlv(0x03, [0x00], key));

function refusal(spkiDer: Bytes): { code: string; message: string } {
  const result = decodeRequestDer(buildRequest({ spki: spkiDer }));
  if (result.ok) throw new Error("expected a refusal, the request decoded");
  return result.error;
}

/** A real point of the curve in the given form ("uncompressed" or "compressed"). */
function point(curve: keyof typeof CURVES, form: "uncompressed" | "compressed"): number[] {
  const e = createECDH(CURVES[curve].ecdh);
  e.generateKeys();
  return [...e.getPublicKey(null, form)];
}

describe.each(["P-256", "P-384", "P-521"] as const)("%s points", (curve) => {
  const ecAlgorithm = seq(oid(OID_EC), oid(CURVES[curve].oid));
  const message = `${curve} key is not an uncompressed point of the curve's size`;
  const uncompressed = point(curve, "uncompressed");

  it.each([
    ["compressed (02/03 || X), which node:crypto would load", point(curve, "compressed")],
    ["uncompressed but with prefix 06 (hybrid)", [0x06, ...uncompressed.slice(1)]],
    ["uncompressed but with prefix 05", [0x05, ...uncompressed.slice(1)]],
    ["one byte short", uncompressed.slice(0, -1)],
    ["one byte long", [...uncompressed, 0x00]],
    ["the prefix alone", [0x04]],
  ])("%s is refused", (_name, key) => {
    expect(refusal(spki(ecAlgorithm, key))).toEqual({ code: "invalid-public-key", message });
  });

  it("the same point uncompressed decodes", () => {
    const result = decodeRequestDer(buildRequest({ spki: spki(ecAlgorithm, uncompressed) }));
    expect(result.ok && result.request.publicKey).toEqual({ algorithm: "ECDSA", curve });
  });
});

describe("EC parameters that are not a named curve", () => {
  const p256 = point("P-256", "uncompressed");
  const curveOidBody = oid(CURVES["P-256"].oid).slice(2);
  it.each([
    ["absent", seq(oid(OID_EC))],
    ["NULL", seq(oid(OID_EC), NULL)],
    ["the P-256 OID's bytes in an OCTET STRING", seq(oid(OID_EC), octets(curveOidBody))],
    ["the P-256 OID's bytes in a context tag [6]", seq(oid(OID_EC), tlv(0x86, curveOidBody))],
    ["explicit parameters (a SEQUENCE)", seq(oid(OID_EC), seq([0x02, 0x01, 0x01]))],
  ])("%s: refused", (_name, algorithm) => {
    expect(refusal(spki(algorithm, p256))).toEqual({
      code: "invalid-public-key",
      message: "EC key without a named curve",
    });
  });

  it("a named curve the decoder does not take is named", () => {
    expect(refusal(spki(seq(oid(OID_EC), oid("1.3.132.0.10")), p256))).toEqual({
      code: "unsupported-key-algorithm",
      message: "EC curve 1.3.132.0.10 is not P-256, P-384 or P-521",
    });
  });
});

describe("Ed25519 keys of the wrong length", () => {
  it.each([0, 31, 33, 64])("%s bytes: refused with the length", (length) => {
    expect(refusal(spki(seq(oid(OIDS.ed25519)), new Array<number>(length).fill(0x42)))).toEqual({
      code: "invalid-public-key",
      message: `Ed25519 key of ${length} bytes (want 32)`,
    });
  });
});

describe("key algorithms other than RSA, ECDSA and Ed25519", () => {
  it.each([
    ["1.2.840.10040.4.1", "DSA (1.2.840.10040.4.1)"],
    ["1.3.101.113", "Ed448 (1.3.101.113)"],
    ["1.3.101.110", "X25519 (1.3.101.110)"],
    ["1.3.101.111", "X448 (1.3.101.111)"],
    ["1.2.840.113549.1.1.10", "RSASSA-PSS (1.2.840.113549.1.1.10)"],
    ["1.2.3.4", "1.2.3.4"],
  ])("%s is refused as %s", (algorithmOid, named) => {
    expect(refusal(spki(seq(oid(algorithmOid)), new Array<number>(32).fill(0x42)))).toEqual({
      code: "unsupported-key-algorithm",
      message: `key algorithm ${named} is not RSA, ECDSA or Ed25519`,
    });
  });
});
