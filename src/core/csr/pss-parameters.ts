/**
 * RSASSA-PSS-params (RFC 4055) read from the raw bytes of a signature algorithm's parameters. The
 * request's strict DER walk has already checked these bytes; this reads the shape:
 *
 *   RSASSA-PSS-params ::= SEQUENCE {
 *     hashAlgorithm    [0] EXPLICIT AlgorithmIdentifier DEFAULT sha1,
 *     maskGenAlgorithm [1] EXPLICIT AlgorithmIdentifier DEFAULT mgf1SHA1,
 *     saltLength       [2] EXPLICIT INTEGER DEFAULT 20,
 *     trailerField     [3] EXPLICIT INTEGER DEFAULT 1 }
 *
 * Each field at most once, in this order, nothing else. An encoded default is accepted (as the
 * schema library that read these before did); a negative salt length or one above 2^31 - 1 is not.
 */
import { decodeOid, readChildren, readTlvHeader, type Tlv } from "./der.ts";

export interface PssParameters {
  /** OID of the message hash. */
  readonly hash: string;
  /** OID of the mask generation function. */
  readonly maskGenerator: string;
  /** OID of the mask generation function's hash, if its parameters are an AlgorithmIdentifier. */
  readonly maskGeneratorHash: string | undefined;
  readonly saltLength: number;
  readonly trailerField: number;
}

const OID_SHA1 = "1.3.14.3.2.26";
const OID_MGF1 = "1.2.840.113549.1.1.8";

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const OID = 0x06;

/** The single element filling `der` (or [start, end) of it), or undefined. */
function only(der: Uint8Array, start: number, end: number): Tlv | undefined {
  const read = readTlvHeader(der, start);
  return read.ok && read.tlv.end === end ? read.tlv : undefined;
}

/** An AlgorithmIdentifier's OID and parameters element, or undefined if it is not one. */
function algorithm(der: Uint8Array, tlv: Tlv): { oid: string; parameters?: Tlv } | undefined {
  if (tlv.tag !== SEQUENCE) return undefined;
  const read = readChildren(der, tlv.start, tlv.end);
  if (!read.ok) return undefined;
  const [oid, parameters, extra] = read.children;
  if (oid?.tag !== OID || extra !== undefined) return undefined;
  const text = decodeOid(der.subarray(oid.start, oid.end));
  if (text === undefined) return undefined;
  return parameters === undefined ? { oid: text } : { oid: text, parameters };
}

/** A non-negative INTEGER of at most 31 bits, or undefined. */
function smallInteger(der: Uint8Array, tlv: Tlv): number | undefined {
  const length = tlv.end - tlv.start;
  if (tlv.tag !== INTEGER || length < 1 || length > 4 || (der[tlv.start] ?? 0) >= 0x80)
    return undefined;
  let value = 0;
  for (let i = tlv.start; i < tlv.end; i++) value = value * 256 + (der[i] ?? 0);
  return value;
}

/** Reads RSASSA-PSS-params from the whole encoding of the parameters; a string says why not. */
export function readPssParameters(der: Uint8Array): PssParameters | string {
  const outer = only(der, 0, der.length);
  if (outer?.tag !== SEQUENCE) return "not a SEQUENCE";
  const fields = readChildren(der, outer.start, outer.end);
  if (!fields.ok) return fields.reason;
  let hash = OID_SHA1;
  let maskGenerator = OID_MGF1;
  let maskGeneratorHash: string | undefined = OID_SHA1;
  let saltLength = 20;
  let trailerField = 1;
  let next = 0;
  for (const field of fields.children) {
    const number = field.tag - 0xa0;
    if (number < next || number > 3)
      return `unexpected element with tag 0x${field.tag.toString(16)}`;
    next = number + 1;
    const inner = only(der, field.start, field.end);
    if (inner === undefined) return `field [${number}] does not hold exactly one element`;
    if (number === 2 || number === 3) {
      const value = smallInteger(der, inner);
      if (value === undefined) return `field [${number}] is not an INTEGER from 0 to 2^31 - 1`;
      if (number === 2) saltLength = value;
      else trailerField = value;
      continue;
    }
    const read = algorithm(der, inner);
    if (read === undefined) return `field [${number}] is not an AlgorithmIdentifier`;
    if (number === 0) {
      hash = read.oid;
      continue;
    }
    maskGenerator = read.oid;
    const hashOf = read.parameters === undefined ? undefined : algorithm(der, read.parameters);
    maskGeneratorHash = hashOf?.oid;
  }
  return { hash, maskGenerator, maskGeneratorHash, saltLength, trailerField };
}
