/**
 * CODEOWNERS at its edges: the exact shapes of owner tokens GitHub accepts, the separators between
 * tokens, the 3 MB limit counted in bytes, and which lines the unknown-owner report reads. Who
 * counts as an owner decides whose approval counts, so each bound is pinned from both sides.
 */
import { describe, expect, it } from "vitest";
import {
  CODEOWNERS_MAX_BYTES,
  ownersOf,
  parseCodeowners,
  parseOwner,
  unknownOwnerErrors,
  type Owner,
} from "../../../src/core/github/codeowners.ts";

const owners = (text: string, path: string): string[] | undefined =>
  ownersOf(parseCodeowners(text).rules, path);

describe("owner tokens", () => {
  it.each<[string, Owner | undefined]>([
    // Logins: 1 to 39 letters, digits and hyphens, not starting with a hyphen.
    [`@${"a".repeat(39)}`, { kind: "user", login: "a".repeat(39) }],
    [`@${"a".repeat(40)}`, undefined],
    ["@A", { kind: "user", login: "A" }],
    ["@1", { kind: "user", login: "1" }],
    ["@a-b", { kind: "user", login: "a-b" }],
    ["@a_b", undefined],
    ["@a.b", undefined],
    // A GitHub App's bot user: a login-shaped slug and `[bot]`, nothing else in brackets.
    ["@deploy-bot[bot]", { kind: "user", login: "deploy-bot[bot]" }],
    ["@a[bot]", { kind: "user", login: "a[bot]" }],
    [`@${"a".repeat(39)}[bot]`, { kind: "user", login: `${"a".repeat(39)}[bot]` }],
    [`@${"a".repeat(40)}[bot]`, undefined],
    ["@[bot]", undefined],
    ["@-a[bot]", undefined],
    ["@a[bot]x", undefined],
    ["@a[app]", undefined],
    ["@o/a[bot]", undefined],
    // Teams: a login-shaped organisation, a slug of letters, digits, `_`, `.` and `-`.
    ["@o/T.x_y-z", { kind: "team", org: "o", slug: "T.x_y-z" }],
    ["@org_x/t", undefined],
    [`@${"o".repeat(40)}/t`, undefined],
    ["@o/-t", undefined],
    ["@o/.t", undefined],
    ["@o/_t", undefined],
    ["@o/t$", undefined],
    ["@o/t\u00e9", undefined],
    // Emails: one `@`, a dot in the domain, no spaces.
    ["a@b.c", { kind: "email", address: "a@b.c" }],
    ["a@b", undefined],
    ["a@.c", undefined],
    ["@a.c", undefined],
    ["a@b@c.d", undefined],
    ["a b@c.d", undefined],
    ["a@b.c ", undefined],
  ])("%j -> %j", (token, expected) => {
    expect(parseOwner(token)).toEqual(expected);
  });
});

describe("tokens on a line", () => {
  it.each([
    ["tabs", "*.md\t@a\t@b\n"],
    ["vertical tab and form feed", "*.md\v@a\f@b\n"],
    ["several spaces", "*.md    @a     @b   \n"],
  ])("%s separate owners", (_name, text) => {
    expect(owners(text, "x.md")).toEqual(["@a", "@b"]);
    expect(parseCodeowners(text).errors).toEqual([]);
  });

  it("an escaped space stays inside the pattern, and owner columns count it", () => {
    expect(parseCodeowners("my\\ file.txt  @ghost\n")).toEqual({
      rules: [{ pattern: "my\\ file.txt", owners: ["@ghost"], line: 1 }],
      errors: [],
    });
    expect(unknownOwnerErrors("my\\ file.txt  @ghost\n", () => false).map((e) => e.column)).toEqual(
      [15],
    );
  });

  it("a backslash at the end of a line is part of the last token (here an invalid owner)", () => {
    const { rules, errors } = parseCodeowners("*.md @a\\\n");
    expect(rules).toEqual([]);
    expect(errors).toMatchObject([{ line: 1, column: 6, kind: "Invalid owner" }]);
  });

  it("a backslash that ends the pattern is a literal backslash (here on an ownerless line)", () => {
    // A backslash before a space escapes it, so a pattern ends in a backslash only at a line end.
    const text = "* @a\nx\\\n";
    expect(owners(text, "x\\")).toBeUndefined();
    expect(owners(text, "x")).toEqual(["@a"]);
  });

  it("a carriage return inside a line separates tokens; only the one before the LF is dropped", () => {
    expect(parseCodeowners("* @a\n*.md\r@b\r\n")).toEqual({
      rules: [
        { pattern: "*", owners: ["@a"], line: 1 },
        { pattern: "*.md", owners: ["@b"], line: 2 },
      ],
      errors: [],
    });
  });

  it("a line of Unicode spaces only is blank, not a pattern", () => {
    expect(parseCodeowners("* @a\n\u00a0\u3000\n")).toEqual({
      rules: [{ pattern: "*", owners: ["@a"], line: 1 }],
      errors: [],
    });
  });

  it("a line that starts with `#` after indentation is a comment, owners and all", () => {
    expect(parseCodeowners("   # docs/ @b\n* @a\n")).toEqual({
      rules: [{ pattern: "*", owners: ["@a"], line: 2 }],
      errors: [],
    });
  });

  it("a `#` inside an owner token does not start a comment: the token is invalid", () => {
    expect(owners("* @global\n/records/ @security#x\n", "records/r.yaml")).toEqual(["@global"]);
  });
});

describe("paths", () => {
  it("any number of leading slashes on the queried path is ignored", () => {
    expect(owners("/docs/ @a", "//docs/x.md")).toEqual(["@a"]);
    expect(owners("/docs/ @a", "///docs/x.md")).toEqual(["@a"]);
  });

  it("a slash inside the queried path is kept", () => {
    expect(owners("/docs/ @a", "x/docs/y.md")).toBeUndefined();
    expect(owners("docs/ @a", "x/docs/y.md")).toEqual(["@a"]);
  });
});

describe("the 3 MB limit, in bytes", () => {
  /** `* @a` and then a comment up to `bytes` bytes of UTF-8 in all. */
  const fileOf = (bytes: number, filler: string): string => {
    const head = "* @a\n#";
    const fillerBytes = new TextEncoder().encode(filler).length;
    const text = head + filler.repeat((bytes - head.length) / fillerBytes);
    expect(new TextEncoder().encode(text).length).toBe(bytes);
    return text;
  };

  it("a file one byte under the limit is read", () => {
    expect(owners(fileOf(CODEOWNERS_MAX_BYTES - 1, "x"), "a.txt")).toEqual(["@a"]);
  });

  it("a file of exactly the limit is not loaded, with GitHub's reason", () => {
    expect(parseCodeowners(fileOf(CODEOWNERS_MAX_BYTES, "x"))).toEqual({
      rules: [],
      errors: [
        {
          line: 1,
          column: 1,
          kind: "File too large",
          source: "",
          suggestion: "CODEOWNERS files must be under 3 MB; GitHub does not load this one.",
          message:
            "File too large on line 1: CODEOWNERS files must be under 3 MB; GitHub does not load this one.\n\n  \n  ^",
        },
      ],
    });
  });

  it("counts bytes, not characters: half as many two-byte characters reach the limit", () => {
    const text = fileOf(CODEOWNERS_MAX_BYTES, "\u00e9");
    expect(text.length).toBeLessThan(CODEOWNERS_MAX_BYTES);
    expect(parseCodeowners(text).rules).toEqual([]);
  });
});

describe("unknown owners", () => {
  it("asks about each well-formed owner of each valid line, and reports each at its column", () => {
    const asked: Owner[] = [];
    const errors = unknownOwnerErrors("* @ghost\n*.md @bad! @ghost2\n*.txt a@b.c @org/t\n", (o) => {
      asked.push(o);
      return false;
    });
    // Line 2 is invalid (GitHub skips it), so its owners are neither asked about nor reported.
    expect(asked).toEqual([
      { kind: "user", login: "ghost" },
      { kind: "email", address: "a@b.c" },
      { kind: "team", org: "org", slug: "t" },
    ]);
    expect(errors.map((e) => [e.line, e.column, e.kind, e.source])).toEqual([
      [1, 3, "Unknown owner", "* @ghost"],
      [3, 7, "Unknown owner", "*.txt a@b.c @org/t"],
      [3, 13, "Unknown owner", "*.txt a@b.c @org/t"],
    ]);
    expect(errors[0]?.message).toBe("Unknown owner on line 1:\n\n  * @ghost\n    ^");
  });

  it("reports nothing when every owner is known, and skips comments and blank lines", () => {
    expect(unknownOwnerErrors("# @ghost\n\n* @a\n", () => true)).toEqual([]);
  });
});
