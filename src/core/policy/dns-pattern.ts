/**
 * DNS name patterns for SAN allow-lists, compared label by label, case-insensitively:
 *   - a literal label matches the same label;
 *   - `*` as a whole label matches exactly one label (`*.example.com` matches `a.example.com`, not
 *     `example.com` and not `a.b.example.com`);
 *   - `**` as the first label matches one or more labels (`**.example.com` matches
 *     `a.b.example.com`); a pattern that is just `**` matches every name.
 * A requested wildcard name (`*.example.com`) is a certificate for every name one label below, so
 * it is allowed only where the pattern allows all of those: by a `*` or `**` label, never by a
 * literal label. Only a leftmost `*` label is a wildcard name; `a*.example.com`, `a.*.example.com`,
 * names with an empty label and names with a trailing dot match nothing.
 * A requested name must be a host name (letters, digits, `_` and inner `-` per label, at most 63
 * per label and 253 in all) or no pattern matches it, not even `**`: Go's signer copies any ASCII,
 * NUL and spaces included, and a client reading "www.bank.com\0.example.com" as a C string sees
 * "www.bank.com" (the null-prefix attack).
 */
export function isValidDnsPattern(pattern: string): boolean {
  const labels = pattern.toLowerCase().split(".");
  return labels.every(
    (label, i) =>
      label === "*" ||
      (label === "**" && i === 0) ||
      /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/.test(label),
  );
}

// Tested before lower-casing: "\u212A" (Kelvin sign) lower-cases to an ASCII "k".
const HOST_LABEL = /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/i;

/** Lower-cased labels of a well-formed name (a leftmost "*" allowed), or undefined. */
function hostLabels(name: string): string[] | undefined {
  if (name.length > 253) return undefined;
  const labels = name.split(".");
  const ok = labels.every((label, i) => (label === "*" && i === 0) || HOST_LABEL.test(label));
  return ok ? labels.map((label) => label.toLowerCase()) : undefined;
}

function labelMatches(patternLabel: string, nameLabel: string): boolean {
  if (patternLabel === "*") return nameLabel !== "";
  if (nameLabel.includes("*")) return false;
  return patternLabel === nameLabel;
}

export function matchDnsPattern(pattern: string, name: string): boolean {
  const p = pattern.toLowerCase().split(".");
  // Empty labels, a star inside a label ("a*.example.com") or anywhere but the leftmost label
  // (RFC 6125 6.4.3), and any character outside a host name match nothing.
  const n = hostLabels(name);
  if (n === undefined) return false;
  if (p[0] === "**") {
    const rest = p.slice(1);
    if (n.length < rest.length + 1) return false;
    const tail = n.slice(n.length - rest.length);
    return rest.every((label, i) => labelMatches(label, tail[i] ?? ""));
  }
  if (p.length !== n.length) return false;
  return p.every((label, i) => labelMatches(label, n[i] ?? ""));
}

/**
 * For risk tiers, which must err towards applying: true when the name could be a certificate for
 * some name the pattern matches. A plain name is matched as usual; a wildcard name `*.rest` covers
 * every name one label below `rest`, so it is tried with the pattern's own leftmost label (or any
 * label where the pattern has `*` or `**`) in place of the star. `*.prod.example.com` thus falls
 * under a tier for `db.prod.example.com`, which the allow-list reading (containment) would miss.
 */
export function dnsPatternMayCover(pattern: string, name: string): boolean {
  const labels = name.split(".");
  if (labels[0] !== "*") return matchDnsPattern(pattern, name);
  const p = pattern.toLowerCase().split(".");
  const first = p[0] ?? "";
  const stand = p.length === labels.length && first !== "*" && first !== "**" ? first : "x";
  return matchDnsPattern(pattern, [stand, ...labels.slice(1)].join("."));
}

export function matchAnyDnsPattern(patterns: readonly string[], name: string): boolean {
  return patterns.some((p) => matchDnsPattern(p, name));
}
