/**
 * The extension list and the extension values policy reads, on raw bytes that `checkStrictDer`
 * has already passed: exactly the elements each structure names, and no encoded DEFAULT (DER
 * forbids encoding a BOOLEAN's FALSE default), so one extension list has one encoding.
 */
import { decodeOid, readChildren, readTlvHeader, type Tlv } from "./der.ts";
import { OID_BASIC_CONSTRAINTS, OID_EXT_KEY_USAGE, OID_KEY_USAGE } from "./oid-names.ts";

const BOOLEAN = 0x01;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const OCTET_STRING = 0x04;
const OID = 0x06;
const SEQUENCE = 0x30;

/** Go reads basicConstraints' pathLenConstraint into an int: more than 8 bytes is an error. */
const MAX_PATH_LEN_BYTES = 8;

function tagsOf(children: readonly Tlv[]): string {
  return children.map((c) => c.tag.toString(16).padStart(2, "0")).join(" ");
}

/** The single element filling `der` and its children (constructed) or [] (primitive). */
function top(der: Uint8Array): { tlv: Tlv; children: Tlv[] } | string {
  const read = readTlvHeader(der, 0);
  if (!read.ok) return read.reason;
  if (read.tlv.end !== der.length) return "length does not match the value";
  if ((read.tlv.tag & 0x20) === 0) return { tlv: read.tlv, children: [] };
  const inner = readChildren(der, read.tlv.start, read.tlv.end);
  if (!inner.ok) return inner.reason;
  return { tlv: read.tlv, children: inner.children };
}

/** A DER BOOLEAN TRUE: with DEFAULT FALSE, an encoded FALSE is not DER. */
function isTrue(der: Uint8Array, tlv: Tlv): boolean {
  return tlv.end - tlv.start === 1 && der[tlv.start] === 0xff;
}

/** One extension of the list: its id, critical flag and the content of its OCTET STRING. */
export interface ListedExtension {
  readonly oid: string;
  readonly critical: boolean;
  readonly value: Uint8Array;
}

/**
 * Extensions ::= SEQUENCE OF SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE,
 * extnValue OCTET STRING }: exactly these elements, critical only when TRUE. A string says why
 * `der` is not such a list.
 */
export function readExtensionList(der: Uint8Array): ListedExtension[] | string {
  const list = top(der);
  if (typeof list === "string") return list;
  if (list.tlv.tag !== SEQUENCE) return "not a SEQUENCE of extensions";
  const extensions: ListedExtension[] = [];
  for (const ext of list.children) {
    if (ext.tag !== SEQUENCE) return "an extension is not a SEQUENCE";
    const parts = readChildren(der, ext.start, ext.end);
    if (!parts.ok) return parts.reason;
    const [id, critical, value] = parts.children;
    const count = parts.children.length;
    // [06 04] or [06 01 04], decided on the tags themselves (the "[..]" text only for an error).
    const flagged = count === 3 && critical?.tag === BOOLEAN;
    const octets = flagged ? value : count === 2 ? critical : undefined;
    if (id?.tag !== OID || octets?.tag !== OCTET_STRING)
      return `an extension has elements [${tagsOf(parts.children)}], not an OID, an optional critical flag and an OCTET STRING`;
    if (flagged && !isTrue(der, critical))
      return "an extension encodes critical FALSE, the default (not DER)";
    const oid = decodeOid(der.subarray(id.start, id.end));
    if (oid === undefined) return "an extension id is an OID of more than 64 bytes";
    extensions.push({
      oid,
      critical: flagged,
      value: der.subarray(octets.start, octets.end),
    });
  }
  return extensions;
}

/** keyUsage, extKeyUsage and basicConstraints: the elements their schemas read, nothing more. */
export function extensionValueProblem(oid: string, der: Uint8Array): string | undefined {
  const value = top(der);
  if (typeof value === "string") return value;
  switch (oid) {
    case OID_KEY_USAGE:
      return value.tlv.tag === BIT_STRING ? undefined : "not a BIT STRING";
    case OID_EXT_KEY_USAGE:
      if (value.tlv.tag !== SEQUENCE) return "not a SEQUENCE of OIDs";
      return value.children.every((c) => c.tag === OID) ? undefined : "holds a non-OID";
    case OID_BASIC_CONSTRAINTS: {
      if (value.tlv.tag !== SEQUENCE) return "not a SEQUENCE";
      const tags = tagsOf(value.children);
      if (!["", "01", "02", "01 02"].includes(tags))
        return `elements [${tags}], not an optional cA flag and an optional path length`;
      const [first, second] = value.children;
      if (first?.tag === BOOLEAN && !isTrue(der, first))
        return "encodes cA FALSE, the default (not DER)";
      const pathLen = first?.tag === INTEGER ? first : second;
      if (pathLen !== undefined && pathLen.end - pathLen.start > MAX_PATH_LEN_BYTES)
        return "path length is too large";
      return undefined;
    }
    default:
      return undefined;
  }
}
