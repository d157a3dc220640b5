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

function labelMatches(patternLabel: string, nameLabel: string): boolean {
  if (patternLabel === "*") return nameLabel !== "";
  if (nameLabel.includes("*")) return false;
  return patternLabel === nameLabel;
}

export function matchDnsPattern(pattern: string, name: string): boolean {
  const p = pattern.toLowerCase().split(".");
  const n = name.toLowerCase().split(".");
  if (n.some((label) => label === "")) return false;
  // A star inside a label ("a*.example.com") is not a wildcard anyone should be issued.
  // Only the leftmost label may be a wildcard (RFC 6125 6.4.3); anything else matches nothing.
  if (n.some((label, i) => label.includes("*") && (label !== "*" || i > 0))) return false;
  if (p[0] === "**") {
    const rest = p.slice(1);
    if (n.length < rest.length + 1) return false;
    const tail = n.slice(n.length - rest.length);
    return rest.every((label, i) => labelMatches(label, tail[i] ?? ""));
  }
  if (p.length !== n.length) return false;
  return p.every((label, i) => labelMatches(label, n[i] ?? ""));
}

export function matchAnyDnsPattern(patterns: readonly string[], name: string): boolean {
  return patterns.some((p) => matchDnsPattern(p, name));
}
