/**
 * The git blob id (SHA-1) of a text as GitHub stores it (UTF-8 bytes), computed locally so that a
 * commit built from a tree with inline contents names its record blobs without reading them back.
 * Pure.
 */
import { createHash } from "node:crypto";

export function gitBlobSha(text: string): string {
  const bytes = Buffer.from(text, "utf8");
  return createHash("sha1")
    .update(`blob ${String(bytes.length)}\0`)
    .update(bytes)
    .digest("hex");
}
