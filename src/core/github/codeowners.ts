/**
 * CODEOWNERS with GitHub's semantics (see docs/codeowners.md for why this is hand-written):
 * the first of .github/CODEOWNERS, CODEOWNERS, docs/CODEOWNERS is used; the last matching line
 * wins; a line whose pattern has no owners un-owns the paths it matches; a line with invalid
 * syntax is skipped and reported the way `GET /repos/{owner}/{repo}/codeowners/errors` does.
 * Pure: callers read the file (from the base branch) and pass the text in.
 */
import { compilePattern } from "./codeowners-pattern.ts";
import { parseOwner, type Owner } from "./codeowners-owner.ts";

export { parseOwner, type Owner } from "./codeowners-owner.ts";

export interface CodeownersRule {
  readonly pattern: string;
  readonly owners: readonly string[];
  readonly line: number;
}

export interface CodeownersError {
  readonly line: number;
  readonly column: number;
  readonly kind: string;
  readonly source: string;
  readonly suggestion?: string;
  readonly message: string;
}

export const CODEOWNERS_PATHS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"] as const;

/** GitHub does not load a CODEOWNERS file of 3 MB or more: nothing is owned then. */
export const CODEOWNERS_MAX_BYTES = 3 * 1024 * 1024;

interface Token {
  readonly text: string;
  readonly column: number;
}

/**
 * ASCII whitespace only. JavaScript's \s also matches no-break and other Unicode spaces (and the
 * byte order mark): splitting on those would make "@security\u00a0@evil" two owners here while
 * GitHub reads one invalid token, letting @evil's approval count.
 */
const SPACE = /[ \t\n\v\f\r]/;

/** Whitespace-separated tokens with 1-based columns; `\ ` keeps a space inside a token. */
function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && SPACE.test(line.charAt(i))) i++;
    if (i >= line.length) break;
    const start = i;
    let text = "";
    while (i < line.length && !SPACE.test(line.charAt(i))) {
      if (line.charAt(i) === "\\" && i + 1 < line.length) {
        text += line.slice(i, i + 2);
        i += 2;
      } else text += line.charAt(i++);
    }
    // An inline comment starts at a token beginning with `#` (after the pattern).
    if (tokens.length > 0 && text.startsWith("#")) break;
    tokens.push({ text, column: start + 1 });
  }
  return tokens;
}

function makeError(
  line: number,
  column: number,
  kind: string,
  source: string,
  suggestion?: string,
): CodeownersError {
  const caret = `${" ".repeat(column - 1)}^`;
  const message = `${kind} on line ${line}:${suggestion === undefined ? "" : ` ${suggestion}`}\n\n  ${source}\n  ${caret}`;
  return {
    line,
    column,
    kind,
    source,
    ...(suggestion === undefined ? {} : { suggestion }),
    message,
  };
}

interface ParsedLine {
  readonly line: number;
  readonly source: string;
  readonly pattern: Token;
  readonly owners: readonly Token[];
}

function splitLines(text: string): { line: number; source: string }[] {
  return text
    .split("\n")
    .map((raw, index) => ({ line: index + 1, source: raw.replace(/\r$/, "") }));
}

function parseLine(line: number, source: string): ParsedLine | CodeownersError | undefined {
  const trimmed = source.trim();
  if (trimmed === "" || trimmed.startsWith("#")) return undefined;
  // (trim() also drops Unicode spaces and a byte order mark: a comment stays a comment.)
  const [pattern, ...owners] = tokenize(source);
  if (pattern === undefined) return undefined;
  const compiled = compilePattern(pattern.text);
  if (!compiled.ok)
    return makeError(
      line,
      pattern.column + compiled.column - 1,
      "Invalid pattern",
      source,
      compiled.suggestion,
    );
  for (const owner of owners)
    if (parseOwner(owner.text) === undefined)
      return makeError(line, owner.column, "Invalid owner", source);
  return { line, source, pattern, owners };
}

export function parseCodeowners(text: string): {
  rules: CodeownersRule[];
  errors: CodeownersError[];
} {
  if (new TextEncoder().encode(text).length >= CODEOWNERS_MAX_BYTES) {
    const suggestion = "CODEOWNERS files must be under 3 MB; GitHub does not load this one.";
    return { rules: [], errors: [makeError(1, 1, "File too large", "", suggestion)] };
  }
  const rules: CodeownersRule[] = [];
  const errors: CodeownersError[] = [];
  for (const { line, source } of splitLines(text)) {
    const parsed = parseLine(line, source);
    if (parsed === undefined) continue;
    if ("kind" in parsed) errors.push(parsed);
    else
      rules.push({
        pattern: parsed.pattern.text,
        owners: parsed.owners.map((o) => o.text),
        line,
      });
  }
  return { rules, errors };
}

/**
 * "Unknown owner" errors: owners that are well-formed but that GitHub cannot use (no such user or
 * team, or without write access). Needs knowledge the pure parser lacks, so the caller supplies it.
 */
export function unknownOwnerErrors(
  text: string,
  isKnown: (owner: Owner) => boolean,
): CodeownersError[] {
  const errors: CodeownersError[] = [];
  for (const { line, source } of splitLines(text)) {
    const parsed = parseLine(line, source);
    if (parsed === undefined || "kind" in parsed) continue;
    for (const token of parsed.owners) {
      const owner = parseOwner(token.text);
      if (owner !== undefined && !isKnown(owner))
        errors.push(makeError(line, token.column, "Unknown owner", source));
    }
  }
  return errors;
}

const compiledCache = new Map<string, RegExp | null>();

function regexFor(pattern: string): RegExp | null {
  let regex = compiledCache.get(pattern);
  if (regex === undefined) {
    const compiled = compilePattern(pattern);
    regex = compiled.ok ? compiled.regex : null;
    compiledCache.set(pattern, regex);
  }
  return regex;
}

/** The owners of `path` (repository-relative, no leading slash); undefined = nobody owns it. */
export function ownersOf(rules: readonly CodeownersRule[], path: string): string[] | undefined {
  const normalized = path.replace(/^\/+/, "");
  for (let i = rules.length - 1; i >= 0; i--) {
    const rule = rules[i];
    if (rule === undefined) continue;
    if (regexFor(rule.pattern)?.test(normalized) !== true) continue;
    return rule.owners.length === 0 ? undefined : [...rule.owners];
  }
  return undefined;
}

/** The CODEOWNERS file GitHub would use: the first of CODEOWNERS_PATHS that exists. */
export function findCodeowners(
  read: (path: string) => string | undefined,
): { path: string; text: string } | undefined {
  for (const path of CODEOWNERS_PATHS) {
    const text = read(path);
    if (text !== undefined) return { path, text };
  }
  return undefined;
}
