/**
 * Regenerates the simulator's trimmed GitHub descriptions from the installed packages:
 *   node scripts/trim-github-openapi.ts
 * Run it after upgrading @octokit/openapi or @octokit/openapi-webhooks, or after changing the
 * served operations or sent events; commit both output files. A test fails while they are stale.
 */
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { format } from "prettier";
import {
  REST_TRIMMED_FILE,
  WEBHOOKS_TRIMMED_FILE,
  generateTrimmedRest,
  generateTrimmedWebhooks,
} from "../test/github-sim/openapi/generate-trimmed.ts";

const root = resolve(import.meta.dirname, "..");

async function write(file: string, doc: unknown): Promise<void> {
  // Prettier-formatted so `prettier --check .` stays green on the committed output.
  const text = await format(JSON.stringify(doc), { parser: "json", printWidth: 100 });
  writeFileSync(join(root, file), text);
  console.log(`wrote ${file} (${Math.round(text.length / 1024)} KiB)`);
}

await write(REST_TRIMMED_FILE, generateTrimmedRest(root));
await write(WEBHOOKS_TRIMMED_FILE, generateTrimmedWebhooks(root));
