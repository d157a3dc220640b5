import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  REST_TRIMMED_FILE,
  WEBHOOKS_TRIMMED_FILE,
  generateTrimmedRest,
  generateTrimmedWebhooks,
} from "../openapi/generate-trimmed.ts";

const root = resolve(import.meta.dirname, "../../..");
const committed = (file: string): unknown => JSON.parse(readFileSync(resolve(root, file), "utf8"));
const stale = "stale: run `node scripts/trim-github-openapi.ts` and commit the result";

describe("trimmed GitHub descriptions", () => {
  it("the REST description is up to date with the installed @octokit/openapi", () => {
    expect(committed(REST_TRIMMED_FILE), stale).toEqual(generateTrimmedRest(root));
  });

  it("the webhook schemas are up to date with the installed @octokit/openapi-webhooks", () => {
    expect(committed(WEBHOOKS_TRIMMED_FILE), stale).toEqual(generateTrimmedWebhooks(root));
  });

  it("record where they came from", () => {
    const pkg = JSON.parse(
      readFileSync(resolve(root, "node_modules/@octokit/openapi/package.json"), "utf8"),
    ) as { version: string };
    expect(committed(REST_TRIMMED_FILE)).toMatchObject({
      info: {
        "x-source": {
          package: "@octokit/openapi",
          version: pkg.version,
          file: "generated/api.github.com.json",
        },
      },
    });
  });

  it("hold no OpenAPI 3.0 `nullable` and no `oneOf` (rewritten for ajv)", () => {
    const text = readFileSync(resolve(root, REST_TRIMMED_FILE), "utf8");
    expect(text).not.toMatch(/"nullable":/);
    expect(text).not.toMatch(/"oneOf":/);
  });
});
