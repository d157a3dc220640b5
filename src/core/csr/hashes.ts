import { hash } from "node:crypto";

/** Lower-case hex SHA-256 of the bytes (node:crypto's one-shot `hash`: no Hash object). */
export function sha256Hex(bytes: Uint8Array): string {
  return hash("sha256", bytes, "hex");
}
