/**
 * Adversarial CODEOWNERS rows: patterns that must not own what they do not name, owners that must
 * not count, and inputs that must not hang the matcher. Who owns the record file decides whose
 * approval counts, so every row here is a way a credential could be approved by the wrong people.
 */
import { describe, expect, it } from "vitest";
import { ownersOf, parseCodeowners, parseOwner } from "../../../src/core/github/codeowners.ts";

const owners = (text: string, path: string): string[] | undefined =>
  ownersOf(parseCodeowners(text).rules, path);

describe("patterns own only what they name", () => {
  it.each([
    ["/docs @a", "docs-old/x", undefined],
    ["/docs @a", "docs/x", ["@a"]],
    ["/docs/ @a", "docs", undefined],
    ["/records/ @a", "Records/x.yaml", undefined],
    ["*.yaml @a", "records/deep/x.yaml", ["@a"]],
    ["*.yaml @a", "records/x.yaml.txt", undefined],
    ["/records/* @a", "records/sub/x.yaml", undefined],
    ["records/** @a", "records/sub/x.yaml", ["@a"]],
    ["records/** @a", "other/records/x.yaml", undefined],
    ["**/records @a", "a/b/records/x.yaml", ["@a"]],
    ["a/**/b @a", "a/x/y/b", ["@a"]],
    ["a/**/b @a", "a/xb", undefined],
    ["records/(a|b) @a", "records/a", undefined],
    ["records/a.b @a", "records/aXb", undefined],
    ["records/+ @a", "records/++", undefined],
    ["/rec?rds/ @a", "rec/rds/x", undefined],
  ])("%j on %s -> %j", (text, path, expected) => {
    expect(owners(text, path)).toEqual(expected);
  });
});

describe("line endings and whitespace", () => {
  it("CRLF line endings read like LF", () => {
    expect(owners("* @everyone\r\n/records/ @security\r\n", "records/x")).toEqual(["@security"]);
  });

  it("trailing spaces and tabs after the owners are ignored", () => {
    expect(owners("/records/ @security \t \n", "records/x")).toEqual(["@security"]);
  });

  it.each([
    ["no-break space", "\u00a0"],
    ["em space", "\u2003"],
    ["ideographic space", "\u3000"],
    ["line separator", "\u2028"],
    ["zero-width no-break space", "\ufeff"],
  ])("a %s does not split owners: the glued owner is invalid and never counts", (_name, space) => {
    const text = `/records/ @security${space}@evil\n`;
    expect(owners(text, "records/x")).toBeUndefined();
    expect(parseCodeowners(text).errors.map((e) => e.kind)).toEqual(["Invalid owner"]);
  });

  it("a byte order mark is not whitespace: the first pattern owns nothing", () => {
    // Fail-closed: if GitHub strips the mark, we count fewer owners than it does, never more.
    expect(owners("\ufeff* @everyone\n", "records/x")).toBeUndefined();
    expect(owners("\ufeff# comment\n/records/ @security\n", "records/x")).toEqual(["@security"]);
  });
});

describe("owners", () => {
  it.each([
    ["alice@example.com", "email"],
    ["@alice", "user"],
    ["@Org/Team", "team"],
  ])("%s is a %s owner", (token, kind) => {
    expect(parseOwner(token)?.kind).toBe(kind);
  });

  it.each([
    ["@alice@example.com"],
    ["@org/team/child"],
    ["@al ice"],
    ["@alice\u0000"],
    ["@"],
    ["@/team"],
    ["@org/"],
    ["@-alice"],
  ])("%j is not an owner", (token) => {
    expect(parseOwner(token)).toBeUndefined();
  });

  it("an inline comment hides the owners after it", () => {
    expect(owners("/records/ @security #@evil\n", "records/x")).toEqual(["@security"]);
  });

  it("a later line with no owners un-owns; a later invalid line is skipped", () => {
    expect(owners("/records/ @security\n/records/x\n", "records/x")).toBeUndefined();
    expect(owners("/records/ @security\n/records/x @ev!l\n", "records/x")).toEqual(["@security"]);
  });

  it("a line naming a bot user is read, not skipped: its paths keep that line's owners", () => {
    // Skipping it would hand records/x back to the earlier line's owners (@everyone here).
    expect(owners("* @everyone\n/records/ @o/security @ci[bot]\n", "records/x")).toEqual([
      "@o/security",
      "@ci[bot]",
    ]);
  });
});

describe("the matcher cannot be made to hang", () => {
  // Stars compiled to "[^/]*" backtrack polynomially: nine stars against a 240-character name
  // (CSR names reach 253) never finished. The path here is attacker-chosen: the record file is
  // named after the CSR.
  it("a pattern with many stars against a long path that does not match", () => {
    const pattern = `records/${"*a".repeat(12)}*b`;
    expect(owners(`${pattern} @x\n`, `records/${"a".repeat(240)}`)).toBeUndefined();
    expect(owners(`${pattern} @x\n`, `records/${"a".repeat(240)}b`)).toEqual(["@x"]);
  });

  it("stars still match as globs (earliest-first is enough for * and ? runs)", () => {
    expect(owners("records/*ab*ab*c @x\n", "records/abababc")).toEqual(["@x"]);
    expect(owners("records/*ab*ab*c @x\n", "records/ababc")).toEqual(["@x"]);
    expect(owners("records/*ab*ab*c @x\n", "records/abc")).toBeUndefined();
    expect(owners("records/*a?c*d @x\n", "records/aaxcd")).toEqual(["@x"]);
    expect(owners("records/a*a @x\n", "records/a")).toBeUndefined();
    expect(owners("*a*b @x\n", "x/y/zazb")).toEqual(["@x"]);
    expect(owners("*a*b @x\n", "x/a/b")).toBeUndefined();
  });

  it("many consecutive ** segments, and escaped brackets between stars", () => {
    expect(owners(`${"**/".repeat(60)}b @x\n`, `${"a/".repeat(120)}c`)).toBeUndefined();
    const pattern = `records/${"*\\[".repeat(12)}*b`;
    expect(owners(`${pattern} @x\n`, `records/${"[".repeat(240)}`)).toBeUndefined();
    expect(owners(`${pattern} @x\n`, `records/${"[".repeat(240)}b`)).toEqual(["@x"]);
  });

  it("many ** segments against a deep path", () => {
    const pattern = `${"**/a/".repeat(8)}**/b`;
    expect(owners(`${pattern} @x\n`, `${"a/".repeat(120)}c`)).toBeUndefined();
  });
});
