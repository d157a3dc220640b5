import { describe, expect, it } from "vitest";
import { displayMarkdown, displayText } from "../../src/app/display.ts";

describe("strings from CSRs and people are shown inert", () => {
  it.each([
    ["a mention", "@acme/security", "`@acme/security`"],
    ["a link", "[x](https://evil.example)", "`[x](https://evil.example)`"],
    ["a backtick break-out", "a`b", "`a`\\``b`"],
    ["a table pipe", "a|b", "`a`\\|`b`"],
    ["a new line", "ok\n# heading", "`ok # heading`"],
    ["bidi overrides", "abc\u202edef", "`abc def`"],
    ["empty", "", "(empty)"],
  ])("%s", (_, input, expected) => {
    expect(displayMarkdown(input)).toBe(expected);
  });

  it("folds plain text to one capped line", () => {
    expect(displayText("a\r\nb\u0000c")).toBe("a b c");
    expect(displayText("x".repeat(300), 10)).toBe(`${"x".repeat(9)}…`);
  });
});
