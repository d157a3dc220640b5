import { createPublicKey, type KeyObject } from "node:crypto";
import { decodeOid, readTlvHeader } from "./der.ts";
import { describeThrown, failure, type Failure } from "./decode-error.ts";
import { ecKeyDefects, ed25519KeyDefects, rsaKeyDefects, type KeyDefect } from "./key-defects.ts";
import { MAX_RSA_BITS } from "./limits.ts";
import type { AlgorithmIdentifier } from "./request-layout.ts";
import { readRsaPublicKey } from "./rsa-public-key.ts";
import type { PublicKeyInfo } from "./types.ts";

const OID_RSA = "1.2.840.113549.1.1.1";
const OID_EC = "1.2.840.10045.2.1";
const OID_ED25519 = "1.3.101.112";

const CURVES: Readonly<Record<string, { curve: "P-256" | "P-384" | "P-521"; bytes: number }>> = {
  "1.2.840.10045.3.1.7": { curve: "P-256", bytes: 32 },
  "1.3.132.0.34": { curve: "P-384", bytes: 48 },
  "1.3.132.0.35": { curve: "P-521", bytes: 66 },
};

const KEY_ALGORITHM_NAMES: Readonly<Record<string, string>> = {
  "1.2.840.10040.4.1": "DSA",
  "1.3.101.113": "Ed448",
  "1.3.101.110": "X25519",
  "1.3.101.111": "X448",
  "1.2.840.113549.1.1.10": "RSASSA-PSS",
};

export type PublicKeyResult =
  { ok: true; info: PublicKeyInfo; key: KeyObject; defects: KeyDefect[] } | Failure;

/** Bit length of a big-endian unsigned integer, ignoring leading zero bytes. */
function bitLength(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  const top = bytes[i];
  if (top === undefined) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(top));
}

/**
 * Names the key and loads it into node:crypto. RSA size = modulus bit length; it is read from the
 * encoding and capped before node:crypto touches the key, so a giant modulus costs nothing.
 */
export function decodePublicKey(
  algorithm: AlgorithmIdentifier,
  keyBytes: Uint8Array,
  spkiDer: Uint8Array,
): PublicKeyResult {
  const { oid } = algorithm;
  let info: PublicKeyInfo;
  let defects: KeyDefect[];
  if (oid === OID_RSA) {
    const rsa = readRsaPublicKey(keyBytes);
    if (!rsa.ok) {
      return failure(
        "invalid-public-key",
        rsa.notDer
          ? `RSA key is not in DER form: ${rsa.reason}`
          : `RSA key is not an RSAPublicKey: ${rsa.reason}`,
      );
    }
    const bits = bitLength(rsa.modulus);
    if (bits > MAX_RSA_BITS) {
      return failure(
        "invalid-public-key",
        `RSA modulus of ${bits} bits exceeds the ${MAX_RSA_BITS}-bit limit`,
      );
    }
    info = { algorithm: "RSA", bits };
    defects = rsaKeyDefects(rsa.modulus, rsa.exponent);
  } else if (oid === OID_EC) {
    const params = algorithm.parameters;
    const curveOid = params === undefined ? undefined : namedCurveOid(params);
    if (curveOid === undefined)
      return failure("invalid-public-key", "EC key without a named curve");
    const curve = CURVES[curveOid];
    if (curve === undefined)
      return failure(
        "unsupported-key-algorithm",
        `EC curve ${curveOid} is not P-256, P-384 or P-521`,
      );
    if (keyBytes.length !== 1 + 2 * curve.bytes || keyBytes[0] !== 0x04) {
      return failure(
        "invalid-public-key",
        `${curve.curve} key is not an uncompressed point of the curve's size`,
      );
    }
    info = { algorithm: "ECDSA", curve: curve.curve };
    defects = ecKeyDefects(curve.curve, keyBytes);
  } else if (oid === OID_ED25519) {
    if (keyBytes.length !== 32)
      return failure("invalid-public-key", `Ed25519 key of ${keyBytes.length} bytes (want 32)`);
    info = { algorithm: "Ed25519" };
    defects = ed25519KeyDefects(keyBytes);
  } else {
    const name = KEY_ALGORITHM_NAMES[oid];
    return failure(
      "unsupported-key-algorithm",
      `key algorithm ${name === undefined ? oid : `${name} (${oid})`} is not RSA, ECDSA or Ed25519`,
    );
  }
  try {
    const key = createPublicKey({
      key: Buffer.from(spkiDer.buffer, spkiDer.byteOffset, spkiDer.length),
      format: "der",
      type: "spki",
    });
    return { ok: true, info, key, defects };
  } catch (thrown) {
    return failure("invalid-public-key", `public key does not load: ${describeThrown(thrown)}`);
  }
}

function namedCurveOid(der: Uint8Array): string | undefined {
  const tlv = readTlvHeader(der, 0);
  if (!tlv.ok || tlv.tlv.tag !== 0x06 || tlv.tlv.end !== der.length) return undefined;
  return decodeOid(der.subarray(tlv.tlv.start, tlv.tlv.end));
}
