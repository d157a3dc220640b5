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
import { compilePerList } from "./compile-per-list.ts";

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

/** A pattern as its lower-cased labels: what matching needs of it, computed once. */
function patternLabels(pattern: string): readonly string[] {
  return pattern.toLowerCase().split(".");
}

/** The policy's own lists, split once per policy (compile-per-list.ts). */
const compiledPatterns = compilePerList((patterns) => patterns.map(patternLabels));

/** `p`: a pattern's labels; `n`: a well-formed name's labels (hostLabels). */
function labelsMatch(p: readonly string[], n: readonly string[]): boolean {
  if (p[0] === "**") {
    const rest = p.slice(1);
    if (n.length < rest.length + 1) return false;
    const tail = n.slice(n.length - rest.length);
    return rest.every((label, i) => labelMatches(label, tail[i] ?? ""));
  }
  if (p.length !== n.length) return false;
  return p.every((label, i) => labelMatches(label, n[i] ?? ""));
}

export function matchDnsPattern(pattern: string, name: string): boolean {
  // Empty labels, a star inside a label ("a*.example.com") or anywhere but the leftmost label
  // (RFC 6125 6.4.3), and any character outside a host name match nothing.
  const n = hostLabels(name);
  return n !== undefined && labelsMatch(patternLabels(pattern), n);
}

/** dnsPatternMayCover of a wildcard name, with the pattern's and the name's labels split. */
function labelsMayCover(p: readonly string[], labels: readonly string[]): boolean {
  const first = p[0] ?? "";
  const stand = p.length === labels.length && first !== "*" && first !== "**" ? first : "x";
  const n = hostLabels([stand, ...labels.slice(1)].join("."));
  return n !== undefined && labelsMatch(p, n);
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
  return labelsMayCover(patternLabels(pattern), labels);
}

/** dnsPatternMayCover for any of a policy's patterns; the name is read once, not per pattern. */
export function anyDnsPatternMayCover(patterns: readonly string[], name: string): boolean {
  const compiled = compiledPatterns(patterns);
  const labels = name.split(".");
  if (labels[0] === "*") return compiled.some((p) => labelsMayCover(p, labels));
  const n = hostLabels(name);
  return n !== undefined && compiled.some((p) => labelsMatch(p, n));
}

/** True when any pattern matches; the name is read once, not per pattern. */
export function matchAnyDnsPattern(patterns: readonly string[], name: string): boolean {
  const n = hostLabels(name);
  return n !== undefined && patterns.some((p) => labelsMatch(patternLabels(p), n));
}
