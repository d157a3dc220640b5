import { decodeBase64Strict } from "./base64.ts";
import { failure, type Failure } from "./decode-error.ts";
import { MAX_INPUT_BYTES } from "./limits.ts";

const LABEL = "CERTIFICATE REQUEST";
const BEGIN = "-----BEGIN ";
const DASHES = "-----";
const MAX_LABEL = 64;

/** How many label characters (A-Z, 0-9, space) start at `start`: 0 to MAX_LABEL + 1. */
function labelLength(text: string, start: number): number {
  let n = 0;
  while (n <= MAX_LABEL) {
    const code = text.charCodeAt(start + n);
    const upper = code >= 0x41 && code <= 0x5a;
    const digit = code >= 0x30 && code <= 0x39;
    if (!upper && !digit && code !== 0x20) break;
    n++;
  }
  return n;
}

function countOccurrences(text: string, needle: string): number {
  let count = 0;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) count++;
  return count;
}

/**
 * The DER inside the one "CERTIFICATE REQUEST" PEM block of `text`. Text around the block is
 * ignored (as Go's pem.Decode does), but a second block is an error rather than silently dropped:
 * a reviewer must never see one request while the signer reads another. `canonicalPem` is `text`
 * itself when it is exactly `derToPem(der)`, else undefined.
 */
export function pemToDer(
  text: string,
): { ok: true; der: Uint8Array; canonicalPem: string | undefined } | Failure {
  if (text.length > MAX_INPUT_BYTES)
    return failure("input-too-large", `PEM text over ${MAX_INPUT_BYTES} bytes`);
  const canonical = canonicalDer(text);
  if (canonical !== undefined) return { ok: true, der: canonical, canonicalPem: text };
  const blocks = countOccurrences(text, BEGIN);
  if (blocks === 0) return failure("not-pem", "no -----BEGIN line: not a PEM block");
  if (blocks > 1)
    return failure(
      "multiple-pem-blocks",
      `${blocks} PEM blocks where exactly one CERTIFICATE REQUEST is expected`,
    );
  const labelStart = text.indexOf(BEGIN) + BEGIN.length;
  const length = labelLength(text, labelStart);
  const labelEnd = labelStart + length;
  if (length === 0 || length > MAX_LABEL || !text.startsWith(DASHES, labelEnd))
    return failure("not-pem", "malformed -----BEGIN line");
  const label = text.slice(labelStart, labelEnd);
  const bodyStart = labelEnd + DASHES.length;
  const endMarker = `-----END ${label}-----`;
  const end = text.indexOf(endMarker, bodyStart);
  if (end === -1) return failure("not-pem", `no ${endMarker} line`);
  if (label !== LABEL)
    return failure("wrong-pem-type", `PEM block is "${label}", expected "${LABEL}"`);
  const colon = text.indexOf(":", bodyStart);
  if (colon !== -1 && colon < end)
    return failure("not-pem", "PEM headers are not allowed in a certificate request");
  const der = decodeBase64Strict(text, bodyStart, end);
  if (der === undefined) return failure("not-base64", "PEM body is not valid base64");
  if (der.length === 0) return failure("malformed-der", "PEM body is empty");
  return { ok: true, der, canonicalPem: undefined };
}

/** Standard base64 of the bytes in lines of 64 characters joined by "\n" (no final newline). */
function wrappedBase64(bytes: Uint8Array): string {
  const b64 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("base64");
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return lines.join("\n");
}

const CANONICAL_BEGIN = `-----BEGIN ${LABEL}-----\n`;
const CANONICAL_END = `\n-----END ${LABEL}-----\n`;

/**
 * The DER of a text that is exactly the canonical PEM of that DER (what `derToPem`, Go's
 * pem.Encode and openssl write: one block, 64-character lines, a final newline): decoded once,
 * encoded again and compared, so such a text needs neither the search for blocks nor the base64
 * walk (it passes both by construction). Undefined for any other text, which takes them.
 */
function canonicalDer(text: string): Uint8Array | undefined {
  const body = Buffer.from(text.slice(CANONICAL_BEGIN.length, -CANONICAL_END.length), "base64");
  const der = new Uint8Array(body.buffer, body.byteOffset, body.length);
  return der.length > 0 && text === derToPem(der) ? der : undefined;
}

/** The canonical PEM of a request: one block, 64-character lines, trailing newline. */
export function derToPem(der: Uint8Array): string {
  return `-----BEGIN ${LABEL}-----\n${wrappedBase64(der)}\n-----END ${LABEL}-----\n`;
}
