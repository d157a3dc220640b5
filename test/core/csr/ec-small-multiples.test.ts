/**
 * ECDSA keys whose private key anyone can find by counting, through the whole decoder: a request
 * whose public point is k*G or -(k*G) (that is (n-k)*G) for k from 1 to SMALL_MULTIPLES is
 * flagged with its exact message on P-256, P-384 and P-521; the first multiple past the bound and
 * a generated key are not. The points come from node:crypto (ECDH with the private key k), and
 * the negatives are the same points with y replaced by p - y.
 */
import { createECDH, createPublicKey, generateKeyPairSync, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SMALL_MULTIPLES } from "../../../src/core/csr/key-defects.ts";
import { decodeRequestDer } from "../../../src/core/csr/request.ts";
import type { DecodedRequest } from "../../../src/core/csr/types.ts";
import { ecKeyWithPrivate } from "../../support/hostile-keys.ts";
import { makeCsrDer } from "../../support/make-csr.ts";

type CurveName = "P-256" | "P-384" | "P-521";

const CURVES: Readonly<Record<CurveName, { ecdh: string; bytes: number; p: bigint }>> = {
  "P-256": {
    ecdh: "prime256v1",
    bytes: 32,
    p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
  },
  "P-384": {
    ecdh: "secp384r1",
    bytes: 48,
    p: 2n ** 384n - 2n ** 128n - 2n ** 96n + 2n ** 32n - 1n,
  },
  "P-521": { ecdh: "secp521r1", bytes: 66, p: 2n ** 521n - 1n },
};

const ECDSA_SHA256 = "1.2.840.10045.4.3.2";

/** The uncompressed point k*G (04 || X || Y) from node:crypto. */
function multiple(curve: CurveName, k: bigint): Buffer {
  const { ecdh, bytes } = CURVES[curve];
  const e = createECDH(ecdh);
  e.setPrivateKey(Buffer.from(k.toString(16).padStart(bytes * 2, "0"), "hex"));
  return e.getPublicKey();
}

/** The point with y replaced by p - y: -(k*G), whose private key is n - k. */
function negated(curve: CurveName, point: Buffer): Buffer {
  const { bytes, p } = CURVES[curve];
  const y = BigInt(`0x${point.subarray(1 + bytes).toString("hex")}`);
  const minusY = Buffer.from((p - y).toString(16).padStart(bytes * 2, "0"), "hex");
  return Buffer.concat([point.subarray(0, 1 + bytes), minusY]);
}

function spkiOf(curve: CurveName, point: Buffer): Uint8Array {
  const { bytes } = CURVES[curve];
  const key = createPublicKey({
    key: {
      kty: "EC",
      crv: curve,
      x: point.subarray(1, 1 + bytes).toString("base64url"),
      y: point.subarray(1 + bytes).toString("base64url"),
    },
    format: "jwk",
  });
  return new Uint8Array(key.export({ format: "der", type: "spki" }));
}

/** A request for k*G (k > 0, signed with k) or -(|k|*G) (k < 0, signed with another key). */
function requestFor(curve: CurveName, k: bigint): DecodedRequest {
  const der =
    k > 0n
      ? makeCsrDer({ keyPair: ecKeyWithPrivate(curve, k) })
      : makeCsrDer({
          customKey: {
            spkiDer: spkiOf(curve, negated(curve, multiple(curve, -k))),
            sigOid: ECDSA_SHA256,
            sign: (info) =>
              new Uint8Array(sign("sha256", info, ecKeyWithPrivate(curve, 5n).privateKey)),
          },
        });
  const result = decodeRequestDer(der);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.request;
}

const flagged = (curve: CurveName) => [
  {
    code: "key-ec-known-private-key",
    message: `${curve} public key is a small multiple of the generator (or its negative): its private key is known`,
  },
];

const LAST = BigInt(SMALL_MULTIPLES);

describe.each(["P-256", "P-384", "P-521"] as const)("%s public points", (curve) => {
  // First in the file for each curve: the set of small multiples is computed once per module
  // load, so only the test that first decodes a key of the curve runs that code, and per-test
  // coverage (Stryker) credits it alone. It must therefore check the whole range itself.
  it("every case in one pass: 1, 2, LAST and their negatives flagged, LAST + 1 not", () => {
    const defects = [1n, 2n, LAST, -1n, -2n, -LAST, LAST + 1n, -(LAST + 1n)].map(
      (k) => requestFor(curve, k).keyDefects,
    );
    expect(defects).toEqual([...new Array<unknown>(6).fill(flagged(curve)), [], []]);
  });

  it("the negated point is what its name says: same x, y = p - y, on the curve", () => {
    const g = multiple(curve, 1n);
    const minusG = negated(curve, g);
    const { bytes, p } = CURVES[curve];
    expect(minusG.subarray(0, 1 + bytes)).toEqual(g.subarray(0, 1 + bytes));
    expect(minusG.equals(g)).toBe(false);
    const y = BigInt(`0x${g.subarray(1 + bytes).toString("hex")}`);
    const minusY = BigInt(`0x${minusG.subarray(1 + bytes).toString("hex")}`);
    expect(y + minusY).toBe(p);
    // node:crypto loads it, so it is a point of the curve.
    expect(spkiOf(curve, minusG).length).toBeGreaterThan(bytes * 2);
  });

  it.each([1n, 2n, 3n, 4n, 7n, 100n, LAST - 1n, LAST])(
    "k*G for k = %s is flagged, and its signature verifies",
    (k) => {
      const request = requestFor(curve, k);
      expect(request.publicKey).toEqual({ algorithm: "ECDSA", curve });
      expect(request.signatureValid).toBe(true);
      expect(request.keyDefects).toEqual(flagged(curve));
    },
  );

  it.each([1n, 2n, 3n, LAST])("-(k*G), the private key n - k, for k = %s is flagged", (k) => {
    const request = requestFor(curve, -k);
    expect(request.publicKey).toEqual({ algorithm: "ECDSA", curve });
    expect(request.keyDefects).toEqual(flagged(curve));
  });

  it.each([LAST + 1n, -(LAST + 1n)])("k = %s, past the bound, is not flagged", (k) => {
    expect(requestFor(curve, k).keyDefects).toEqual([]);
  });

  it("a generated key is not flagged", () => {
    const pair = generateKeyPairSync("ec", { namedCurve: curve });
    const request = decodeRequestDer(makeCsrDer({ keyPair: pair }));
    expect(request.ok && request.request.keyDefects).toEqual([]);
    expect(request.ok && request.request.signatureValid).toBe(true);
  });
});
