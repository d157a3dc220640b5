/**
 * RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } (RFC 8017), read from the
 * subjectPublicKey bytes. Those sit inside a BIT STRING, which the request's strict DER walk does
 * not enter, so they are walked here: Go reads the modulus and exponent with cryptobyte, which
 * refuses non-minimal INTEGERs, and one key must have one encoding (and one publicKeySha256).
 * Exactly the two INTEGERs, both positive (Go refuses a modulus or exponent that is not).
 */
import { readChildren, readTlvHeader } from "./der.ts";
import { checkStrictDer } from "./strict-der.ts";

export type RsaPublicKeyResult =
  | { ok: true; modulus: Uint8Array; exponent: Uint8Array }
  | { ok: false; reason: string; notDer: boolean };

const SEQUENCE = 0x30;
const INTEGER = 0x02;

/** Reads an RSAPublicKey; `notDer` tells a DER violation from a wrong structure. */
export function readRsaPublicKey(bytes: Uint8Array): RsaPublicKeyResult {
  const strict = checkStrictDer(bytes);
  if (!strict.ok) return { ok: false, reason: strict.reason, notDer: true };
  const outer = readTlvHeader(bytes, 0);
  if (!outer.ok || outer.tlv.tag !== SEQUENCE)
    return { ok: false, reason: "not a SEQUENCE", notDer: false };
  const read = readChildren(bytes, outer.tlv.start, outer.tlv.end);
  const [modulus, exponent, extra] = read.ok ? read.children : [];
  if (modulus?.tag !== INTEGER || exponent?.tag !== INTEGER || extra !== undefined)
    return { ok: false, reason: "not exactly a modulus and an exponent INTEGER", notDer: false };
  // Minimal INTEGERs (checked above): a set top bit means a negative number.
  if ((bytes[modulus.start] ?? 0) >= 0x80)
    return { ok: false, reason: "the modulus is negative", notDer: false };
  if ((bytes[exponent.start] ?? 0) >= 0x80)
    return { ok: false, reason: "the exponent is negative", notDer: false };
  return {
    ok: true,
    modulus: bytes.subarray(modulus.start, modulus.end),
    exponent: bytes.subarray(exponent.start, exponent.end),
  };
}
