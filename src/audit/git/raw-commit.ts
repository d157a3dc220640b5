/**
 * A raw git commit object split into what the audit checks: identities, message, and the
 * signature with the exact bytes it signs (the object without its signature header), which is
 * what `git verify-commit` hands to gpg or ssh-keygen.
 */
import type { Person } from "../history.ts";

export interface RawCommit {
  readonly author: Person;
  readonly committer: Person;
  readonly message: string;
  /** The armored signature, when the commit carries one. */
  readonly signature: string | undefined;
  /** The bytes the signature covers. */
  readonly signedPayload: Buffer;
}

function person(line: string): Person | undefined {
  const m = /^(.*) <([^>]*)> (\d+) ([+-]\d{4})$/.exec(line);
  if (m === null) return undefined;
  return {
    name: m[1] ?? "",
    email: m[2] ?? "",
    date: new Date(Number(m[3]) * 1000).toISOString(),
  };
}

const SIGNATURE_HEADERS = new Set(["gpgsig", "gpgsig-sha256"]);

export function parseRawCommit(raw: Buffer): RawCommit | undefined {
  const split = raw.indexOf("\n\n");
  const headerEnd = split === -1 ? raw.length : split;
  // latin1 maps bytes one to one, so the payload rebuilt below is byte-exact whatever the encoding.
  const headerText = raw.toString("latin1", 0, headerEnd);
  const message = split === -1 ? "" : raw.toString("utf8", split + 2);
  let author: Person | undefined;
  let committer: Person | undefined;
  let signature: string[] | undefined;
  const kept: string[] = [];
  // Every signature header (and its continuation lines) is left out of the payload, as git does;
  // the first one is the signature checked.
  let inSignature = false;
  let capturing = false;
  for (const line of headerText.split("\n")) {
    if (line.startsWith(" ")) {
      if (capturing) signature?.push(line.slice(1));
      if (!inSignature) kept.push(line);
      continue;
    }
    const sp = line.indexOf(" ");
    const key = sp === -1 ? line : line.slice(0, sp);
    const value = sp === -1 ? "" : line.slice(sp + 1);
    inSignature = SIGNATURE_HEADERS.has(key);
    capturing = inSignature && signature === undefined;
    if (capturing) signature = [value];
    if (inSignature) continue;
    kept.push(line);
    if (key === "author") author = person(Buffer.from(value, "latin1").toString("utf8"));
    else if (key === "committer") committer = person(Buffer.from(value, "latin1").toString("utf8"));
  }
  if (author === undefined || committer === undefined) return undefined;
  // Rebuild from the original bytes, header lines without the signature, then the body as is.
  const body = split === -1 ? Buffer.alloc(0) : raw.subarray(split);
  const signedPayload = Buffer.concat([Buffer.from(kept.join("\n"), "latin1"), body]);
  return {
    author,
    committer,
    message,
    signature: signature?.join("\n"),
    signedPayload,
  };
}
