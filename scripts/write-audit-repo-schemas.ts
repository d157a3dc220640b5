/**
 * Writes the audit repository's JSON Schemas (docs/schemas/record.schema.json and
 * docs/schemas/config.schema.json) from their zod schemas. Run after changing either format:
 * `node scripts/write-audit-repo-schemas.ts`. With `--check` it only reports whether the committed
 * files are current (exit 1 if not); the test suite checks the same.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import * as prettier from "prettier";
import { configJsonSchema } from "../src/core/config/config-json-schema.ts";
import { recordJsonSchema } from "../src/core/record/record-json-schema.ts";

const folder = fileURLToPath(new URL("../docs/schemas/", import.meta.url));
const schemas: [string, Record<string, unknown>][] = [
  ["record.schema.json", recordJsonSchema()],
  ["config.schema.json", configJsonSchema()],
];

if (process.argv.includes("--check")) {
  for (const [name, schema] of schemas) {
    let current: unknown;
    try {
      current = JSON.parse(readFileSync(folder + name, "utf8"));
    } catch {
      // Missing or unreadable: reported as out of date below.
    }
    if (!isDeepStrictEqual(current, schema)) {
      process.stderr.write(`${folder}${name} is out of date: run node ${process.argv[1] ?? ""}\n`);
      process.exitCode = 1;
    }
  }
} else {
  mkdirSync(folder, { recursive: true });
  for (const [name, schema] of schemas) {
    const target = folder + name;
    const options = (await prettier.resolveConfig(target)) ?? {};
    const text = `${JSON.stringify(schema, null, 2)}\n`;
    writeFileSync(target, await prettier.format(text, { ...options, filepath: target }));
    process.stdout.write(`wrote ${target}\n`);
  }
}
