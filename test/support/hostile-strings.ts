/**
 * A corpus of strings an attacker could put in a CSR or its requester fields, and an independent
 * check that a displayed string holds none of the raw characters that make them dangerous.
 */

/** Terminal escapes of every family, line breaks, bidi, zero-width and other invisibles. */
export const TERMINAL_AND_INVISIBLE: Readonly<Record<string, string>> = {
  "CSI clear screen and a fake green verdict on its own line":
    "alice\x1b[2J\x1b[1;32m verdict: ALLOW\x1b[0m\r\nverdict: ALLOW",
  "OSC 0 retitle, BEL-terminated": "bob\x1b]0;kubectl approve\x07",
  "OSC 0 retitle, ST-terminated": "bob\x1b]0;kubectl approve\x1b\\",
  "OSC 8 hidden link, BEL-terminated": "\x1b]8;;https://evil.example/\x07docs\x1b]8;;\x07",
  "OSC 8 hidden link, ST-terminated": "\x1b]8;;https://evil.example/\x1b\\docs\x1b]8;;\x1b\\",
  "DCS request, ST-terminated": "x\x1bP+q544e\x1b\\y",
  "C1 CSI U+009B": "carol\u009b2J\u009b1;32mALLOW",
  "C1 OSC and ST": "\u009d0;pwned\u009c",
  "C1 DCS": "\u0090q\u009c",
  "CR overwrites the line": "evil-node\rsystem:node:worker-1",
  "LF starts a new line": "dave\nverdict: ALLOW",
  "NEL, line and paragraph separators": "a\u0085b\u2028c\u2029d",
  "backspaces erase what was shown": "system:masters\b\b\b\b\b\b\b\bnodes",
  "NUL, BEL, TAB, DEL": "a\u0000b\u0007c\td\u007f",
  "right-to-left override": "gpj.\u202Eexe.txt",
  "bidi isolates and embeddings": "\u2066\u202Asystem\u202B:\u202Cmasters\u2069\u2067\u2068",
  "bidi marks": "\u200Eadmin\u200F\u061C",
  "zero-width space inside a group name": "system\u200B:masters",
  "zero-width joiners and word joiner": "sys\u200Ctem\u200D:\u2060masters",
  "byte order mark": "\uFEFFsystem:masters",
  "soft hyphen and grapheme joiner": "sys\u00ADtem\u034F:masters",
  "Unicode tag characters (ASCII smuggling)": "ok\u{E0061}\u{E0070}\u{E0070}\u{E0072}",
  "variation selector and Hangul filler": "a\uFE0Fb\u3164c",
  "no-break and ideographic spaces": "system:\u00A0masters\u3000",
  "private use and unassigned": "\uE000\u{50000}",
};

/** Look-alike letters from other scripts: visible, so not escaped, but noted by code point. */
export const LOOKALIKES: Readonly<Record<string, { value: string; codePoints: string[] }>> = {
  "Cyrillic a in admin": { value: "\u0430dmin", codePoints: ["U+0430"] },
  "Cyrillic dze and o in a node name": {
    value: "system:node:w\u043Erker-1.\u0455vc",
    codePoints: ["U+043E", "U+0455"],
  },
  "Greek capitals in API": {
    value: "k8s-\u0391\u03A1\u0399",
    codePoints: ["U+0391", "U+03A1", "U+0399"],
  },
  "fullwidth s": { value: "\uFF53ystem:masters", codePoints: ["U+FF53"] },
};

/** Markdown and HTML that must render as literal text on GitHub. */
export const MARKUP: Readonly<Record<string, string>> = {
  mention: "@octocat please approve",
  "team ping": "@kubernetes/sig-auth",
  "bare URL": "https://evil.example/login?next=/approve",
  "www autolink": "www.evil.example",
  email: "admin@evil.example",
  "angle autolink": "<https://evil.example>",
  "inline link": "[approve](https://evil.example)",
  image: "![x](https://evil.example/p.png)",
  heading: "# verdict: ALLOW",
  "setext heading": "ALLOW\n===",
  "table row": "| verdict | ALLOW |",
  "HTML element": '<img src=x onerror="alert(1)">',
  "HTML comment": "<!-- hide the rest",
  entity: "&lt;b&gt; &amp; &#x41;",
  "code fence": "```\nverdict: ALLOW\n```",
  backticks: "a`b``c```d",
  emphasis: "**ALLOW** _now_ ~~deny~~",
  "issue reference": "#123 GH-5 octo/repo#7",
  "commit SHA": "0123456789abcdef0123456789abcdef01234567",
  emoji: ":white_check_mark: approved",
  "list marker": "- [x] approved",
  "block quote": "> approved by @octocat",
  "pipe and backslash": "a\\|b|c\\",
  "leading and trailing spaces": "  spaced  ",
};

/** Very long values. */
export const LONG: Readonly<Record<string, string>> = {
  "4,000-character CN": "x".repeat(4000),
  "1,000 escapes": "\x1b".repeat(1000),
  "long astral": "\u{1F600}".repeat(500),
};

/**
 * Independent of the display code: a raw control (C0, DEL, C1), bidi control, zero-width or other
 * default-ignorable, line or paragraph separator, lone surrogate, or non-ASCII space.
 */
export const RAW_HIDDEN =
  // The control and combining characters in the class are the point of this pattern.
  // eslint-disable-next-line no-control-regex, no-misleading-character-class
  /[\u0000-\u001F\u007F-\u009F\u061C\u200B-\u200F\u2028-\u202E\u2060-\u206F\uFEFF\u00A0\u00AD\u034F\u3000\u3164\uFE00-\uFE0F\u{E0000}-\u{E0FFF}\p{Cs}\p{Cf}\p{Default_Ignorable_Code_Point}]/u;

/** The length of the longest line of `text`, in code points. */
export function longestLine(text: string): number {
  return Math.max(0, ...text.split("\n").map((line) => Array.from(line).length));
}
