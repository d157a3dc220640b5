/**
 * Where the parts of a CertificationRequest lie in its DER, and the checks that make the
 * schema parser's reading the only reading.
 *
 * @peculiar/asn1-schema stays the parser of the structure, but it silently skips elements its
 * schema does not name (a third field in an AlgorithmIdentifier, a fifth in the
 * CertificationRequestInfo) and drops an unused-bits count from a BIT STRING. Decoding used to
 * catch that by re-serialising the parsed request and comparing bytes; that cost more than the
 * parse itself. The same guarantee now comes from the raw bytes: `checkStrictDer` for the DER
 * rules, and here, for each SEQUENCE of fixed shape, exactly the children the schema reads.
 *
 *   CertificationRequest ::= SEQUENCE { info, signatureAlgorithm, signature BIT STRING }
 *   CertificationRequestInfo ::= SEQUENCE { version INTEGER, subject Name,
 *                                           subjectPKInfo SPKI, attributes [0] IMPLICIT SET OF }
 *   Name ::= SEQUENCE OF SET OF SEQUENCE { type OID, value ANY }
 *   SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
 *   AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }
 *   Attribute ::= SEQUENCE { type OID, values SET OF ANY }
 *
 * The signed bytes and the key's bytes are then slices of the input, not re-encodings.
 */
import { readChildren, readTlvHeader, type Tlv } from "./der.ts";
import { failure, type Failure } from "./decode-error.ts";
import { checkStrictDer } from "./strict-der.ts";

export interface RequestLayout {
  /** The CertificationRequestInfo element: the bytes the signature covers. */
  readonly info: Uint8Array;
  /** The subject Name element (read by subject.ts as Go reads it). */
  readonly subject: Uint8Array;
  /** The SubjectPublicKeyInfo element: loaded by node:crypto and hashed for publicKeySha256. */
  readonly spki: Uint8Array;
  /** The signature BIT STRING's bytes (after its zero unused-bits byte). */
  readonly signature: Uint8Array;
}

const SEQUENCE = 0x30;
const SET = 0x31;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const OID = 0x06;
const ATTRIBUTES = 0xa0;

/** Go reads the version into an int: more than 8 bytes is an error there. */
const MAX_VERSION_BYTES = 8;

class LayoutError extends Error {}

function children(der: Uint8Array, parent: Tlv, what: string): Tlv[] {
  const read = readChildren(der, parent.start, parent.end);
  // checkStrictDer has already walked every constructed element; this cannot fail.
  if (!read.ok) throw new LayoutError(`${what}: ${read.reason}`);
  return read.children;
}

/** The children of `parent`, which must have exactly these tags in this order. */
function shaped(der: Uint8Array, parent: Tlv, tags: readonly number[], what: string): Tlv[] {
  const found = children(der, parent, what);
  if (found.length !== tags.length || found.some((child, i) => child.tag !== tags[i])) {
    const seen = found.map((c) => c.tag.toString(16).padStart(2, "0")).join(" ");
    const want = tags.map((t) => t.toString(16).padStart(2, "0")).join(" ");
    throw new LayoutError(`${what} has elements [${seen}] where [${want}] are expected`);
  }
  return found;
}

function checkAlgorithm(der: Uint8Array, algorithm: Tlv, what: string): void {
  const found = children(der, algorithm, what);
  if (found.length < 1 || found.length > 2 || found[0]?.tag !== OID)
    throw new LayoutError(`${what} is not an OID with at most one parameters element`);
}

/** The bytes of a BIT STRING the schema reads as whole bytes: its unused-bits count must be 0. */
function wholeBytes(der: Uint8Array, bits: Tlv, what: string): Uint8Array {
  if (der[bits.start] !== 0) throw new LayoutError(`${what} has unused bits`);
  return der.subarray(bits.start + 1, bits.end);
}

function checkName(der: Uint8Array, name: Tlv): void {
  for (const rdn of children(der, name, "subject")) {
    if (rdn.tag !== SET) throw new LayoutError("subject has an element that is not a SET (RDN)");
    for (const atv of children(der, rdn, "subject RDN")) {
      if (atv.tag !== SEQUENCE) throw new LayoutError("subject RDN holds a non-SEQUENCE");
      const parts = children(der, atv, "subject attribute");
      if (parts.length !== 2 || parts[0]?.tag !== OID)
        throw new LayoutError("subject attribute is not exactly a type OID and a value");
    }
  }
}

function checkAttributes(der: Uint8Array, attributes: Tlv): void {
  for (const attribute of children(der, attributes, "attributes")) {
    if (attribute.tag !== SEQUENCE) throw new LayoutError("attribute is not a SEQUENCE");
    shaped(der, attribute, [OID, SET], "attribute");
  }
}

/**
 * Checks that `der` (one SEQUENCE filling the input, see `checkOuterLength`) is strict DER in the
 * shape of a CertificationRequest, and returns the slices decoding needs. Failures are
 * `malformed-der`.
 */
export function readRequestLayout(der: Uint8Array): { ok: true; layout: RequestLayout } | Failure {
  const strict = checkStrictDer(der);
  if (!strict.ok) return failure("malformed-der", `not in DER form: ${strict.reason}`);
  try {
    const outer = readTlvHeader(der, 0);
    if (!outer.ok) throw new LayoutError(outer.reason);
    const [info, signatureAlgorithm, signature] = shaped(
      der,
      outer.tlv,
      [SEQUENCE, SEQUENCE, BIT_STRING],
      "CertificationRequest",
    );
    if (info === undefined || signatureAlgorithm === undefined || signature === undefined)
      throw new LayoutError("CertificationRequest is incomplete");
    const [version, subject, spki, attributes] = shaped(
      der,
      info,
      [INTEGER, SEQUENCE, SEQUENCE, ATTRIBUTES],
      "CertificationRequestInfo",
    );
    if (
      version === undefined ||
      subject === undefined ||
      spki === undefined ||
      attributes === undefined
    )
      throw new LayoutError("CertificationRequestInfo is incomplete");
    if (version.end - version.start > MAX_VERSION_BYTES)
      throw new LayoutError("version is too large");
    checkName(der, subject);
    const [keyAlgorithm, key] = shaped(der, spki, [SEQUENCE, BIT_STRING], "SubjectPublicKeyInfo");
    if (keyAlgorithm === undefined || key === undefined)
      throw new LayoutError("SubjectPublicKeyInfo is incomplete");
    checkAlgorithm(der, keyAlgorithm, "public key algorithm");
    wholeBytes(der, key, "subjectPublicKey");
    checkAttributes(der, attributes);
    checkAlgorithm(der, signatureAlgorithm, "signatureAlgorithm");
    return {
      ok: true,
      layout: {
        info: der.subarray(info.header, info.end),
        subject: der.subarray(subject.header, subject.end),
        spki: der.subarray(spki.header, spki.end),
        signature: wholeBytes(der, signature, "signature"),
      },
    };
  } catch (thrown) {
    if (thrown instanceof LayoutError)
      return failure("malformed-der", `not a DER CertificationRequest: ${thrown.message}`);
    throw thrown;
  }
}
