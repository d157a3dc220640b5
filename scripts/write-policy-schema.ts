/**
 * Writes policy/policy.schema.json from the zod policy schema. Run after changing the policy
 * format: `node scripts/write-policy-schema.ts`. With `--check` it only reports whether the
 * committed file is current (exit 1 if not); the test suite checks the same.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { policyJsonSchemaText } from "../src/core/policy/policy-json-schema.ts";

const target = fileURLToPath(new URL("../policy/policy.schema.json", import.meta.url));
const text = policyJsonSchemaText();

if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(target, "utf8");
  } catch {
    // Missing file: reported as out of date below.
  }
  if (current !== text) {
    process.stderr.write(`${target} is out of date: run node scripts/write-policy-schema.ts\n`);
    process.exitCode = 1;
  }
} else {
  writeFileSync(target, text);
  process.stdout.write(`wrote ${target}\n`);
}
