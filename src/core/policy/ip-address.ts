/**
 * Textual IP addresses and CIDR blocks as bytes, and prefix matching. Written here (instead of
 * node:net BlockList) so the core stays free of runtime-specific APIs and the rules are explicit:
 *   - IPv4 is dotted quad only, each part 0-255 in plain decimal without leading zeros.
 *   - IPv6 is RFC 4291 text (one "::" at most, optional trailing dotted quad), no zone index.
 *   - Families never mix: an IPv4 block never matches an IPv6 address, IPv4-mapped ones included.
 *     That errs on the side of denying.
 *   - A block must have no host bits set ("10.0.0.1/8" is a typo, not a block).
 */

export interface IpAddress {
  readonly version: 4 | 6;
  readonly bytes: readonly number[];
}

export interface CidrBlock {
  readonly version: 4 | 6;
  readonly bytes: readonly number[];
  readonly prefix: number;
}

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    bytes.push(n);
  }
  return bytes;
}

function parseGroups(text: string): number[] | undefined {
  if (text === "") return [];
  const bytes: number[] = [];
  for (const group of text.split(":")) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    const n = parseInt(group, 16);
    bytes.push(n >> 8, n & 0xff);
  }
  return bytes;
}

function parseIpv6(text: string): number[] | undefined {
  let head = text;
  let tail4: number[] = [];
  const lastColon = text.lastIndexOf(":");
  if (lastColon >= 0 && text.slice(lastColon + 1).includes(".")) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail4 = v4;
    // Keep the colon when it belongs to "::" so the split below still sees the gap.
    head = text.slice(0, text[lastColon - 1] === ":" ? lastColon + 1 : lastColon);
  }
  const halves = head.split("::");
  if (halves.length > 2) return undefined;
  const left = parseGroups(halves[0] ?? "");
  if (left === undefined) return undefined;
  if (halves.length === 1) {
    const all = [...left, ...tail4];
    return all.length === 16 ? all : undefined;
  }
  const right = parseGroups(halves[1] ?? "");
  if (right === undefined) return undefined;
  const known = left.length + right.length + tail4.length;
  // "::" stands for at least one zero group.
  if (known > 14) return undefined;
  return [...left, ...new Array<number>(16 - known).fill(0), ...right, ...tail4];
}

/** Parses an IPv4 or IPv6 address; undefined when the text is not one. */
export function parseIpAddress(text: string): IpAddress | undefined {
  if (text.includes(":")) {
    const bytes = parseIpv6(text);
    return bytes === undefined ? undefined : { version: 6, bytes };
  }
  const bytes = parseIpv4(text);
  return bytes === undefined ? undefined : { version: 4, bytes };
}

function hostBitsSet(bytes: readonly number[], prefix: number): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    const mask = (0xff << (8 - keep)) & 0xff;
    if (((bytes[i] ?? 0) & ~mask & 0xff) !== 0) return true;
  }
  return false;
}

export type CidrParseResult =
  | { readonly ok: true; readonly block: CidrBlock }
  | { readonly ok: false; readonly message: string };

/** Parses "a.b.c.d/n" or "x::y/n". A bare address is a host block (/32 or /128). */
export function parseCidr(text: string): CidrParseResult {
  const slash = text.indexOf("/");
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const address = parseIpAddress(addressText);
  if (address === undefined) return { ok: false, message: `"${addressText}" is not an IP address` };
  const max = address.version === 4 ? 32 : 128;
  let prefix = max;
  if (slash >= 0) {
    const prefixText = text.slice(slash + 1);
    if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText) || Number(prefixText) > max) {
      return { ok: false, message: `"/${prefixText}" is not a prefix length from 0 to ${max}` };
    }
    prefix = Number(prefixText);
  }
  if (hostBitsSet(address.bytes, prefix)) {
    return { ok: false, message: `"${text}" has host bits set beyond /${prefix}` };
  }
  return { ok: true, block: { version: address.version, bytes: address.bytes, prefix } };
}

/** True when the address lies inside the block (same family, first `prefix` bits equal). */
export function cidrContains(block: CidrBlock, address: IpAddress): boolean {
  if (block.version !== address.version) return false;
  for (let i = 0; i * 8 < block.prefix; i++) {
    const keep = Math.min(8, block.prefix - i * 8);
    const mask = (0xff << (8 - keep)) & 0xff;
    if (((block.bytes[i] ?? 0) & mask) !== ((address.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}
