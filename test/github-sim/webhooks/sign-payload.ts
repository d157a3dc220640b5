import { createHmac } from "node:crypto";

/** GitHub's `X-Hub-Signature-256` value: `sha256=` + hex HMAC-SHA256(secret, raw body). */
export function signPayload(secret: string, rawBody: string | Uint8Array): string {
  return `sha256=${createHmac("sha256", secret).update(rawBody).digest("hex")}`;
}
