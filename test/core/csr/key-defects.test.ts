/**
 * Keys that prove nothing, at the edges: each row names the exact defect codes the decoder
 * reports. The policy denies each (test/core/policy/fail-opens.test.ts, with real requests).
 */
import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ed25519KeyDefects, rsaKeyDefects } from "../../../src/core/csr/key-defects.ts";

const big = (n: bigint): Uint8Array => {
  const hex = n.toString(16);
  return Uint8Array.from(Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, "hex"));
};
const ODD_MODULUS = big((1n << 2047n) + 1n);
const EVEN_MODULUS = big(1n << 2047n);

describe("RSA public exponent and modulus", () => {
  it.each([
    [0n, ["key-rsa-exponent-invalid"]],
    [1n, ["key-rsa-exponent-invalid"]],
    [2n, ["key-rsa-exponent-invalid"]],
    [3n, []],
    [4n, ["key-rsa-exponent-invalid"]],
    [65537n, []],
    [2n ** 31n - 1n, []],
    [2n ** 31n + 1n, ["key-rsa-exponent-invalid"]],
    [2n ** 64n + 1n, ["key-rsa-exponent-invalid"]],
  ])("e = %s", (e, expected) => {
    expect(rsaKeyDefects(ODD_MODULUS, big(e)).map((d) => d.code)).toEqual(expected);
  });

  it("an even modulus is a defect on its own", () => {
    expect(rsaKeyDefects(EVEN_MODULUS, big(65537n)).map((d) => d.code)).toEqual([
      "key-rsa-modulus-even",
    ]);
  });

  it.each([
    [
      1n,
      "RSA public exponent 1 is not an odd number from 3 to 2^31-1: a signature needs no private key",
    ],
    [
      0x7fffffffn + 2n,
      "RSA public exponent 2147483649 is not an odd number from 3 to 2^31-1: a signature needs no private key",
    ],
    [
      0xffffffffn,
      "RSA public exponent 4294967295 is not an odd number from 3 to 2^31-1: a signature needs no private key",
    ],
    [
      0x100000001n,
      "RSA public exponent of 33 bits is not an odd number from 3 to 2^31-1: a signature needs no private key",
    ],
    [
      2n ** 64n + 1n,
      "RSA public exponent of 65 bits is not an odd number from 3 to 2^31-1: a signature needs no private key",
    ],
  ])("e = %s is named in the message (its bit count above 32 bits)", (e, message) => {
    expect(rsaKeyDefects(ODD_MODULUS, big(e))).toEqual([
      { code: "key-rsa-exponent-invalid", message },
    ]);
  });

  it.each([
    ["ends in 0x00", EVEN_MODULUS],
    ["ends in 0x02", big((1n << 2047n) + 2n)],
    ["ends in 0xfe", big((1n << 2047n) + 0xfen)],
  ])("an even modulus that %s is named as such", (_name, modulus) => {
    expect(rsaKeyDefects(modulus, big(65537n))).toEqual([
      {
        code: "key-rsa-modulus-even",
        message: "RSA modulus is even: it is not a product of two large primes",
      },
    ]);
  });

  it("a leading zero byte in the encoding changes nothing", () => {
    expect(rsaKeyDefects(ODD_MODULUS, Uint8Array.of(0, 1, 0, 1))).toEqual([]);
  });

  it("an exponent of no bytes is 0, a defect, not a crash (strict DER refuses it before)", () => {
    expect(rsaKeyDefects(ODD_MODULUS, new Uint8Array(0))).toEqual([
      {
        code: "key-rsa-exponent-invalid",
        message:
          "RSA public exponent 0 is not an odd number from 3 to 2^31-1: a signature needs no private key",
      },
    ]);
  });
});

describe("Ed25519 points of small order, in every encoding", () => {
  const P = 2n ** 255n - 19n;
  const le = (y: bigint, sign = false): Uint8Array => {
    const out = new Uint8Array(32);
    let v = y;
    for (let i = 0; i < 32; i++) {
      out[i] = Number(v & 0xffn);
      v >>= 8n;
    }
    if (sign) out[31] = (out[31] ?? 0) | 0x80;
    return out;
  };
  const Y8 = 0x05fc536d880238b13933c6d305acdfd5f098eff289f4c345b027b2c28f95e826n;
  it.each([
    ["the identity (y = 1)", le(1n)],
    ["the identity with the sign bit", le(1n, true)],
    ["the identity as y = p + 1 (non-canonical)", le(P + 1n)],
    ["order 2 (y = -1)", le(P - 1n)],
    ["order 4 (y = 0)", le(0n)],
    ["order 4, y = p (non-canonical)", le(P)],
    ["order 8", le(Y8)],
    ["order 8, the other sign", le(Y8, true)],
    ["order 8, negated y", le(P - Y8)],
  ])("%s", (_name, key) => {
    expect(ed25519KeyDefects(key)).toEqual([
      {
        code: "key-ed25519-small-order",
        message:
          "Ed25519 public key is a point of small order: any signature verifies without a secret",
      },
    ]);
  });

  it("a real key has none", () => {
    const spki = generateKeyPairSync("ed25519").publicKey.export({ format: "der", type: "spki" });
    expect(ed25519KeyDefects(new Uint8Array(spki.subarray(spki.length - 32)))).toEqual([]);
  });

  it("y = 2 (not of small order) has none", () => {
    expect(ed25519KeyDefects(le(2n))).toEqual([]);
  });
});
