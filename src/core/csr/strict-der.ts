/**
 * Strict DER check of a whole TLV tree, on the raw bytes.
 *
 * BER allows forms DER forbids. Two byte strings that a lenient parser reads as one request would
 * let a reviewer see one encoding while Go's strict parser (the apiserver's, the signer's) reads
 * another or rejects it, and would give one request two digests. This walk rejects those forms
 * before anything reads the request (request-layout.ts reads it from the bytes checked here):
 * - every length definite and minimal (`readTlvHeader`), no high tag numbers, no end-of-contents;
 * - every element inside a constructed one exactly fills it: no overrun, no gap, no trailing bytes;
 * - constructed encoding only for SEQUENCE, SET and tagged types (DER forbids constructed strings);
 * - canonical primitive values where BER allows several encodings of one value: BOOLEAN 00 or FF,
 *   minimal INTEGER / ENUMERATED, BIT STRING with zero padding bits, empty NULL, minimal OBJECT
 *   IDENTIFIER and RELATIVE-OID arcs (within Go's 31-bit limit), UTCTime and GeneralizedTime in
 *   their one DER form;
 * - strings whose text a reader could change on decoding (so the text a reviewer sees would not
 *   be what the bytes say): UTF8String must be valid UTF-8, BMPString whole UTF-16 units,
 *   UniversalString whole 4-byte units within the Basic Multilingual Plane.
 * Contents of OCTET STRING and BIT STRING are not walked: extension values are checked by their
 * own decoders. Unsorted SET OF is accepted: Go's parser accepts it too, the subject is shown in
 * encoding order and the signature and digests cover the bytes, so nothing is hidden.
 */
import { readTlvHeader, type Tlv } from "./der.ts";
import { ASN1_PARSE_LIMITS } from "./limits.ts";

export type DerCheck = { ok: true } | { ok: false; reason: string };

const OK: DerCheck = { ok: true };
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Checks that `bytes` is exactly one DER element (trailing bytes fail) and that every element
 * inside it is DER. Nesting and element count are capped (ASN1_PARSE_LIMITS).
 */
export function checkStrictDer(bytes: Uint8Array): DerCheck {
  const read = readTlvHeader(bytes, 0);
  if (!read.ok) return { ok: false, reason: `${read.reason} at byte 0` };
  if (read.tlv.end > bytes.length) return { ok: false, reason: "element overruns the input" };
  if (read.tlv.end < bytes.length)
    return { ok: false, reason: `${bytes.length - read.tlv.end} bytes after the element` };
  return checkElement(bytes, read.tlv, 1, { nodes: 0 });
}

function fail(reason: string, tlv: Tlv): DerCheck {
  return { ok: false, reason: `${reason} at byte ${tlv.header}` };
}

function checkChildren(
  bytes: Uint8Array,
  start: number,
  end: number,
  depth: number,
  budget: { nodes: number },
): DerCheck {
  let offset = start;
  while (offset < end) {
    const read = readTlvHeader(bytes, offset);
    if (!read.ok) return { ok: false, reason: `${read.reason} at byte ${offset}` };
    if (read.tlv.end > end) return fail("element overruns its container", read.tlv);
    const checked = checkElement(bytes, read.tlv, depth, budget);
    if (!checked.ok) return checked;
    offset = read.tlv.end;
  }
  return OK;
}

function checkElement(
  bytes: Uint8Array,
  tlv: Tlv,
  depth: number,
  budget: { nodes: number },
): DerCheck {
  budget.nodes++;
  if (budget.nodes > ASN1_PARSE_LIMITS.maxNodes)
    return fail(`more than ${ASN1_PARSE_LIMITS.maxNodes} elements`, tlv);
  const universal = (tlv.tag & 0xc0) === 0;
  const number = tlv.tag & 0x1f;
  if ((tlv.tag & 0x20) !== 0) {
    if (universal && number !== 0x10 && number !== 0x11)
      return fail(`constructed form of universal type ${number} is not DER`, tlv);
    if (depth >= ASN1_PARSE_LIMITS.maxDepth)
      return fail(`nested deeper than ${ASN1_PARSE_LIMITS.maxDepth} levels`, tlv);
    return checkChildren(bytes, tlv.start, tlv.end, depth + 1, budget);
  }
  if (!universal) return OK;
  const problem = primitiveProblem(number, bytes, tlv.start, tlv.end);
  return problem === undefined ? OK : fail(problem, tlv);
}

/**
 * Why a universal primitive's content `bytes[start, end)` is not the one DER encoding of its
 * value, if it is not. The content is read in place: the common types need no view of their own.
 */
function primitiveProblem(
  number: number,
  bytes: Uint8Array,
  start: number,
  end: number,
): string | undefined {
  const length = end - start;
  switch (number) {
    case 0x00:
      return "end-of-contents marker (BER indefinite form)";
    case 0x01:
      return length === 1 && (bytes[start] === 0x00 || bytes[start] === 0xff)
        ? undefined
        : "BOOLEAN that is not one byte 00 or FF";
    case 0x02:
    case 0x0a:
      return minimalIntegerProblem(bytes, start, end);
    case 0x03:
      return bitStringProblem(bytes, start, end);
    case 0x05:
      return length === 0 ? undefined : "NULL with content";
    case 0x06:
    case 0x0d:
      return oidProblem(bytes, start, end);
    case 0x0c:
    case 0x0e:
      return validUtf8(bytes, start, end)
        ? undefined
        : "UTF8String or TIME that is not valid UTF-8";
    case 0x10:
    case 0x11:
      return "SEQUENCE or SET in primitive form";
    case 0x17:
      return timeProblem(bytes.subarray(start, end), UTC_TIME)
        ? "UTCTime not in the DER form YYMMDDHHMMSSZ"
        : undefined;
    case 0x18:
      return timeProblem(bytes.subarray(start, end), GENERALIZED_TIME)
        ? "GeneralizedTime not in the DER form YYYYMMDDHHMMSS[.fff]Z"
        : undefined;
    case 0x1c:
      return universalStringProblem(bytes, start, end);
    case 0x1e:
      return length % 2 === 0 ? undefined : "BMPString of an odd number of bytes";
    default:
      return undefined;
  }
}

function minimalIntegerProblem(bytes: Uint8Array, start: number, end: number): string | undefined {
  const first = bytes[start];
  const second = bytes[start + 1];
  if (first === undefined || end - start < 1) return "empty INTEGER";
  if (second === undefined || end - start < 2) return undefined;
  if ((first === 0x00 && second < 0x80) || (first === 0xff && second >= 0x80))
    return "non-minimal INTEGER encoding";
  return undefined;
}

function bitStringProblem(bytes: Uint8Array, start: number, end: number): string | undefined {
  const unused = bytes[start];
  if (unused === undefined || end - start < 1) return "BIT STRING without its unused-bits byte";
  if (unused > 7) return "BIT STRING with more than 7 unused bits";
  const last = bytes[end - 1] ?? 0;
  if (end - start === 1 && unused !== 0) return "empty BIT STRING with unused bits";
  if ((last & ((1 << unused) - 1)) !== 0) return "BIT STRING with non-zero padding bits";
  return undefined;
}

const UTC_TIME = /^\d\d(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/;
const GENERALIZED_TIME = /^\d{4}(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:\.\d*[1-9])?Z$/;

/** DER fixes one form for times (X.690 11.7, 11.8): seconds present, "Z", no trailing zeros. */
function timeProblem(content: Uint8Array, form: RegExp): boolean {
  const match = form.exec(Buffer.from(content).toString("latin1"));
  if (match === null) return true;
  const [month, day, hour, minute, second] = match.slice(1, 6).map(Number);
  return (
    month === undefined ||
    month < 1 ||
    month > 12 ||
    day === undefined ||
    day < 1 ||
    day > 31 ||
    (hour ?? 99) > 23 ||
    (minute ?? 99) > 59 ||
    (second ?? 99) > 59
  );
}

/** Minimal base-128 arcs, the last one terminated, none above 2^31 - 1 (Go's limit). */
function oidProblem(bytes: Uint8Array, start: number, end: number): string | undefined {
  if (end - start === 0) return "empty OBJECT IDENTIFIER";
  let value = 0;
  let fresh = true;
  for (let i = start; i < end; i++) {
    const b = bytes[i] ?? 0;
    if (fresh && b === 0x80) return "OBJECT IDENTIFIER arc with a leading zero group";
    value = value * 128 + (b & 0x7f);
    if (value > 0x7fffffff) return "OBJECT IDENTIFIER arc above 2^31 - 1";
    fresh = (b & 0x80) === 0;
    if (fresh) value = 0;
  }
  return fresh ? undefined : "OBJECT IDENTIFIER ends inside an arc";
}

function validUtf8(bytes: Uint8Array, start: number, end: number): boolean {
  // Plain ASCII is the common case and needs no decoder.
  let ascii = true;
  for (let i = start; i < end; i++) {
    if ((bytes[i] ?? 0) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return true;
  try {
    UTF8.decode(bytes.subarray(start, end));
    return true;
  } catch {
    return false;
  }
}

/** The schema library reads UniversalString as 16-bit code units: only BMP characters survive. */
function universalStringProblem(bytes: Uint8Array, start: number, end: number): string | undefined {
  if ((end - start) % 4 !== 0) return "UniversalString of partial 4-byte characters";
  for (let i = start; i < end; i += 4) {
    if (bytes[i] !== 0 || bytes[i + 1] !== 0)
      return "UniversalString character outside the Basic Multilingual Plane";
  }
  return undefined;
}
