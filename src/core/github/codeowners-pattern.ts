/**
 * CODEOWNERS path patterns. GitHub documents them as gitignore-like with exceptions, which is
 * why this is not a gitignore library:
 * - no `!` negation, no `[ ]` character ranges, no `\#` escape (GitHub skips such lines); a
 *   bracket escaped with a backslash (`\[`, `\]`) is the bracket itself, as GitHub's error asks;
 * - `docs/*` matches files directly in docs/ only, not docs/a/b (gitignore would match both);
 * - otherwise as gitignore: a leading or inner `/` anchors to the repository root, a trailing `/`
 *   means "everything beneath this directory", `**` spans directories, a pattern that names a
 *   directory also owns everything beneath it, a bare `**` matches every path, and matching is
 *   case-sensitive. Readings GitHub leaves open are chosen in docs/codeowners.md.
 */

export type CompiledPattern =
  | { readonly ok: true; readonly regex: RegExp }
  | { readonly ok: false; readonly column: number; readonly suggestion?: string };

function escapeRegex(char: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(char) ? `\\${char}` : char;
}

/**
 * One path segment (no `/`) to a regex fragment; `*` and `?` never cross a `/`. Plain "[^/]*" per
 * star backtracks polynomially (nine stars against a 240-character CSR name never finish), so each
 * star followed by more text takes the earliest occurrence of that text, atomically (a lookahead
 * with a back-reference: JavaScript has no possessive quantifiers). Earliest-first is exact for
 * globs whose runs between stars have a fixed length, as `?` and literals do. Only the last run
 * may move, and it is anchored at the segment's end, so matching stays linear per segment.
 */
function segmentRegex(segment: string, nextGroup: () => number): string {
  const runs: string[] = [];
  let current = "";
  for (let i = 0; i < segment.length; i++) {
    const char = segment.charAt(i);
    if (char === "*") {
      runs.push(current);
      current = "";
    } else if (char === "?") current += "[^/]";
    else if (char === "\\" && i + 1 < segment.length) current += escapeRegex(segment.charAt(++i));
    else current += escapeRegex(char);
  }
  runs.push(current);
  if (runs.length === 1) return runs[0] ?? "";
  let out = runs[0] ?? "";
  for (const run of runs.slice(1, -1)) {
    if (run === "") continue;
    const group = nextGroup();
    out += `(?=([^/]*?${run}))\\${group}`;
  }
  return `${out}[^/]*${runs[runs.length - 1] ?? ""}`;
}

/** The index of the first `[` or `]` not escaped with a backslash, or -1. */
function unescapedBracket(pattern: string): number {
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern.charAt(i);
    if (char === "\\") i++;
    else if (char === "[" || char === "]") return i;
  }
  return -1;
}

function unsupported(pattern: string): { column: number; suggestion?: string } | undefined {
  if (pattern.startsWith("\\#"))
    return { column: 1, suggestion: "Escaping `#` is not supported in CODEOWNERS." };
  if (pattern.startsWith("!"))
    return { column: 1, suggestion: "Negated patterns (`!`) are not supported in CODEOWNERS." };
  const bracket = unescapedBracket(pattern);
  if (bracket !== -1)
    return { column: bracket + 1, suggestion: "both `[` and `]` must be escaped with a `\\`" };
  const stars = pattern.search(/\*\*\*/);
  if (stars !== -1)
    return {
      column: stars + 1,
      suggestion: `Did you mean \`${pattern.replace(/\*{3,}/g, "**")}\`?`,
    };
  if (pattern === "/")
    return {
      column: 1,
      suggestion: "The pattern `/` will never match anything, did you mean `*` instead?",
    };
  return undefined;
}

export function compilePattern(pattern: string): CompiledPattern {
  const problem = unsupported(pattern);
  if (problem !== undefined) return { ok: false, ...problem };

  let body = pattern;
  const dirOnly = body.endsWith("/");
  if (dirOnly) body = body.slice(0, -1);
  const rooted = body.startsWith("/");
  if (rooted) body = body.slice(1);
  // As in gitignore, a slash anywhere but at the end anchors the pattern to the root.
  const anchored = rooted || body.includes("/");
  const segments = body.split("/");
  if (segments.includes("")) return { ok: false, column: 1 };

  let groups = 0;
  const nextGroup = (): number => ++groups;
  // An unanchored pattern is one that starts with "**/". Consecutive `**` segments mean what one
  // does (as in gitignore), so a bare `**` is a single `**` that matches every path.
  const all = (anchored ? segments : ["**", ...segments]).filter(
    (s, k, list) => s !== "**" || list[k - 1] !== "**",
  );
  let regex = "^";
  let i = 0;
  while (i < all.length) {
    const segment = all[i] ?? "";
    if (segment !== "**") {
      // A run at the start of an anchored pattern: fixed segments, nothing to backtrack over.
      if (i > 0) regex += "/";
      regex += segmentRegex(segment, nextGroup);
      i++;
      continue;
    }
    const first = i === 0;
    if (i === all.length - 1) {
      regex += first ? ".*" : "/.*";
      break;
    }
    // `**` then a run of ordinary segments up to the next `**` (or the end). The `**` takes as
    // few directories as it can; when another `**` follows, that choice is made atomic (as in
    // segmentRegex), else several `**` would backtrack against each other polynomially.
    let next = i + 1;
    while (next < all.length && all[next] !== "**") next++;
    const atomic = next < all.length;
    const group = atomic ? nextGroup() : 0;
    const run = all
      .slice(i + 1, next)
      .map((s) => segmentRegex(s, nextGroup))
      .join("/");
    const skip = `${first ? "(?:[^/]*/)*?" : "/(?:[^/]+/)*?"}${run}`;
    regex += atomic ? `(?=(${skip}(?=/|$)))\\${group}` : skip;
    i = next;
  }
  const lastSegment = segments[segments.length - 1] ?? "";
  if (lastSegment === "**") regex += "$";
  else if (dirOnly) regex += "/.+$";
  // `docs/*`: the files directly in docs/, not deeper (GitHub's documented exception).
  else if (anchored && lastSegment.includes("*")) regex += "$";
  else regex += "(?:/.*)?$";
  return { ok: true, regex: new RegExp(regex) };
}
