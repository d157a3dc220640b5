/**
 * Strict standard base64, checked in one pass over the text with no regular expression and no
 * intermediate copy: characters of the base64 alphabet, then at most two "=", with whitespace
 * (JavaScript's `\s`, as in PEM bodies and wrapped YAML) allowed anywhere between, and a number of
 * non-whitespace characters that is a multiple of 4. Only then does `Buffer.from` decode it (it
 * would silently skip bad characters, which is why everything is validated first). Buffer skips
 * ASCII whitespace itself but reads other characters by their low byte (U+202F as "/"), so text
 * with non-ASCII whitespace is first copied without it. Text that is exactly the standard encoding
 * of its own bytes (the common case: what client-go and kubectl send) is accepted after one decode
 * and one re-encode, without the walk: such text passes the walk by construction.
 */

const ALPHABET_CHAR = 1;
const PAD = 2;
const ASCII_SPACE = 3;
const WIDE_SPACE = 4;

/** The class of each Latin-1 character code; 0 is "not allowed". */
const CLASSES = new Uint8Array(256);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
  CLASSES[c.charCodeAt(0)] = ALPHABET_CHAR;
CLASSES[0x3d] = PAD;
for (const code of [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20]) CLASSES[code] = ASCII_SPACE;
CLASSES[0xa0] = WIDE_SPACE;

/** JavaScript's `\s` above Latin-1. */
function isWideWhitespace(code: number): boolean {
  return (
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

function classOf(code: number): number {
  if (code < 256) return CLASSES[code] ?? 0;
  return isWideWhitespace(code) ? WIDE_SPACE : 0;
}

/**
 * The bytes of `text[start, end)` as strict base64, or undefined when it is not. Linear in the
 * length of the range whatever it holds.
 */
export function decodeBase64Strict(
  text: string,
  start = 0,
  end = text.length,
): Uint8Array | undefined {
  const range = start === 0 && end === text.length ? text : text.slice(start, end);
  // Fast path: text that is exactly the standard encoding of what it decodes to (no whitespace,
  // canonical padding) is strict base64 by construction, so it needs no walk. Anything else,
  // valid or not, takes the walk below, which decides.
  const canonical = Buffer.from(range, "base64");
  if (canonical.toString("base64") === range) return asUint8Array(canonical);
  return decodeWalked(range);
}

function asUint8Array(bytes: Buffer): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** The one-pass check of the whole text, then the decode. */
function decodeWalked(text: string): Uint8Array | undefined {
  let characters = 0;
  let padding = 0;
  let wideSpace = false;
  for (let i = 0; i < text.length; i++) {
    switch (classOf(text.charCodeAt(i))) {
      case ALPHABET_CHAR:
        if (padding > 0) return undefined;
        characters++;
        break;
      case ASCII_SPACE:
        break;
      case PAD:
        if (++padding > 2) return undefined;
        break;
      case WIDE_SPACE:
        wideSpace = true;
        break;
      default:
        return undefined;
    }
  }
  if ((characters + padding) % 4 !== 0) return undefined;
  return asUint8Array(Buffer.from(wideSpace ? withoutWhitespace(text) : text, "base64"));
}

function withoutWhitespace(text: string): string {
  const kept: string[] = [];
  for (const char of text) {
    const kind = classOf(char.charCodeAt(0));
    if (kind !== ASCII_SPACE && kind !== WIDE_SPACE) kept.push(char);
  }
  return kept.join("");
}
