/**
 * CODEOWNERS path patterns. GitHub documents them as gitignore-like with exceptions, which is
 * why this is not a gitignore library:
 * - no `!` negation, no `[ ]` character ranges, no `\#` escape (GitHub skips such lines);
 * - `docs/*` matches files directly in docs/ only, not docs/a/b (gitignore would match both);
 * - otherwise as gitignore: a leading or inner `/` anchors to the repository root, a trailing `/`
 *   means "everything beneath this directory", `**` spans directories, a pattern that names a
 *   directory also owns everything beneath it, and matching is case-sensitive.
 */

export type CompiledPattern =
  | { readonly ok: true; readonly regex: RegExp }
  | { readonly ok: false; readonly column: number; readonly suggestion?: string };

function escapeRegex(char: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(char) ? `\\${char}` : char;
}

/** One path segment (no `/`) to a regex fragment; `*` and `?` never cross a `/`. */
function segmentRegex(segment: string): string {
  let out = "";
  for (let i = 0; i < segment.length; i++) {
    const char = segment.charAt(i);
    if (char === "*") out += "[^/]*";
    else if (char === "?") out += "[^/]";
    else if (char === "\\" && i + 1 < segment.length) out += escapeRegex(segment.charAt(++i));
    else out += escapeRegex(char);
  }
  return out;
}

function unsupported(pattern: string): { column: number; suggestion?: string } | undefined {
  if (pattern.startsWith("\\#"))
    return { column: 1, suggestion: "Escaping `#` is not supported in CODEOWNERS." };
  if (pattern.startsWith("!"))
    return { column: 1, suggestion: "Negated patterns (`!`) are not supported in CODEOWNERS." };
  const bracket = pattern.search(/[[\]]/);
  if (bracket !== -1)
    return {
      column: bracket + 1,
      suggestion: "Character ranges (`[ ]`) are not supported in CODEOWNERS.",
    };
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

  let regex = anchored ? "^" : "^(?:.*/)?";
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (segment === "**") {
      if (i === 0) regex += last ? ".*" : "(?:.*/)?";
      else regex += last ? "/.*" : "/(?:[^/]+/)*";
      return;
    }
    if (i > 0 && segments[i - 1] !== "**") regex += "/";
    regex += segmentRegex(segment);
  });
  const lastSegment = segments[segments.length - 1] ?? "";
  if (lastSegment === "**") regex += "$";
  else if (dirOnly) regex += "/.+$";
  // `docs/*`: the files directly in docs/, not deeper (GitHub's documented exception).
  else if (anchored && lastSegment.includes("*")) regex += "$";
  else regex += "(?:/.*)?$";
  return { ok: true, regex: new RegExp(regex) };
}
