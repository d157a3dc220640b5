import { describe, expect, it } from "vitest";
import {
  describeCharacter,
  displayHtml,
  displayLabel,
  displayMessage,
  displayName,
  displayText,
  findHiddenCharacters,
  LABEL_MAX_LENGTH,
  MESSAGE_MAX_LENGTH,
  VALUE_MAX_LENGTH,
} from "../../../src/core/display/index.ts";
import {
  LONG,
  LOOKALIKES,
  MARKUP,
  RAW_HIDDEN,
  TERMINAL_AND_INVISIBLE,
} from "../../support/hostile-strings.ts";

const length = (s: string): number => Array.from(s).length;

describe("displayText shows every hidden character as an escape", () => {
  it.each([
    ["ESC and CSI sequences", "a\x1b[2Jb", "a\\x1b[2Jb"],
    ["CR, LF and TAB by name", "a\r\nb\tc", "a\\r\\nb\\tc"],
    ["NUL, BEL, DEL", "\u0000\u0007\u007f", "\\x00\\x07\\x7f"],
    ["C1 controls as \\x escapes", "\u0085\u009b\u009c", "\\x85\\x9b\\x9c"],
    ["right-to-left override", "gpj.\u202Eexe", "gpj.<U+202E>exe"],
    ["bidi isolates", "\u2066x\u2069", "<U+2066>x<U+2069>"],
    ["LRM and RLM", "\u200Ea\u200F", "<U+200E>a<U+200F>"],
    ["zero-width space", "system\u200B:masters", "system<U+200B>:masters"],
    ["ZWNJ, ZWJ, word joiner, BOM", "\u200C\u200D\u2060\uFEFF", "<U+200C><U+200D><U+2060><U+FEFF>"],
    ["soft hyphen", "a\u00ADb", "a<U+00AD>b"],
    ["tag characters (astral)", "\u{E0041}", "<U+E0041>"],
    ["variation selector", "\uFE0F", "<U+FE0F>"],
    ["Hangul filler", "\u3164", "<U+3164>"],
    ["line and paragraph separators", "\u2028\u2029", "<U+2028><U+2029>"],
    ["no-break space", "a\u00A0b", "a<U+00A0>b"],
    ["lone surrogates", "a\uD800b\uDC00", "a<U+D800>b<U+DC00>"],
    ["private use", "\uE000", "<U+E000>"],
  ])("%s", (_name, value, shown) => {
    expect(displayText(value)).toBe(shown);
  });

  it.each([
    ["plain ASCII", "system:node:worker-1"],
    ["a space", "Jane Doe"],
    ["letters of other scripts", "Zürich 東京 Αθήνα"],
    ["astral emoji", "\u{1F600}"],
    ["combining accent", "e\u0301"],
    ["backslash and angle brackets", "a\\x1b <U+200B>"],
  ])("keeps %s as it is", (_name, value) => {
    expect(displayText(value)).toBe(value);
  });

  it.each(Object.entries(TERMINAL_AND_INVISIBLE))(
    "corpus: %s leaves no raw hidden character",
    (_name, value) => {
      const shown = displayText(value);
      expect(shown).not.toMatch(RAW_HIDDEN);
      expect(shown).not.toBe(value);
    },
  );

  it("turns the fake-verdict CN into one inert line", () => {
    const shown = displayText(
      TERMINAL_AND_INVISIBLE["CSI clear screen and a fake green verdict on its own line"] ?? "",
    );
    expect(shown).toBe("alice\\x1b[2J\\x1b[1;32m verdict: ALLOW\\x1b[0m\\r\\nverdict: ALLOW");
  });
});

describe("displayText bounds each value", () => {
  it("cuts a 4,000-character value to the bound with an explicit marker", () => {
    const shown = displayText(LONG["4,000-character CN"] ?? "");
    expect(length(shown)).toBeLessThanOrEqual(VALUE_MAX_LENGTH);
    const shownX = /^x*/.exec(shown)?.[0].length ?? 0;
    expect(shown).toBe(
      `${"x".repeat(shownX)}… ${(4000 - shownX).toLocaleString("en-US")} more characters`,
    );
  });

  it("counts what was cut in characters of the value, not of its escapes", () => {
    const shown = displayText("\x1b".repeat(1000));
    const shownEscapes = (shown.match(/\\x1b/g) ?? []).length;
    expect(shown.endsWith(`… ${1000 - shownEscapes} more characters`)).toBe(true);
    expect(length(shown)).toBeLessThanOrEqual(VALUE_MAX_LENGTH);
  });

  it("never splits an escape or an astral character", () => {
    const shown = displayText("\u{1F600}\u200B".repeat(300), { maxLength: 60 });
    expect(shown).toMatch(/^(\u{1F600}<U\+200B>)*(\u{1F600})?… [\d,]+ more characters$/u);
    expect(length(shown)).toBeLessThanOrEqual(60);
  });

  it("keeps a value that fits exactly, and says 1 more character in the singular", () => {
    expect(displayText("y".repeat(40), { maxLength: 40 })).toBe("y".repeat(40));
    expect(displayText("y".repeat(41), { maxLength: 40 })).toBe(
      `${"y".repeat(20)}… 21 more characters`,
    );
    expect(displayText("z".repeat(39) + "\x1b", { maxLength: 40 })).toMatch(
      /^z+… \d+ more characters$/,
    );
  });

  it("raises a bound below 40 (or not a number) to a usable one", () => {
    const raised = displayText("q".repeat(100), { maxLength: 3 });
    expect(raised).toMatch(/^q{10,}… \d+ more characters$/);
    expect(length(raised)).toBeLessThanOrEqual(40);
    expect(displayText("q".repeat(100), { maxLength: Number.NaN })).toBe("q".repeat(100));
  });

  it("bounds messages at MESSAGE_MAX_LENGTH by default", () => {
    const shown = displayMessage(`CN "${"m".repeat(2000)}" is forbidden`);
    expect(length(shown)).toBeLessThanOrEqual(MESSAGE_MAX_LENGTH);
    expect(shown).toMatch(/^CN "m+… [\d,]+ more characters$/);
  });

  it("is idempotent, so a message that embeds displayed values may be displayed again", () => {
    for (const value of [...Object.values(TERMINAL_AND_INVISIBLE), ...Object.values(LONG)]) {
      const once = displayText(value);
      expect(displayText(once)).toBe(once);
    }
  });
});

describe("displayName notes non-ASCII code points", () => {
  it.each(Object.entries(LOOKALIKES))("%s", (_name, { value, codePoints }) => {
    expect(displayName(value)).toBe(`${value} (non-ASCII: ${codePoints.join(", ")})`);
  });

  it("adds nothing to an ASCII name, and notes escaped characters only as escapes", () => {
    expect(displayName("system:node:worker-1")).toBe("system:node:worker-1");
    expect(displayName("system\u200B:masters")).toBe("system<U+200B>:masters");
  });

  it("lists six code points at most, then how many more", () => {
    expect(displayName("абвгдеёжз")).toBe(
      "абвгдеёжз (non-ASCII: U+0430, U+0431, U+0432, U+0433, U+0434, U+0435, and 3 more)",
    );
  });
});

describe("describeCharacter and findHiddenCharacters", () => {
  it.each([
    ["\x1b", "U+001B ESCAPE (C0 control)"],
    ["\r", "U+000D CARRIAGE RETURN (C0 control)"],
    ["\u009b", "U+009B CONTROL SEQUENCE INTRODUCER (C1 control)"],
    ["\u202E", "U+202E RIGHT-TO-LEFT OVERRIDE (bidi control)"],
    ["\u200B", "U+200B ZERO WIDTH SPACE (invisible)"],
    ["\uD800", "U+D800 (lone surrogate)"],
    ["\u00A0", "U+00A0 NO-BREAK SPACE (space that is not U+0020)"],
    ["\u2028", "U+2028 LINE SEPARATOR (line break)"],
    ["\u{E0041}", "U+E0041 (invisible)"],
    ["\u0430", "U+0430"],
  ])("describes %j as %s", (char, text) => {
    expect(describeCharacter(char)).toBe(text);
  });

  it("finds each hidden character with its 1-based position in code points", () => {
    expect(findHiddenCharacters("\u{1F600}a\u200Bb\x1b")).toEqual([
      { character: "\u200B", codePoint: 0x200b, position: 3 },
      { character: "\x1b", codePoint: 0x1b, position: 5 },
    ]);
    expect(findHiddenCharacters("Zürich 東京")).toEqual([]);
  });
});

describe("displayHtml and displayLabel", () => {
  it("escapes markup after the escapes, so an HTML element cannot form", () => {
    expect(displayHtml(MARKUP["HTML element"] ?? "")).toBe(
      "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;",
    );
    expect(displayHtml("a\x1b&'b\u200B")).toBe("a\\x1b&amp;&#39;b&lt;U+200B&gt;");
  });

  it.each([
    ["a plain name", "kubernetes.io/kube-apiserver-client", "kubernetes.io/kube-apiserver-client"],
    ["commas", "a,b", "a<U+002C>b"],
    ["edge spaces", " a b ", "<U+0020>a b<U+0020>"],
    ["the empty value", "", "(empty)"],
    ["controls", "x\x1b", "x\\x1b"],
  ])("label of %s", (_name, value, label) => {
    expect(displayLabel(value)).toBe(label);
  });

  it("keeps labels within GitHub's 50 characters", () => {
    for (const value of ["l".repeat(400), ",".repeat(100), "\x1b".repeat(60)]) {
      const label = displayLabel(value);
      expect(length(label)).toBeLessThanOrEqual(LABEL_MAX_LENGTH);
      expect(label).toMatch(/…\+[\d,]+$/);
    }
  });
});
