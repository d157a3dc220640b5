/**
 * The display helpers one step either side of each boundary the mutation run found unasserted:
 * the first C1 control, the last one, "~" (the last ASCII character a name may hold unnoted), a
 * name with exactly six non-ASCII code points, a note of exactly 80 characters, U+FFFF (the last
 * code point of one UTF-16 unit), and a code span with a space at its end only.
 */
import { describe, expect, it } from "vitest";
import {
  describeCharacter,
  displayLabel,
  displayMarkdown,
  displayName,
  displayText,
} from "../../../src/core/display/index.ts";

describe("control character bounds", () => {
  it("U+0080 is the first C1 control", () => {
    expect(describeCharacter("\u0080")).toBe("U+0080 (C1 control)");
    expect(displayText("a\u0080b")).toBe("a\\x80b");
  });

  it("U+009F is the last C1 control, escaped like the others", () => {
    expect(displayText("a\u009fb")).toBe("a\\x9fb");
  });
});

describe("a name's note at its bounds", () => {
  it("a tilde is ASCII: no note", () => {
    expect(displayName("a~b")).toBe("a~b");
  });

  it("exactly six non-ASCII code points are all listed, with no count after them", () => {
    expect(displayName("éèêëàâ")).toBe(
      "éèêëàâ (non-ASCII: U+00E9, U+00E8, U+00EA, U+00EB, U+00E0, U+00E2)",
    );
  });

  it("a note of exactly 80 characters is kept whole", () => {
    const value = Array.from({ length: 106 }, (_, i) => String.fromCodePoint(0x1f600 + i)).join("");
    const note = " (non-ASCII: U+1F600, U+1F601, U+1F602, U+1F603, U+1F604, U+1F605, and 100 more)";
    expect(note).toHaveLength(80);
    expect(displayName(value, { maxLength: 1000 })).toBe(`${value}${note}`);
  });
});

describe("U+FFFF is one UTF-16 unit", () => {
  it("a label after U+FFFF still escapes its trailing space", () => {
    expect(displayLabel("\uffff ")).toBe("<U+FFFF><U+0020>");
  });
});

describe("code spans", () => {
  it("a space at the end only is not padded", () => {
    expect(displayMarkdown("a ")).toBe("`a `");
  });
});
