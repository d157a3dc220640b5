import { describe, expect, it } from "vitest";
import { displayMarkdown, displayName, displayText } from "../../../src/core/display/index.ts";
import { LONG, LOOKALIKES, MARKUP, TERMINAL_AND_INVISIBLE } from "../../support/hostile-strings.ts";
import { renderedText, renderGfm, tagsOf, textOutsideCode } from "../../support/render-gfm.ts";

const corpus = Object.entries({
  ...MARKUP,
  ...TERMINAL_AND_INVISIBLE,
  ...LONG,
  ...Object.fromEntries(Object.entries(LOOKALIKES).map(([k, v]) => [k, v.value])),
});

/** Outside code: only escaped backticks and pipes, the cut marker, a name's note, "(empty)". */
const INERT_OUTSIDE_CODE =
  /^(?:[`|]|… [\d,]+ more characters?| \(non-ASCII: [U+0-9A-F, ]*(?:and [\d,]+ more)?\)|\(empty\))*$/;

/** What a value may render to: code, and nothing GitHub would make a link, heading or element. */
function expectInert(html: string, allowedTags: readonly string[], around: string[] = []): void {
  expect(tagsOf(html).filter((t) => !["code", "/code", ...allowedTags].includes(t))).toEqual([]);
  expect(html).not.toMatch(/<a |<h\d|<img|<script|<br|<hr|<pre|<em>|<strong>|<del>|<input/);
  // GitHub links @mentions, #123, SHAs and :emoji: only in text outside code.
  const outside = around.reduce((text, known) => text.replace(known, ""), textOutsideCode(html));
  expect(outside.replace(/\n/g, "")).toMatch(INERT_OUTSIDE_CODE);
}

describe("displayMarkdown renders as literal text on GitHub", () => {
  it.each(corpus)("%s, in a paragraph", (_name, value) => {
    const html = renderGfm(`Subject: ${displayMarkdown(value)} (checked)`);
    expectInert(html, ["p", "/p"], ["Subject: ", " (checked)"]);
    expect(renderedText(html)).toBe(`Subject: ${displayText(value)} (checked)`);
  });

  it.each(corpus)("%s, at the start of a line", (_name, value) => {
    const html = renderGfm(displayMarkdown(value));
    expectInert(html, ["p", "/p"]);
    expect(renderedText(html)).toBe(displayText(value));
  });

  it.each(corpus)("%s, as a list item", (_name, value) => {
    const html = renderGfm(`- ${displayMarkdown(value)}\n- next`);
    expectInert(html, ["ul", "/ul", "li", "/li"], ["next"]);
    expect(renderedText(html)).toBe(`\n${displayText(value)}\nnext\n`);
  });

  it.each(corpus)("%s, in a table cell", (_name, value) => {
    const md = `| field | value |\n| --- | --- |\n| CN | ${displayMarkdown(value)} |\n`;
    const html = renderGfm(md);
    expectInert(
      html,
      [
        "table",
        "/table",
        "thead",
        "/thead",
        "tbody",
        "/tbody",
        "tr",
        "/tr",
        "th",
        "/th",
        "td",
        "/td",
      ],
      ["field", "value", "CN"],
    );
    const cells = [...html.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => renderedText(m[1] ?? ""));
    expect(cells).toEqual(["CN", displayText(value)]);
  });

  it("shows a name's non-ASCII code points beside it, outside the code", () => {
    const value = LOOKALIKES["Cyrillic a in admin"]?.value ?? "";
    const md = displayMarkdown(value, { name: true });
    expect(md).toBe("`\u0430dmin` (non-ASCII: U+0430)");
    expect(renderedText(renderGfm(md))).toBe(displayName(value));
  });

  it.each([
    ["a mention", "@octocat", "`@octocat`"],
    ["backticks between spans", "a`b", "`a`\\``b`"],
    ["a pipe between spans", "a|b", "`a`\\|`b`"],
    ["spaces at both ends, kept by padding", " a ", "`  a  `"],
    ["only spaces", "  ", "`  `"],
    ["the empty value", "", "(empty)"],
  ])("writes %s as %s", (_name, value, md) => {
    expect(displayMarkdown(value)).toBe(md);
  });
});
