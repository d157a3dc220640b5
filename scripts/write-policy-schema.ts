/**
 * Writes policy/policy.schema.json from the zod policy schema. Run after changing the policy
 * format: `node scripts/write-policy-schema.ts`. With `--check` it only reports whether the
 * committed file is current (exit 1 if not); the test suite checks the same. The file is
 * formatted with the project's Prettier settings so `prettier --check` passes on it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import * as prettier from "prettier";
import { policyJsonSchema, policyJsonSchemaText } from "../src/core/policy/policy-json-schema.ts";

const target = fileURLToPath(new URL("../policy/policy.schema.json", import.meta.url));

if (process.argv.includes("--check")) {
  let current: unknown;
  try {
    current = JSON.parse(readFileSync(target, "utf8"));
  } catch {
    // Missing or unreadable: reported as out of date below.
  }
  if (!isDeepStrictEqual(current, policyJsonSchema())) {
    process.stderr.write(`${target} is out of date: run node scripts/write-policy-schema.ts\n`);
    process.exitCode = 1;
  }
} else {
  const options = (await prettier.resolveConfig(target)) ?? {};
  writeFileSync(
    target,
    await prettier.format(policyJsonSchemaText(), { ...options, filepath: target }),
  );
  process.stdout.write(`wrote ${target}\n`);
}
