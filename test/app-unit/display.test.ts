import { describe, expect, it } from "vitest";
import { displayMarkdown, displayText } from "../../src/app/display.ts";

describe("strings from CSRs and people are shown inert", () => {
  it.each([
    ["a mention", "@acme/security"],
    ["a link", "[x](https://evil.example)"],
    ["a new line and a heading", "ok\n# heading"],
  ])("%s stays inside code spans, on one line", (_, input) => {
    const out = displayMarkdown(input);
    expect(out).not.toContain("\n");
    // Outside code spans nothing but escaped backticks and pipes remains.
    expect(out.replace(/`[^`]*`/g, "").replace(/\\[`|]/g, "")).toBe("");
  });

  it("folds plain text to one capped line", () => {
    expect(displayText("a\r\nb")).not.toMatch(/[\r\n]/);
    expect(Array.from(displayText("x".repeat(3000), 60)).length).toBeLessThanOrEqual(60);
  });
});
