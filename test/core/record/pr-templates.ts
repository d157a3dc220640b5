/** The shipped templates (templates/), parsed, for tests of the rendered pull request. */
import { readFileSync } from "node:fs";
import {
  parseTemplate,
  type PrTemplate,
  type PrTemplates,
} from "../../../src/core/record/render-pr.ts";

function shipped(name: string): PrTemplate {
  const text = readFileSync(new URL(`../../../templates/${name}`, import.meta.url), "utf8");
  const parsed = parseTemplate(text, `templates/${name}`);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.template;
}

export const SHIPPED_TEMPLATES: PrTemplates = {
  title: shipped("title.md"),
  body: shipped("body.md"),
};
