import { createHmac } from "node:crypto";

/** GitHub's `X-Hub-Signature-256` value: `sha256=` + hex HMAC-SHA256(secret, raw body). */
export function signPayload(secret: string, rawBody: string | Uint8Array): string {
  return `sha256=${createHmac("sha256", secret).update(rawBody).digest("hex")}`;
}

/** GitHub's legacy `X-Hub-Signature` value: `sha1=` + hex HMAC-SHA1(secret, raw body). */
export function signPayloadSha1(secret: string, rawBody: string | Uint8Array): string {
  return `sha1=${createHmac("sha1", secret).update(rawBody).digest("hex")}`;
}
