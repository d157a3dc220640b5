/**
 * Public keys that prove nothing: a signature "made" with one needs no secret, so the request's
 * proof of possession is void and whoever holds the certificate may not be who asked. Found from
 * the key's own numbers; the policy denies every one, whatever the policy file says.
 *
 *   - RSA with a public exponent below 3, even, or above 2^31-1. With e = 1 the "signature" is the
 *     padded digest itself, computable by anyone; Go's crypto/rsa refuses e < 2, even e and
 *     e > 2^31-1, so such a certificate would not even verify in Kubernetes.
 *   - RSA with an even modulus (never a product of two large primes; Go refuses it too).
 *   - ECDSA keys that are k*G for a small k (1 to SMALL_MULTIPLES), or n-k: the private key is k
 *     (or n-k), which anyone can find by counting.
 *   - Ed25519 keys of small order (the identity and the other seven torsion points, in any of
 *     their encodings): with such a key, a signature verifies for any message without a secret.
 */

export type KeyDefectCode =
  | "key-rsa-exponent-invalid"
  | "key-rsa-modulus-even"
  | "key-ec-known-private-key"
  | "key-ed25519-small-order";

export interface KeyDefect {
  readonly code: KeyDefectCode;
  readonly message: string;
}

/** How many multiples of the generator (and their negatives) are refused. */
export const SMALL_MULTIPLES = 1024;

/** The big-endian unsigned integer of the bytes, parsed once from hex (no BigInt per byte). */
function bigOf(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  return BigInt(`0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("hex")}`);
}

/** Defects of an RSA key from its modulus and public exponent (big-endian, as encoded). */
export function rsaKeyDefects(modulus: Uint8Array, exponent: Uint8Array): KeyDefect[] {
  const defects: KeyDefect[] = [];
  const e = bigOf(exponent);
  if (e < 3n || e % 2n === 0n || e > 0x7fffffffn) {
    defects.push({
      code: "key-rsa-exponent-invalid",
      message: `RSA public exponent ${e > 0xffffffffn ? `of ${e.toString(2).length} bits` : e.toString()} is not an odd number from 3 to 2^31-1: a signature needs no private key`,
    });
  }
  if ((modulus[modulus.length - 1] ?? 0) % 2 === 0) {
    defects.push({
      code: "key-rsa-modulus-even",
      message: "RSA modulus is even: it is not a product of two large primes",
    });
  }
  return defects;
}

interface Curve {
  readonly p: bigint;
  readonly a: bigint;
  readonly gx: bigint;
  readonly gy: bigint;
}

const CURVES: Readonly<Record<"P-256" | "P-384" | "P-521", Curve>> = {
  "P-256": {
    p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
    a: -3n,
    gx: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
    gy: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
  },
  "P-384": {
    p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn,
    a: -3n,
    gx: 0xaa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7n,
    gy: 0x3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5fn,
  },
  "P-521": {
    p: (1n << 521n) - 1n,
    a: -3n,
    gx: 0xc6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66n,
    gy: 0x11839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650n,
  },
};

function mod(a: bigint, p: bigint): bigint {
  const r = a % p;
  return r < 0n ? r + p : r;
}

function inverse(a: bigint, p: bigint): bigint {
  let [r0, r1] = [mod(a, p), p];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return mod(s0, p);
}

/** x-coordinates of k*G for k = 1..SMALL_MULTIPLES (n-k shares k's x), computed once per curve. */
const smallMultiples = new Map<string, ReadonlySet<bigint>>();

function smallMultipleXs(name: keyof typeof CURVES): ReadonlySet<bigint> {
  const cached = smallMultiples.get(name);
  if (cached !== undefined) return cached;
  const { p, a, gx, gy } = CURVES[name];
  const xs = new Set<bigint>([gx]);
  // 2G by doubling, then k*G = (k-1)*G + G; no intermediate point is the identity for k < n.
  let lambda = mod((3n * gx * gx + a) * inverse(2n * gy, p), p);
  let x = mod(lambda * lambda - 2n * gx, p);
  let y = mod(lambda * (gx - x) - gy, p);
  for (let k = 2; k <= SMALL_MULTIPLES; k++) {
    xs.add(x);
    lambda = mod((y - gy) * inverse(x - gx, p), p);
    const nx = mod(lambda * lambda - x - gx, p);
    y = mod(lambda * (x - nx) - y, p);
    x = nx;
  }
  smallMultiples.set(name, xs);
  return xs;
}

/** Defects of an uncompressed EC point (04 || X || Y) on a named curve. */
export function ecKeyDefects(curve: keyof typeof CURVES, point: Uint8Array): KeyDefect[] {
  const size = (point.length - 1) / 2;
  const x = bigOf(point.subarray(1, 1 + size));
  return smallMultipleXs(curve).has(x)
    ? [
        {
          code: "key-ec-known-private-key",
          message: `${curve} public key is a small multiple of the generator (or its negative): its private key is known`,
        },
      ]
    : [];
}

const ED25519_P = (1n << 255n) - 19n;
/** y of the two points of order 8 with positive x (the others are p - y); see RFC 8032. */
const ED25519_Y8 = 0x05fc536d880238b13933c6d305acdfd5f098eff289f4c345b027b2c28f95e826n;
const SMALL_ORDER_Y: ReadonlySet<bigint> = new Set([
  0n,
  1n,
  ED25519_P - 1n,
  ED25519_Y8,
  ED25519_P - ED25519_Y8,
]);

/** Defects of a 32-byte Ed25519 public key (little-endian y, top bit the sign of x). */
export function ed25519KeyDefects(key: Uint8Array): KeyDefect[] {
  // Little-endian: the bytes reversed are the big-endian number, parsed once from hex.
  const y = bigOf(key.slice().reverse()) & ((1n << 255n) - 1n);
  return SMALL_ORDER_Y.has(y % ED25519_P)
    ? [
        {
          code: "key-ed25519-small-order",
          message:
            "Ed25519 public key is a point of small order: any signature verifies without a secret",
        },
      ]
    : [];
}
