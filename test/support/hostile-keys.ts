/**
 * Keys that prove nothing, made for tests: RSA with a public exponent of 1 (the "signature" is
 * the padded digest itself, made without any private key), RSA keys with an even exponent or
 * modulus, ECDSA keys whose private key is a small number, and an Ed25519 key of small order.
 * Each comes with what `makeCsrDer`'s `customKey` or `keyPair` option needs.
 */
import {
  createECDH,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  type KeyObject,
} from "node:crypto";
import type { MakeCsrOptions } from "./make-csr.ts";

type CustomKey = NonNullable<MakeCsrOptions["customKey"]>;

const SHA256_RSA = "1.2.840.113549.1.1.11";
const SHA256_DIGEST_INFO = Buffer.from("3031300d060960864801650304020105000420", "hex");

let rsaCache: { n: string; e: string; privateKey: KeyObject } | undefined;
/** One real RSA key per process (generation is slow). */
function baseRsa(): { n: string; e: string; privateKey: KeyObject } {
  if (rsaCache !== undefined) return rsaCache;
  const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = pair.publicKey.export({ format: "jwk" });
  rsaCache = { n: jwk.n ?? "", e: jwk.e ?? "", privateKey: pair.privateKey };
  return rsaCache;
}

function rsaSpki(n: string, e: string): Uint8Array {
  const key = createPublicKey({ key: { kty: "RSA", n, e }, format: "jwk" });
  return new Uint8Array(key.export({ format: "der", type: "spki" }));
}

/** EMSA-PKCS1-v1_5 of SHA-256(data), as long as the modulus: the "signature" when e = 1. */
function paddedDigest(data: Uint8Array, bytes: number): Uint8Array {
  const digestInfo = Buffer.concat([
    SHA256_DIGEST_INFO,
    createHash("sha256").update(data).digest(),
  ]);
  return Buffer.concat([
    Buffer.from([0, 1]),
    Buffer.alloc(bytes - 3 - digestInfo.length, 0xff),
    Buffer.from([0]),
    digestInfo,
  ]);
}

/** RSA with e = 1: its signature verifies, and no private key made it. */
export function rsaExponentOne(): CustomKey {
  const { n } = baseRsa();
  const bytes = Buffer.from(n, "base64url").length;
  return {
    spkiDer: rsaSpki(n, "AQ"),
    sigOid: SHA256_RSA,
    sign: (info) => paddedDigest(info, bytes),
  };
}

/** A real RSA key's modulus with another exponent (e.g. 2): signed by the real key. */
export function rsaWithExponent(exponent: number): CustomKey {
  const { n, privateKey } = baseRsa();
  const hex = exponent.toString(16);
  const e = Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, "hex");
  return {
    spkiDer: rsaSpki(n, e.toString("base64url")),
    sigOid: SHA256_RSA,
    sign: (info) => new Uint8Array(sign("sha256", info, privateKey)),
  };
}

/** A real RSA key with the lowest bit of its modulus cleared: even, and signed by the real key. */
export function rsaEvenModulus(): CustomKey {
  const { n, e, privateKey } = baseRsa();
  const modulus = Buffer.from(n, "base64url");
  modulus[modulus.length - 1] = (modulus[modulus.length - 1] ?? 0) & 0xfe;
  return {
    spkiDer: rsaSpki(modulus.toString("base64url"), e),
    sigOid: SHA256_RSA,
    sign: (info) => new Uint8Array(sign("sha256", info, privateKey)),
  };
}

const EC_CURVES = {
  "P-256": { ecdh: "prime256v1", bytes: 32 },
  "P-384": { ecdh: "secp384r1", bytes: 48 },
  "P-521": { ecdh: "secp521r1", bytes: 66 },
} as const;

/** An ECDSA key pair whose private key is `d` (a small number: anyone can find it). */
export function ecKeyWithPrivate(
  curve: keyof typeof EC_CURVES,
  d: bigint,
): { privateKey: KeyObject; publicKey: KeyObject } {
  const { ecdh, bytes } = EC_CURVES[curve];
  const dBytes = Buffer.from(d.toString(16).padStart(bytes * 2, "0"), "hex");
  const e = createECDH(ecdh);
  e.setPrivateKey(dBytes);
  const point = e.getPublicKey();
  const jwk = {
    kty: "EC",
    crv: curve,
    x: point.subarray(1, 1 + bytes).toString("base64url"),
    y: point.subarray(1 + bytes).toString("base64url"),
  };
  return {
    privateKey: createPrivateKey({
      key: { ...jwk, d: dBytes.toString("base64url") },
      format: "jwk",
    }),
    publicKey: createPublicKey({ key: jwk, format: "jwk" }),
  };
}

/** The order n of P-256's generator. */
export const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** A P-256 SPKI whose point is not on the curve (a real key's y with one bit flipped). */
export function ecOffCurve(): CustomKey {
  const pair = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const der = new Uint8Array(pair.publicKey.export({ format: "der", type: "spki" }));
  der[der.length - 1] = (der[der.length - 1] ?? 0) ^ 0x01;
  return {
    spkiDer: der,
    sigOid: "1.2.840.10045.4.3.2",
    sign: (info) => new Uint8Array(sign("sha256", info, pair.privateKey)),
  };
}

/** The Ed25519 identity point as a public key, with a "signature" R = B, S = 1. */
export function ed25519Identity(): CustomKey {
  return {
    spkiDer: Buffer.concat([
      Buffer.from("302a300506032b6570032100", "hex"),
      Buffer.from(`01${"00".repeat(31)}`, "hex"),
    ]),
    sigOid: "1.3.101.112",
    sign: () => Buffer.from(`58${"66".repeat(31)}01${"00".repeat(31)}`, "hex"),
  };
}
