/**
 * Reads the installed GitHub descriptions from node_modules and returns the trimmed documents the
 * simulator validates against. Reads the JSON files directly: importing @octokit/openapi's index
 * would load every GitHub variant (385 MB).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SERVED_OPERATIONS } from "./served-operations.ts";
import { ERRATA, fixUpstreamErrata } from "./upstream-errata.ts";
import { isObject, trimRestSpec, type JsonObject, type SpecSource } from "./trim-spec.ts";
import { SENT_EVENTS, trimWebhookSpec } from "../webhooks/trim-webhook-schemas.ts";

export const REST_TRIMMED_FILE = "test/github-sim/openapi/github-rest.trimmed.json";
export const WEBHOOKS_TRIMMED_FILE = "test/github-sim/webhooks/webhook-schemas.trimmed.json";

const REST_SOURCE = { package: "@octokit/openapi", file: "generated/api.github.com.json" };
const WEBHOOK_SOURCE = {
  package: "@octokit/openapi-webhooks",
  file: "generated/api.github.com.json",
};

function readJson(path: string): JsonObject {
  const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
  if (!isObject(parsed)) throw new Error(`${path}: expected a JSON object`);
  return parsed;
}

function loadSource(root: string, pkg: { package: string; file: string }) {
  const dir = join(root, "node_modules", pkg.package);
  const manifest = readJson(join(dir, "package.json"));
  if (typeof manifest.version !== "string") throw new Error(`${pkg.package}: no version`);
  const source: SpecSource = { package: pkg.package, version: manifest.version, file: pkg.file };
  return { spec: readJson(join(dir, pkg.file)), source };
}

export function generateTrimmedRest(root: string): JsonObject {
  const { spec, source } = loadSource(root, REST_SOURCE);
  const trimmed = fixUpstreamErrata(trimRestSpec(spec, SERVED_OPERATIONS, source)) as JsonObject;
  const info = isObject(trimmed.info) ? trimmed.info : {};
  return { ...trimmed, info: { ...info, "x-errata": [...ERRATA] } };
}

export function generateTrimmedWebhooks(root: string): JsonObject {
  const { spec, source } = loadSource(root, WEBHOOK_SOURCE);
  return trimWebhookSpec(spec, SENT_EVENTS, source);
}
