/**
 * The JSON Schema editors use for `.github/csr-gitops.yml`: its identity, the draft it is written
 * in, and that it reads files the way loadConfig does (every key optional, no unknown key).
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { configJsonSchema } from "../../../src/core/config/config-json-schema.ts";

describe("config JSON Schema", () => {
  it("names itself and its draft", () => {
    const schema = configJsonSchema();
    expect(schema.$id).toBe("https://csr-gitops.dev/schemas/config.schema.json");
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.type).toBe("object");
  });

  it("accepts an empty file and a file that sets switches, refuses an unknown key", () => {
    const validate = new Ajv2020({ strict: false }).compile(configJsonSchema());
    expect(validate({})).toBe(true);
    expect(validate({ onClose: "ignore", batch: { maxSize: 20 } })).toBe(true);
    expect(validate({ onClose: "approve" })).toBe(false);
    expect(validate({ policyDenid: "deny" })).toBe(false);
  });
});
