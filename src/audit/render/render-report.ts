/** Picks the renderer for `--output`. JSON is exact data (its encoder escapes); the rest are for people. */
import type { AuditReport } from "../report.ts";
import { renderCsv } from "./render-csv.ts";
import { renderHtml } from "./render-html.ts";
import { renderMarkdown } from "./render-markdown.ts";
import { renderTable } from "./render-table.ts";

export const OUTPUT_FORMATS = ["table", "json", "csv", "markdown", "html"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function renderReport(report: AuditReport, format: OutputFormat): string {
  switch (format) {
    case "table":
      return renderTable(report);
    case "json":
      return `${JSON.stringify(report, null, 2)}\n`;
    case "csv":
      return renderCsv(report);
    case "markdown":
      return renderMarkdown(report);
    case "html":
      return renderHtml(report);
  }
}
