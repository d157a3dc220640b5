import { readFileSync } from "node:fs";
import { parseTemplate, type PrTemplate, type PrTemplates } from "../core/record/render-pr.ts";

function read(name: string): PrTemplate {
  // templates/ sits at the package root, two levels above both src/controller and dist/controller.
  const url = new URL(`../../templates/${name}`, import.meta.url);
  const parsed = parseTemplate(readFileSync(url, "utf8"), `templates/${name}`);
  if (!parsed.ok) {
    throw new Error(
      `built-in template templates/${name} is broken: ${parsed.errors[0]?.message ?? ""}`,
    );
  }
  return parsed.template;
}

/** The shipped PR title and body templates (templates/title.md and templates/body.md). */
export function builtinTemplates(): PrTemplates {
  return { title: read("title.md"), body: read("body.md") };
}
