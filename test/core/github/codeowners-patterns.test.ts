/**
 * CODEOWNERS pattern compilation, piece by piece: regex metacharacters are literal, `*` and `?`
 * never cross a `/`, `**` segments, anchoring, trailing slashes, escapes, and the column and
 * suggestion of each refused pattern. A pattern that owns one path too many hands an approval to
 * the wrong people; one too few leaves a record without its owners.
 */
import { describe, expect, it } from "vitest";
import { ownersOf, parseCodeowners } from "../../../src/core/github/codeowners.ts";

const owners = (text: string, path: string): string[] | undefined =>
  ownersOf(parseCodeowners(text).rules, path);

describe("what a pattern owns", () => {
  it.each<[string, string, boolean]>([
    // Regex metacharacters are themselves.
    ["a{2}", "a{2}", true],
    ["a{2}", "aa", false],
    ["a^b", "a^b", true],
    ["a$b", "a$b", true],
    ["a$b", "a", false],
    // Two stars inside one segment are two stars: any run, never a `/`.
    ["a**b", "axyb", true],
    ["a**b", "ax/yb", false],
    ["/a**b", "ax/yb", false],
    ["a?c", "a/c", false],
    // `**` segments take zero or more directories.
    ["a/**/b/**/c", "a/x/b/y/z/c", true],
    ["a/**/b/**/c", "a/b/c", true],
    ["a/**/b/**/c", "a/c/b", false],
    ["**/b/**/c", "q/b/c/d", true],
    // A `**` choice is made atomic only when another `**` follows: a first `b` that is only the
    // start of a longer name (`bx`) is passed over, not taken and then failed on.
    ["a/**/b/**/c", "a/bx/b/c", true],
    // Several segments after a leading `**` keep their `/` between them.
    ["**/a/b", "x/a/b/c", true],
    ["**/a/b", "x/ab", false],
    // `**` then a wildcard last segment: the files at any depth whose name fits, not the
    // directories (the first `b*` directory is not the only place to look).
    ["/a/**/b*", "a/bx/by", true],
    ["/a/**/b*", "a/bx/c", false],
    ["x/**/", "x/y", true],
    // Anchored: a named directory owns what is beneath it; a wildcard last segment does not.
    ["/x/y", "x/y/z", true],
    ["x/y*", "x/yz", true],
    ["x/y*", "x/yz/w", false],
    // A trailing slash: a directory, with something beneath it.
    ["*/", "a/b", true],
    ["*/", "a", false],
    ["/a/b/", "a/b", false],
    ["/a/b/", "a/b/c", true],
    // Escapes: the character itself.
    ["\\!a", "!a", true],
    ["a\\*b", "a*b", true],
    ["a\\*b", "axb", false],
    ["a\\?b", "axb", false],
    ["x\\\\", "x\\", true],
  ])("%j owns %j: %s", (pattern, path, owned) => {
    expect(owners(`${pattern} @x\n`, path)).toEqual(owned ? ["@x"] : undefined);
  });
});

describe("refused patterns, with GitHub's column and suggestion", () => {
  it.each<[string, number, string | undefined]>([
    ["a//b", 1, undefined],
    ["//a", 1, undefined],
    ["a/***/b", 3, "Did you mean `a/**/b`?"],
    ["a/b***", 4, "Did you mean `a/b**`?"],
    ["a/b****", 4, "Did you mean `a/b**`?"],
    ["a\\[b]", 5, "both `[` and `]` must be escaped with a `\\`"],
    ["!a", 1, "Negated patterns (`!`) are not supported in CODEOWNERS."],
    ["\\#a", 1, "Escaping `#` is not supported in CODEOWNERS."],
    ["/", 1, "The pattern `/` will never match anything, did you mean `*` instead?"],
  ])("%j: column %i", (pattern, column, suggestion) => {
    const [error, ...more] = parseCodeowners(`  ${pattern} @x\n`).errors;
    expect(more).toEqual([]);
    // Two spaces of indentation: the column counts from the start of the line.
    expect(error).toMatchObject({ kind: "Invalid pattern", line: 1, column: column + 2 });
    expect(error?.suggestion).toBe(suggestion);
  });
});
