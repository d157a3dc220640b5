/**
 * A minimal strict-DER TLV reader: the only ASN.1 reader of the decoder. It finds whether the
 * outer element ends exactly where the input ends (truncation, trailing data), walks every element
 * for DER (`strict-der.ts`), and reads the request's parts (`request-layout.ts`), the subject
 * (`subject.ts`), the key, the signature parameters and the extensions from the checked bytes.
 */

export interface Tlv {
  /** The identifier octet (class, constructed bit and tag number < 31). */
  readonly tag: number;
  /** Offset of the identifier octet: the element's whole encoding is [header, end). */
  readonly header: number;
  /** Offset of the first content byte. */
  readonly start: number;
  /** Offset just past the last content byte. */
  readonly end: number;
}

export type TlvResult = { ok: true; tlv: Tlv } | { ok: false; reason: string };

/**
 * Reads one TLV at `offset`. Rejects high tag numbers, indefinite lengths and non-minimal length
 * encodings (all forbidden in DER). `end` may exceed `bytes.length`: the caller decides whether
 * that is truncation.
 */
export function readTlvHeader(bytes: Uint8Array, offset: number): TlvResult {
  const tag = bytes[offset];
  const first = bytes[offset + 1];
  if (tag === undefined || first === undefined)
    return { ok: false, reason: "input ends inside a tag" };
  if ((tag & 0x1f) === 0x1f) return { ok: false, reason: "high tag numbers are not used in a CSR" };
  if (first < 0x80)
    return { ok: true, tlv: { tag, header: offset, start: offset + 2, end: offset + 2 + first } };
  const count = first & 0x7f;
  if (count === 0) return { ok: false, reason: "indefinite length is not DER" };
  if (count > 4) return { ok: false, reason: `length of ${count} bytes is absurd` };
  let length = 0;
  for (let i = 0; i < count; i++) {
    const b = bytes[offset + 2 + i];
    if (b === undefined) return { ok: false, reason: "input ends inside a length" };
    if (i === 0 && b === 0) return { ok: false, reason: "non-minimal length encoding" };
    length = length * 256 + b;
  }
  if (length < 0x80) return { ok: false, reason: "non-minimal length encoding" };
  const start = offset + 2 + count;
  return { ok: true, tlv: { tag, header: offset, start, end: start + length } };
}

/** Reads every TLV directly inside [start, end); fails if one overruns the range. */
export function readChildren(
  bytes: Uint8Array,
  start: number,
  end: number,
): { ok: true; children: Tlv[] } | { ok: false; reason: string } {
  const children: Tlv[] = [];
  let offset = start;
  while (offset < end) {
    const read = readTlvHeader(bytes, offset);
    if (!read.ok) return read;
    if (read.tlv.end > end) return { ok: false, reason: "element overruns its container" };
    children.push(read.tlv);
    offset = read.tlv.end;
  }
  return { ok: true, children };
}

/**
 * Dotted text of the content bytes of an OBJECT IDENTIFIER, or undefined if malformed. The text
 * is built arc by arc as it is read (no array of arcs to join).
 */
export function decodeOid(content: Uint8Array): string | undefined {
  if (content.length === 0 || content.length > 64) return undefined;
  let text = "";
  let value = 0;
  let fresh = true;
  for (const b of content) {
    if (fresh && b === 0x80) return undefined; // non-minimal arc
    value = value * 128 + (b & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) return undefined;
    fresh = (b & 0x80) === 0;
    if (fresh) {
      text = text === "" ? firstTwoArcs(value) : `${text}.${value}`;
      value = 0;
    }
  }
  return fresh ? text : undefined;
}

/** The first subidentifier stands for the first two arcs (X.690 8.19.4). */
function firstTwoArcs(head: number): string {
  const first = head < 40 ? 0 : head < 80 ? 1 : 2;
  return `${first}.${head - first * 40}`;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
