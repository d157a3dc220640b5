/** "a.b.c.d" of the four bytes from `at`. */
function dottedQuad(bytes: Uint8Array, at: number): string {
  return `${bytes[at] ?? 0}.${bytes[at + 1] ?? 0}.${bytes[at + 2] ?? 0}.${bytes[at + 3] ?? 0}`;
}

/**
 * Canonical text of an IP address SAN from its raw bytes: dotted quad for 4 bytes, RFC 5952 for 16
 * (lower case, longest run of two or more zero groups shortened to "::", first run on a tie, and
 * IPv4-mapped addresses as ::ffff:a.b.c.d). A 16-byte IPv4-mapped address stays version 6: it is
 * what the request says, and policy must not mistake it for a bare IPv4 SAN.
 */
export function formatIp(bytes: Uint8Array): { value: string; version: 4 | 6 } | undefined {
  if (bytes.length === 4) return { value: dottedQuad(bytes, 0), version: 4 };
  if (bytes.length !== 16) return undefined;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (mapped) return { value: `::ffff:${dottedQuad(bytes, 12)}`, version: 6 };
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLength < 2) return { value: hex.join(":"), version: 6 };
  const head = hex.slice(0, bestStart).join(":");
  const tail = hex.slice(bestStart + bestLength).join(":");
  return { value: `${head}::${tail}`, version: 6 };
}
