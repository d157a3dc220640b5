const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Strict standard base64 (whitespace allowed between characters, as in PEM bodies and wrapped
 * YAML). Buffer.from(..., "base64") silently skips bad characters, so validate first.
 */
export function decodeBase64Strict(text: string): Uint8Array | undefined {
  const compact = text.replace(/\s+/g, "");
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) return undefined;
  return new Uint8Array(Buffer.from(compact, "base64"));
}
