/**
 * The batch PR at its limits, as reviewers read it: a body at exactly the size GitHub takes and one
 * character over, exactly 100 rows, rows in record-path order whatever order the entries come in,
 * and a batch that shares nothing. Written from the survivors of the mutation run of
 * src/core/record (docs/mutation.md).
 */
import { describe, expect, it } from "vitest";
import type { CsrRecord } from "../../../src/core/record/record-schema.ts";
import { MAX_BODY_CHARS } from "../../../src/core/record/render-pr.ts";
import { renderBatchPr, type BatchEntry } from "../../../src/core/record/render-batch.ts";
import { batchEntry as entry, type Writable } from "./record-fixtures.ts";

/** `csr-000`, `csr-001`, ...: names whose text order is their number order. */
const nameOf = (i: number): string => `csr-${String(i).padStart(3, "0")}`;

/** The table's rows: the lines that start with a row number. */
const rowsOf = (body: string): string[] => body.split("\n").filter((l) => /^\| \d+ \|/.test(l));

const FOOTER =
  "Each CSR's full record is its own file: `clusters/prod-eu/<name>_<uid>/record.yaml`.";

/**
 * 100 CSRs with long names and five long SANs each; the first CSR's first SAN is `short`
 * characters shorter. With `short` 2 the body is exactly MAX_BODY_CHARS long.
 */
function bigBatch(short: number): BatchEntry[] {
  return Array.from({ length: 100 }, (_, i) =>
    entry(`${nameOf(i)}-${"x".repeat(59)}`, (r) => {
      if (r.request.decoded === null) throw new Error("the fixture's request decodes");
      r.request.decoded.subjectAltNames = [1, 2, 3, 4, 5].map((j) => ({
        type: "DNS" as const,
        value: `${"h".repeat(i === 0 && j === 1 ? 70 - short : 70)}${String(j)}.example`,
      }));
    }),
  );
}

describe("the batch body's size", () => {
  it("a body of exactly the limit is kept whole", () => {
    const { body } = renderBatchPr(bigBatch(2));
    expect(MAX_BODY_CHARS).toBe(60_000);
    expect(body.length).toBe(MAX_BODY_CHARS);
    expect(body.split("\n").at(-1)).toBe(FOOTER);
  });

  it("a body one character over is cut to the limit, ending in '…'", () => {
    const whole = renderBatchPr(bigBatch(2)).body;
    const { body } = renderBatchPr(bigBatch(1));
    expect(body.length).toBe(MAX_BODY_CHARS);
    expect(body.endsWith("/record.yaml…")).toBe(true);
    // Everything before the cut is the body as written, with the first CSR's one longer SAN.
    const longer = whole.replace(
      `\`${"h".repeat(68)}1.example\``,
      `\`${"h".repeat(69)}1.example\``,
    );
    expect(longer).not.toBe(whole);
    expect(body).toBe(`${longer.slice(0, MAX_BODY_CHARS - 1)}…`);
  });
});

describe("the batch title's size", () => {
  it("a title over 256 characters is cut to 256, ending in '…'", () => {
    // Backticks are escaped, so each capped name grows well past 80 characters.
    const odd = (r: Writable<CsrRecord>): void => {
      r.cluster = "`".repeat(300);
      r.csr.signerName = "`".repeat(300);
    };
    const { title } = renderBatchPr([entry("csr-a", odd), entry("csr-b", odd)]);
    expect(title.startsWith("Approve 2 CSRs for ")).toBe(true);
    expect(Array.from(title)).toHaveLength(256);
    expect(title.endsWith("…")).toBe(true);
  });
});

describe("the table's rows", () => {
  it("exactly 100 CSRs are 100 rows and no 'more CSRs' line", () => {
    const entries = Array.from({ length: 100 }, (_, i) => entry(nameOf(i)));
    const { body } = renderBatchPr(entries);
    const rows = rowsOf(body);
    expect(rows).toHaveLength(100);
    expect(rows.at(-1)).toMatch(/^\| 100 \| `csr-099` \|/);
    const lines = body.split("\n");
    const last = lines.indexOf(rows.at(-1) ?? "");
    expect(lines.slice(last + 1)).toEqual(["", FOOTER]);
  });

  it("101 CSRs are 100 rows and one line for the rest", () => {
    const entries = Array.from({ length: 101 }, (_, i) => entry(nameOf(i)));
    const lines = renderBatchPr(entries).body.split("\n");
    expect(lines.slice(-5)).toEqual([
      expect.stringMatching(/^\| 100 \| `csr-099` \|/) as unknown as string,
      "",
      "and 1 more CSRs (see the record files)",
      "",
      FOOTER,
    ]);
  });

  it("rows follow the record paths, whatever order the entries come in", () => {
    // A fixed permutation of 0..129 (multiplying by 37 modulo 130, which are coprime): long enough
    // for the sort to merge runs, not only insert.
    const order = Array.from({ length: 130 }, (_, i) => (i * 37) % 130);
    const rows = rowsOf(renderBatchPr(order.map((i) => entry(nameOf(i)))).body);
    expect(rows.map((r) => r.split(" | ").slice(0, 2).join(" | "))).toEqual(
      Array.from({ length: 100 }, (_, i) => `| ${String(i + 1)} | \`${nameOf(i)}\``),
    );
  });
});

describe("a batch whose CSRs share nothing", () => {
  it("says '(nothing)' under what they share", () => {
    const pr = renderBatchPr([
      entry("csr-a", (r) => {
        if (r.request.decoded === null) throw new Error("the fixture's request decodes");
        r.request.decoded.extensions = [
          { oid: "2.5.29.17", name: "subjectAltName", critical: false },
        ];
      }),
      entry("csr-b", (r) => {
        r.csr.signerName = "example.com/other";
        r.csr.usages = ["server auth"];
        r.csr.expirationSeconds = 3600;
        r.csr.requester.groups = ["ops"];
        r.csr.requester.extra = { team: ["a"] };
        r.request.decoded = null;
        r.verdict.requiredApprovals = 3;
        r.verdict.notes = [{ code: "near-expiry", message: "expires soon" }];
        r.policy.blobSha = "b".repeat(40);
      }),
    ]);
    const lines = pr.body.split("\n");
    const from = lines.indexOf("### What they share");
    expect(lines.slice(from, from + 5)).toEqual([
      "### What they share",
      "",
      "(nothing)",
      "",
      "### The CSRs",
    ]);
  });
});
