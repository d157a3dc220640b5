/**
 * The bounds and errors of a CSR's pull request a reviewer or an audit repo's admin meets: a
 * template's unknown placeholder and size limit, the title folded to one line and cut at 256
 * characters, the body cut at 60,000, and the check run's title and summary.
 */
import { describe, expect, it } from "vitest";
import {
  MAX_TEMPLATE_CHARS,
  parseTemplate,
  renderCheckRun,
  renderPr,
  TEMPLATE_PLACEHOLDERS,
  type PrTemplate,
} from "../../../src/core/record/render-pr.ts";
import type { CsrRecord, RecordReason } from "../../../src/core/record/record-schema.ts";
import { SHIPPED_TEMPLATES } from "./pr-templates.ts";
import { servingRecord, UID } from "./record-fixtures.ts";

const context = { recordPath: `clusters/prod-eu/csr-8k2lq_${UID}/record.yaml`, superseded: [] };

const literal = (text: string): PrTemplate => ({ file: "t", parts: [{ text }] });

function parsed(text: string): PrTemplate {
  const result = parseTemplate(text, "t");
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.template;
}

describe("a template", () => {
  it("of exactly 32,768 characters is read, and one character more is refused", () => {
    expect(MAX_TEMPLATE_CHARS).toBe(32_768);
    expect(parseTemplate("x".repeat(32_768), "body.md")).toEqual({
      ok: true,
      template: { file: "body.md", parts: [{ text: "x".repeat(32_768) }] },
    });
    expect(parseTemplate("x".repeat(32_769), "body.md")).toEqual({
      ok: false,
      errors: [
        {
          file: "body.md",
          line: 1,
          column: 1,
          field: "",
          message: "template is 32769 characters, more than the limit of 32768",
        },
      ],
    });
  });

  it("names each unknown placeholder's line and column, and lists the known ones", () => {
    const result = parseTemplate("ab {{one}}\nlonger line\nxy {{two}}", "title.md");
    const known =
      "cluster, csrName, uid, signer, commonName, decision, approvalRule, reasons, subject, " +
      "subjectAltNames, key, usages, lifetime, requester, groups, extra, created, deadline, " +
      "requestSha256, recordPath, supersedes";
    expect(TEMPLATE_PLACEHOLDERS.join(", ")).toBe(known);
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          file: "title.md",
          line: 1,
          column: 4,
          field: "one",
          message: `unknown placeholder {{one}} (known: ${known})`,
        },
        {
          file: "title.md",
          line: 3,
          column: 4,
          field: "two",
          message: `unknown placeholder {{two}} (known: ${known})`,
        },
      ],
    });
  });
});

describe("the title", () => {
  it("folds a template's line breaks and the spaces around them into one space", () => {
    const title = (text: string) =>
      renderPr(servingRecord(), { ...SHIPPED_TEMPLATES, title: parsed(text) }, context).title;
    expect(title("CSR\n{{csrName}}")).toBe("CSR `csr-8k2lq`");
    expect(title(" CSR  \n\n  {{csrName}} \n")).toBe("CSR `csr-8k2lq`");
    expect(title("CSR \nx")).toBe("CSR x");
    expect(title("CSR\n x")).toBe("CSR x");
  });

  it("keeps 256 characters whole and cuts a longer title to 255 and an ellipsis", () => {
    const title = (text: string) =>
      renderPr(servingRecord(), { ...SHIPPED_TEMPLATES, title: literal(text) }, context).title;
    const long = "\u{1F512}".repeat(256);
    expect(title(long)).toBe(long);
    expect(title(`${long}ab`)).toBe(`${"\u{1F512}".repeat(255)}…`);
  });
});

describe("the body", () => {
  it("keeps 60,000 characters whole and cuts a longer body to 59,999 and an ellipsis", () => {
    const body = (text: string) =>
      renderPr(servingRecord(), { ...SHIPPED_TEMPLATES, body: literal(text) }, context).body;
    const long = "b".repeat(60_000);
    expect(body(long)).toBe(long);
    expect(body(`${long}c`)).toBe(`${"b".repeat(59_999)}…`);
  });
});

describe("the check run", () => {
  const reason = (code: string): RecordReason => ({ code, message: "no" });
  const denied = (reasons: RecordReason[]): CsrRecord => {
    const record = servingRecord();
    return { ...record, verdict: { ...record.verdict, decision: "deny", reasons } };
  };

  it("counts one reason, two reasons and none in the title of a denial", () => {
    expect(renderCheckRun(denied([reason("a")]), 0)).toEqual({
      title: "Policy denies (1 reason); merging never approves",
      summary: [
        "**Policy verdict: deny**; 0 of 2 code owner approvals.",
        "",
        "Reasons to deny:",
        "",
        "- `a`: `no`",
      ].join("\n"),
    });
    expect(renderCheckRun(denied([reason("a"), reason("b")]), 1).title).toBe(
      "Policy denies (2 reasons); merging never approves",
    );
    expect(renderCheckRun(denied([]), 0)).toEqual({
      title: "Policy denies (0 reasons); merging never approves",
      summary: "**Policy verdict: deny**; 0 of 2 code owner approvals.\n",
    });
  });

  it("counts the approvals in the title of an allowed CSR", () => {
    expect(renderCheckRun(servingRecord(), 2).title).toBe(
      "Policy allows; 2 of 2 code owner approvals",
    );
  });
});
