/**
 * The one parse of a CertificationRequest: strict DER on the raw bytes (`checkStrictDer`), then,
 * for each SEQUENCE of fixed shape, exactly the children PKCS#10 names, read from those same
 * checked bytes. Everything decoding needs comes out of this walk as slices of the input (never
 * re-encodings) or dotted OIDs; no second parser reads the request.
 *
 *   CertificationRequest ::= SEQUENCE { info, signatureAlgorithm, signature BIT STRING }
 *   CertificationRequestInfo ::= SEQUENCE { version INTEGER, subject Name,
 *                                           subjectPKInfo SPKI, attributes [0] IMPLICIT SET OF }
 *   Name ::= SEQUENCE OF SET OF SEQUENCE { type OID, value ANY }
 *   SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
 *   AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }
 *   Attribute ::= SEQUENCE { type OID, values SET OF ANY }
 *
 * An element too many or too few, or of another type, is `malformed-der`: a lenient reader that
 * skipped it would let two byte strings stand for one request. The subject's inner shape (RDNs of
 * type-and-value pairs) is read, and refused, by `decodeSubjectDer`, which reads it for its values.
 */
import { decodeOid, readChildren, readTlvHeader, type Tlv } from "./der.ts";
import { failure, type Failure } from "./decode-error.ts";
import { checkStrictDer } from "./strict-der.ts";

/** An AlgorithmIdentifier: its OID and, when present, the whole encoding of its parameters. */
export interface AlgorithmIdentifier {
  readonly oid: string;
  readonly parameters: Uint8Array | undefined;
}

/** One attribute of the request: its type and the whole encoding of each value, in order. */
export interface RequestAttribute {
  readonly oid: string;
  readonly values: readonly Uint8Array[];
}

export interface RequestLayout {
  /** The CertificationRequestInfo element: the bytes the signature covers. */
  readonly info: Uint8Array;
  /** The subject Name element (read by subject.ts as Go reads it). */
  readonly subject: Uint8Array;
  /** The SubjectPublicKeyInfo element: loaded by node:crypto and hashed for publicKeySha256. */
  readonly spki: Uint8Array;
  /** The SPKI's algorithm. */
  readonly keyAlgorithm: AlgorithmIdentifier;
  /** The subjectPublicKey BIT STRING's bytes (after its zero unused-bits byte). */
  readonly publicKey: Uint8Array;
  /** The request's attributes (extensionRequest, challengePassword, ...), in order. */
  readonly attributes: readonly RequestAttribute[];
  readonly signatureAlgorithm: AlgorithmIdentifier;
  /** The signature BIT STRING's bytes (after its zero unused-bits byte). */
  readonly signature: Uint8Array;
}

const SEQUENCE = 0x30;
const SET = 0x31;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const OID = 0x06;
const ATTRIBUTES = 0xa0;

const REQUEST_TAGS = [SEQUENCE, SEQUENCE, BIT_STRING];
const INFO_TAGS = [INTEGER, SEQUENCE, SEQUENCE, ATTRIBUTES];
const SPKI_TAGS = [SEQUENCE, BIT_STRING];
const ATTRIBUTE_TAGS = [OID, SET];

/** Go reads the version into an int: more than 8 bytes is an error there. */
const MAX_VERSION_BYTES = 8;

class LayoutError extends Error {}

function children(der: Uint8Array, parent: Tlv, what: string): Tlv[] {
  const read = readChildren(der, parent.start, parent.end);
  // checkStrictDer has already walked every constructed element; this cannot fail.
  if (!read.ok) throw new LayoutError(`${what}: ${read.reason}`);
  return read.children;
}

function hasTags(found: readonly Tlv[], tags: readonly number[]): boolean {
  if (found.length !== tags.length) return false;
  for (let i = 0; i < tags.length; i++) if (found[i]?.tag !== tags[i]) return false;
  return true;
}

/** The children of `parent`, which must have exactly these tags in this order. */
function shaped(der: Uint8Array, parent: Tlv, tags: readonly number[], what: string): Tlv[] {
  const found = children(der, parent, what);
  if (!hasTags(found, tags)) {
    const seen = found.map((c) => c.tag.toString(16).padStart(2, "0")).join(" ");
    const want = tags.map((t) => t.toString(16).padStart(2, "0")).join(" ");
    throw new LayoutError(`${what} has elements [${seen}] where [${want}] are expected`);
  }
  return found;
}

/** Dotted text of an OID element the strict walk has checked. */
function oidOf(der: Uint8Array, oid: Tlv, what: string): string {
  const text = decodeOid(der.subarray(oid.start, oid.end));
  if (text === undefined) throw new LayoutError(`${what} is an OID of more than 64 bytes`);
  return text;
}

function readAlgorithm(der: Uint8Array, algorithm: Tlv, what: string): AlgorithmIdentifier {
  const [oid, parameters, extra] = children(der, algorithm, what);
  if (oid?.tag !== OID || extra !== undefined)
    throw new LayoutError(`${what} is not an OID with at most one parameters element`);
  return {
    oid: oidOf(der, oid, what),
    parameters:
      parameters === undefined ? undefined : der.subarray(parameters.header, parameters.end),
  };
}

/** The bytes of a BIT STRING read as whole bytes: its unused-bits count must be 0. */
function wholeBytes(der: Uint8Array, bits: Tlv, what: string): Uint8Array {
  if (der[bits.start] !== 0) throw new LayoutError(`${what} has unused bits`);
  return der.subarray(bits.start + 1, bits.end);
}

function readAttributes(der: Uint8Array, attributes: Tlv): RequestAttribute[] {
  return children(der, attributes, "attributes").map((attribute) => {
    if (attribute.tag !== SEQUENCE) throw new LayoutError("attribute is not a SEQUENCE");
    const [type, values] = shaped(der, attribute, ATTRIBUTE_TAGS, "attribute");
    if (type === undefined || values === undefined)
      throw new LayoutError("attribute is incomplete");
    return {
      oid: oidOf(der, type, "attribute type"),
      values: children(der, values, "attribute values").map((v) => der.subarray(v.header, v.end)),
    };
  });
}

/**
 * Checks that `der` (one SEQUENCE filling the input, see `checkOuterLength`) is strict DER in the
 * shape of a CertificationRequest, and returns its parts. Failures are `malformed-der`.
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
      REQUEST_TAGS,
      "CertificationRequest",
    );
    if (info === undefined || signatureAlgorithm === undefined || signature === undefined)
      throw new LayoutError("CertificationRequest is incomplete");
    const [version, subject, spki, attributes] = shaped(
      der,
      info,
      INFO_TAGS,
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
    const [keyAlgorithm, key] = shaped(der, spki, SPKI_TAGS, "SubjectPublicKeyInfo");
    if (keyAlgorithm === undefined || key === undefined)
      throw new LayoutError("SubjectPublicKeyInfo is incomplete");
    return {
      ok: true,
      layout: {
        info: der.subarray(info.header, info.end),
        subject: der.subarray(subject.header, subject.end),
        spki: der.subarray(spki.header, spki.end),
        keyAlgorithm: readAlgorithm(der, keyAlgorithm, "public key algorithm"),
        publicKey: wholeBytes(der, key, "subjectPublicKey"),
        attributes: readAttributes(der, attributes),
        signatureAlgorithm: readAlgorithm(der, signatureAlgorithm, "signatureAlgorithm"),
        signature: wholeBytes(der, signature, "signature"),
      },
    };
  } catch (thrown) {
    if (thrown instanceof LayoutError)
      return failure("malformed-der", `not a DER CertificationRequest: ${thrown.message}`);
    throw thrown;
  }
}
