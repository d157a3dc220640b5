/**
 * Git trailers on their own: a value can never leave its line (a forged approver), the cap is
 * exact, and the trailer block is read back only when it is one, as git reads it.
 */
import { describe, expect, it } from "vitest";
import {
  parseTrailers,
  renderMessage,
  renderTrailers,
  TRAILER_VALUE_MAX,
  trailerValue,
} from "../../../src/core/record/trailers.ts";

describe("trailerValue", () => {
  it("folds every C0 and C1 control, DEL and the Unicode line breaks into single spaces", () => {
    expect(trailerValue("a\u0000b\u001fc\u007fd\u0080e\u009ff\u2028g\u2029h  \t i ")).toBe(
      "a b c d e f g h i",
    );
  });

  it("keeps other characters, a no-break space included", () => {
    expect(trailerValue("a\u00a0b é")).toBe("a\u00a0b é");
  });

  it("keeps a value of exactly the cap and cuts a longer one to the cap, ending in …", () => {
    expect(TRAILER_VALUE_MAX).toBe(300);
    expect(trailerValue("x".repeat(300))).toBe("x".repeat(300));
    expect(trailerValue("x".repeat(301))).toBe(`${"x".repeat(299)}…`);
  });

  it("counts the cap in characters, never splitting an astral one", () => {
    expect(trailerValue("\u{1f600}".repeat(301))).toBe(`${"\u{1f600}".repeat(299)}…`);
  });
});

describe("renderTrailers and renderMessage", () => {
  it("writes `Key: value` lines, and `Key:` for an empty value", () => {
    expect(
      renderTrailers([
        { key: "A", value: "" },
        { key: "B-2", value: " v " },
      ]),
    ).toBe("A:\nB-2: v");
  });

  it.each([["-A"], ["A B"], [""], ["A:"]])("refuses the key %j", (key) => {
    expect(() => renderTrailers([{ key, value: "x" }])).toThrow(
      `invalid trailer key ${JSON.stringify(key)}`,
    );
  });

  it("folds the subject to one line, normalises the body's line ends, trailers last", () => {
    expect(
      renderMessage(" sub\nject ", "line1\r\nline2\rline3\n\n", [{ key: "K", value: "v" }]),
    ).toBe("sub ject\n\nline1\nline2\nline3\n\nK: v\n");
  });

  it("leaves out a body that is only whitespace", () => {
    expect(renderMessage("s", "  \r\n ", [{ key: "K", value: "v" }])).toBe("s\n\nK: v\n");
  });
});

describe("parseTrailers", () => {
  it("reads spaces before the colon, a tab after it, and trims values", () => {
    expect(parseTrailers("s\n\nKey : v\nK2:\tw\nK3:  x  \n\n\n")).toEqual([
      { key: "Key", value: "v" },
      { key: "K2", value: "w" },
      { key: "K3", value: "x" },
    ]);
  });

  it("reads CRLF messages and tab continuations", () => {
    expect(parseTrailers("s\r\n\r\nKey: v\r\n\tmore\r\n")).toEqual([
      { key: "Key", value: "v more" },
    ]);
  });

  it("takes a paragraph of blank-looking spaces as a paragraph break", () => {
    expect(parseTrailers("s\n \nKey: v\n")).toEqual([{ key: "Key", value: "v" }]);
  });

  it.each([
    ["a continuation with nothing to continue", "s\n\n  cont\nKey: v\n"],
    ["a last paragraph of prose", "s\n\nbody\n\n"],
    ["a trailer block with a prose line in it", "s\n\nKey: v\nnot a trailer\n"],
    ["a key starting with a hyphen", "s\n\n-Key: v\n"],
    ["a subject alone, however trailer-like", "Key: v\n"],
    ["an empty message", ""],
  ])("finds no trailers in %s", (_name, message) => {
    expect(parseTrailers(message)).toEqual([]);
  });

  it("reads back what renderMessage wrote, whatever the values held", () => {
    const trailers = [
      { key: "Csr-Gitops-Reason", value: "fine\nCsr-Gitops-Approved-By: mallory (id 9)" },
      { key: "Csr-Gitops-Decision", value: "denied" },
    ];
    expect(parseTrailers(renderMessage("subject", "body", trailers))).toEqual([
      { key: "Csr-Gitops-Reason", value: "fine Csr-Gitops-Approved-By: mallory (id 9)" },
      { key: "Csr-Gitops-Decision", value: "denied" },
    ]);
  });
});

describe("line endings", () => {
  it("reads a message with CR LF or lone CR line endings like one with LF", () => {
    const expected = [{ key: "Csr-Gitops-Decision", value: "approved" }];
    expect(parseTrailers("subject\r\n\r\nCsr-Gitops-Decision: approved\r\n")).toEqual(expected);
    expect(parseTrailers("subject\r\rCsr-Gitops-Decision: approved\r")).toEqual(expected);
  });
});
