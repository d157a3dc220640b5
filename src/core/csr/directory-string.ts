/**
 * Subject attribute values read exactly as Kubernetes reads them. The apiserver and the signers
 * parse a request with Go's crypto/x509 `ParseCertificateRequest`, which reads the subject with
 * encoding/asn1 into `pkix.RDNSequence` (an attribute value is an `any`) and then keeps only the
 * values that came out as Go strings (`pkix.Name.FillFromRDNSequence`). So, for Go 1.26:
 *
 *   - PrintableString: letters, digits, space and '()+,-./:=? plus '*' and '&'; else Go refuses
 *     the whole request.
 *   - NumericString: digits and space; else refused.
 *   - IA5String: bytes below 0x80; else refused.
 *   - T61String: each byte is the Latin-1 character of that number (never refused).
 *   - UTF8String: valid UTF-8 (no surrogates, no overlong forms); else refused. A leading BOM is
 *     kept as U+FEFF.
 *   - BMPString: UCS-2, even length; ONE trailing U+0000 terminator is dropped; surrogates and
 *     U+FFFE, U+FFFF, U+FDD0..U+FDEF are refused. So a BMPString O of "system:masters" + NUL is
 *     O=system:masters to Kubernetes (the reason this file exists: keeping the NUL let it slip
 *     past a forbidden-organisation list).
 *   - Any other type (UniversalString, VisibleString, GeneralString, INTEGER, a SEQUENCE, a
 *     context-specific tag...): not a Go string, so Kubernetes ignores the attribute: it is not
 *     the CN, not an O. Shown as "#" + hex of its DER (RFC 4514) and marked `notAString`.
 */

export type AttributeValueReading =
  | { readonly ok: true; readonly valueType: string; readonly text: string }
  | {
      readonly ok: true;
      readonly valueType: string;
      readonly notAString: true;
      readonly hex: string;
    }
  | { readonly ok: false; readonly valueType: string; readonly reason: string };

const TYPE_NAMES: Readonly<Record<number, string>> = {
  0x01: "BOOLEAN",
  0x02: "INTEGER",
  0x03: "BIT STRING",
  0x04: "OCTET STRING",
  0x05: "NULL",
  0x06: "OBJECT IDENTIFIER",
  0x0c: "UTF8String",
  0x12: "NumericString",
  0x13: "PrintableString",
  0x14: "T61String",
  0x16: "IA5String",
  0x17: "UTCTime",
  0x18: "GeneralizedTime",
  0x1a: "VisibleString",
  0x1b: "GeneralString",
  0x1c: "UniversalString",
  0x1e: "BMPString",
};

function typeName(tag: number): string {
  return TYPE_NAMES[tag] ?? `tag 0x${tag.toString(16).padStart(2, "0")}`;
}

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?*&]*$/;
const NUMERIC = /^[0-9 ]*$/;
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Each byte as the character of that number (U+0000 to U+00FF), in one native call. */
function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("latin1");
}

function bmp(bytes: Uint8Array): string | undefined {
  if (bytes.length % 2 !== 0) return undefined;
  let end = bytes.length;
  if (end >= 2 && bytes[end - 1] === 0 && bytes[end - 2] === 0) end -= 2;
  let out = "";
  for (let i = 0; i < end; i += 2) {
    const point = ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0);
    if (
      point === 0xfffe ||
      point === 0xffff ||
      (point >= 0xfdd0 && point <= 0xfdef) ||
      (point >= 0xd800 && point <= 0xdfff)
    )
      return undefined;
    out += String.fromCharCode(point);
  }
  return out;
}

function stringOf(tag: number, content: Uint8Array): string | undefined {
  switch (tag) {
    case 0x13: {
      const text = latin1(content);
      return PRINTABLE.test(text) ? text : undefined;
    }
    case 0x12: {
      const text = latin1(content);
      return NUMERIC.test(text) ? text : undefined;
    }
    case 0x16:
      return content.every((b) => b < 0x80) ? latin1(content) : undefined;
    case 0x14:
      return latin1(content);
    case 0x0c:
      try {
        return utf8.decode(content);
      } catch {
        return undefined;
      }
    case 0x1e:
      return bmp(content);
    default:
      return undefined;
  }
}

const GO_STRING_TAGS: ReadonlySet<number> = new Set([0x0c, 0x12, 0x13, 0x14, 0x16, 0x1e]);

/**
 * Go's reading of one attribute value, given its identifier octet, its content bytes and its
 * whole DER encoding (for the "#hex" form of a value Go ignores).
 */
export function readAttributeValue(
  tag: number,
  content: Uint8Array,
  whole: Uint8Array,
): AttributeValueReading {
  const valueType = typeName(tag);
  if (!GO_STRING_TAGS.has(tag)) {
    return { ok: true, valueType, notAString: true, hex: Buffer.from(whole).toString("hex") };
  }
  const text = stringOf(tag, content);
  return text === undefined
    ? { ok: false, valueType, reason: `is not a valid ${valueType}` }
    : { ok: true, valueType, text };
}
