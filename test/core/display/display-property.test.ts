import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  displayHtml,
  displayLabel,
  displayMarkdown,
  displayName,
  displayText,
  findHiddenCharacters,
  LABEL_MAX_LENGTH,
  NAME_NOTE_MAX_LENGTH,
} from "../../../src/core/display/index.ts";
import { longestLine, RAW_HIDDEN } from "../../support/hostile-strings.ts";
import { decodeHtmlText, renderedText, renderGfm, tagsOf } from "../../support/render-gfm.ts";

/**
 * Seeded property tests: for any string (any code point, lone surrogates, and a bias towards
 * controls, bidi, invisibles and markdown syntax), every display is inert and bounded.
 */
const SEED = 20260415;
const length = (s: string): number => Array.from(s).length;

const hostileChar = fc.constantFrom(
  ...Array.from(
    "\x1b\x07\r\n\t\u0000\u007f\u0085\u009b\u009c\u009d\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u200b\u200c\u200d\u2060\ufeff\u00ad\u2028\u2029\u00a0\u3164\ufe0f",
  ),
  "\u{E0041}",
  "\uD800",
  "\uDFFF",
);
const markupChar = fc.constantFrom(...Array.from("`|@#<>&\\[]()!*_~:/ .w-=\"'"));
const anyCodePoint = fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp));
const anyChar = fc.oneof(
  hostileChar,
  markupChar,
  anyCodePoint,
  fc.constantFrom("a", "x", "\u0430"),
);
const anyString = fc.string({ unit: anyChar, maxLength: 400 });
const bound = fc.integer({ min: 40, max: 300 });

describe("display of any string (seeded property tests)", () => {
  it("displayText: no raw hidden character, one line, within the bound, idempotent", () => {
    fc.assert(
      fc.property(anyString, bound, (value, maxLength) => {
        const shown = displayText(value, { maxLength });
        expect(shown).not.toMatch(RAW_HIDDEN);
        expect(shown).not.toMatch(/[\n\r]/);
        expect(length(shown)).toBeLessThanOrEqual(maxLength);
        expect(displayText(shown, { maxLength })).toBe(shown);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it("displayText: a value without hidden characters that fits is shown exactly", () => {
    fc.assert(
      fc.property(anyString, (value) => {
        fc.pre(findHiddenCharacters(value).length === 0 && length(value) <= 200);
        expect(displayText(value)).toBe(value);
      }),
      { seed: SEED + 1, numRuns: 1000 },
    );
  });

  it("displayText: a cut value says exactly how many characters are not shown", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme-ascii", minLength: 41, maxLength: 400 }), (value) => {
        const shown = displayText(value, { maxLength: 40 });
        const match = /^(.*)… ([\d,]+) more characters?$/su.exec(shown);
        expect(match).not.toBeNull();
        const [, head = "", rest = ""] = match ?? [];
        expect(value.startsWith(head)).toBe(true);
        expect(head.length + Number(rest.replace(/,/g, ""))).toBe(value.length);
      }),
      { seed: SEED + 2, numRuns: 500 },
    );
  });

  it("displayName: inert, and its note keeps within its own bound", () => {
    fc.assert(
      fc.property(anyString, bound, (value, maxLength) => {
        const shown = displayName(value, { maxLength });
        expect(shown).not.toMatch(RAW_HIDDEN);
        expect(longestLine(shown)).toBeLessThanOrEqual(maxLength + NAME_NOTE_MAX_LENGTH);
      }),
      { seed: SEED + 3, numRuns: 1000 },
    );
  });

  it("displayMarkdown: renders as exactly displayText in a paragraph and a table cell", () => {
    fc.assert(
      fc.property(anyString, (value) => {
        const md = displayMarkdown(value);
        expect(md).not.toMatch(RAW_HIDDEN);
        const paragraph = renderGfm(`x ${md} y`);
        expect(tagsOf(paragraph).filter((t) => !/^\/?(p|code)$/.test(t))).toEqual([]);
        expect(renderedText(paragraph)).toBe(
          `x ${value === "" ? "(empty)" : displayText(value)} y`,
        );
        const table = renderGfm(`| a | b |\n| - | - |\n| ${md} | z |`);
        const cells = [...table.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) =>
          renderedText(m[1] ?? ""),
        );
        expect(cells).toEqual([value === "" ? "(empty)" : displayText(value), "z"]);
      }),
      { seed: SEED + 4, numRuns: 500 },
    );
  });

  it("displayHtml: no markup character survives, and the text reads as displayText", () => {
    fc.assert(
      fc.property(anyString, (value) => {
        const html = displayHtml(value);
        expect(html).not.toMatch(/[<>"']|&(?!(amp|lt|gt|quot|#39);)/);
        expect(decodeHtmlText(html)).toBe(displayText(value));
      }),
      { seed: SEED + 5, numRuns: 1000 },
    );
  });

  it("displayLabel: non-empty, at most 50 characters, no comma, no edge space, inert", () => {
    fc.assert(
      fc.property(anyString, (value) => {
        const label = displayLabel(value);
        expect(label).not.toMatch(RAW_HIDDEN);
        expect(label).not.toMatch(/,|^ | $/);
        expect(label).not.toBe("");
        expect(length(label)).toBeLessThanOrEqual(LABEL_MAX_LENGTH);
      }),
      { seed: SEED + 6, numRuns: 1000 },
    );
  });
});
