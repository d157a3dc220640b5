/**
 * The display helpers at their edges, as exact strings: every kind describeCharacter names, digit
 * grouping, the bound each output keeps (labels, values, messages, name notes), and the Markdown
 * code-span padding.
 */
import { describe, expect, it } from "vitest";
import { codePointNotation, groupDigits } from "../../../src/core/display/code-point.ts";
import { boundOf } from "../../../src/core/display/display-options.ts";
import {
  describeCharacter,
  displayLabel,
  displayMarkdown,
  displayMessage,
  displayName,
  displayText,
} from "../../../src/core/display/index.ts";

describe("describeCharacter names each kind", () => {
  it.each([
    ["\t", "U+0009 TAB (C0 control)"],
    ["\x1f", "U+001F (C0 control)"],
    ["\x7f", "U+007F DELETE (C0 control)"],
    ["\u0085", "U+0085 NEXT LINE (C1 control)"],
    ["\u0090", "U+0090 DEVICE CONTROL STRING (C1 control)"],
    ["\u009f", "U+009F (C1 control)"],
    ["\u061c", "U+061C ARABIC LETTER MARK (bidi control)"],
    ["\u2029", "U+2029 PARAGRAPH SEPARATOR (line break)"],
    ["\u3000", "U+3000 (space that is not U+0020)"],
    ["\u00ad", "U+00AD SOFT HYPHEN (invisible)"],
    ["\u034f", "U+034F COMBINING GRAPHEME JOINER (invisible)"],
    ["\u0600", "U+0600 (format character)"],
    ["\ue000", "U+E000 (private use)"],
    ["\u{f0000}", "U+F0000 (private use)"],
    ["\u0378", "U+0378 (unassigned)"],
    [" ", "U+0020"],
    ["a", "U+0061"],
    ["\u{1f600}", "U+1F600"],
  ])("%j -> %s", (char, expected) => {
    expect(describeCharacter(char)).toBe(expected);
  });
});

describe("code points and digits", () => {
  it.each([
    [0x0a, "U+000A"],
    [0xfeff, "U+FEFF"],
    [0x1f600, "U+1F600"],
  ])("%i is written %s", (codePoint, expected) => {
    expect(codePointNotation(codePoint)).toBe(expected);
  });

  it.each([
    [0, "0"],
    [999, "999"],
    [1000, "1,000"],
    [1234567, "1,234,567"],
    [12.9, "12"],
  ])("%d is grouped as %s", (n, expected) => {
    expect(groupDigits(n)).toBe(expected);
  });
});

describe("bounds", () => {
  it("a bound is at least 40, whole, and the fallback when not finite", () => {
    expect(boundOf(undefined, 200)).toBe(200);
    expect(boundOf({}, 77)).toBe(77);
    expect(boundOf({ maxLength: 39.9 }, 200)).toBe(40);
    expect(boundOf({ maxLength: 40.9 }, 200)).toBe(40);
    expect(boundOf({ maxLength: 120 }, 200)).toBe(120);
    expect(boundOf({ maxLength: Number.POSITIVE_INFINITY }, 200)).toBe(200);
  });

  it("a value of exactly 200 characters is kept; 201 is cut to fit 200 with the marker", () => {
    expect(displayText("y".repeat(200))).toBe("y".repeat(200));
    expect(displayText("y".repeat(201))).toBe(`${"y".repeat(179)}… 22 more characters`);
  });

  it("the marker groups its digits and the cut leaves room for it", () => {
    expect(displayText("y".repeat(1041), { maxLength: 40 })).toBe(
      `${"y".repeat(17)}… 1,024 more characters`,
    );
  });

  it("a message is bounded at 320 unless told otherwise", () => {
    expect(displayMessage("m".repeat(400))).toBe(`${"m".repeat(299)}… 101 more characters`);
    expect(displayMessage("m".repeat(400), { maxLength: 50 })).toBe(
      `${"m".repeat(29)}… 371 more characters`,
    );
  });

  it("a label is kept at 50 characters and cut to 50 with `…+N` beyond", () => {
    expect(displayLabel("l".repeat(50))).toBe("l".repeat(50));
    expect(displayLabel("l".repeat(51))).toBe(`${"l".repeat(46)}…+5`);
    expect(displayLabel("l".repeat(5000))).toBe(`${"l".repeat(43)}…+4,957`);
  });

  it("a label escapes a lone space only at its edges", () => {
    expect(displayLabel(" ")).toBe("<U+0020>");
    expect(displayLabel("a b")).toBe("a b");
    expect(displayLabel("x,y ")).toBe("x<U+002C>y<U+0020>");
  });
});

describe("displayName's note", () => {
  it("lists distinct non-ASCII code points once each", () => {
    expect(displayName("éééü")).toBe("éééü (non-ASCII: U+00E9, U+00FC)");
  });

  it("counts the rest in grouped digits after six", () => {
    const astral = Array.from({ length: 12 }, (_, i) => String.fromCodePoint(0x1f600 + i)).join("");
    expect(displayName(astral, { maxLength: 1000 })).toBe(
      `${astral} (non-ASCII: U+1F600, U+1F601, U+1F602, U+1F603, U+1F604, U+1F605, and 6 more)`,
    );
  });

  it("falls back to a bare count when the list would pass 80 characters", () => {
    const many = Array.from({ length: 1006 }, (_, i) => String.fromCodePoint(0x20000 + i)).join("");
    expect(displayName(many).endsWith(" (non-ASCII: 1,006)")).toBe(true);
  });
});

describe("displayMarkdown code spans", () => {
  it.each([
    ["a value with a space at both ends is padded so GitHub keeps the spaces", " a ", "`  a  `"],
    ["a value of spaces only is not padded", "   ", "`   `"],
    ["a space at one end only is not padded", " a", "` a`"],
    ["a backtick is escaped outside the spans", "a`b", "`a`\\``b`"],
    ["a pipe is escaped outside the spans", "a|b", "`a`\\|`b`"],
    ["a lone backtick", "`", "\\`"],
    ["the empty value", "", "(empty)"],
  ])("%s", (_name, value, expected) => {
    expect(displayMarkdown(value)).toBe(expected);
  });

  it("a name's note goes after the code span", () => {
    expect(displayMarkdown("é", { name: true })).toBe("`é` (non-ASCII: U+00E9)");
  });
});
