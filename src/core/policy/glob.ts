/**
 * Glob patterns for subject names, organisations, usernames, groups, emails and URIs:
 * `*` matches any run of characters (also none, also ":" and "."); every other character matches
 * itself, case-sensitively. There is no `?`, no classes and no escaping: a pattern is either
 * literal or has stars, which keeps what a policy allows obvious at a glance.
 */
import { compilePerList } from "./compile-per-list.ts";

export function matchGlob(pattern: string, value: string): boolean {
  return matchParts(pattern.split("*"), value);
}

/** `parts`: a pattern split at its stars. */
function matchParts(parts: readonly string[], value: string): boolean {
  const first = parts[0] ?? "";
  if (parts.length === 1) return value === first;
  const last = parts[parts.length - 1] ?? "";
  if (value.length < first.length + last.length) return false;
  if (!value.startsWith(first) || !value.endsWith(last)) return false;
  // Greedy-left search of the middle parts inside the window between prefix and suffix.
  let pos = first.length;
  const end = value.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i] ?? "";
    const at = value.indexOf(part, pos);
    if (at < 0 || at + part.length > end) return false;
    pos = at + part.length;
  }
  return true;
}

/** A list's patterns split at their stars, once per list (compile-per-list.ts). */
const compiledGlobs = compilePerList((patterns) => patterns.map((p) => p.split("*")));

/** True when any pattern matches. */
export function matchAnyGlob(patterns: readonly string[], value: string): boolean {
  return compiledGlobs(patterns).some((parts) => matchParts(parts, value));
}
