import { z } from "zod";
import { PolicySchema } from "./policy-schema.ts";

/**
 * The JSON Schema published as policy/policy.schema.json, for editors (yaml-language-server) and
 * other tools. Generated from the zod schema, which stays the single source of truth; it describes
 * the policy as written (defaults optional). Checks zod can't express in JSON Schema (CIDR and DNS
 * pattern syntax) are only enforced by `loadPolicy`.
 */
export function policyJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(PolicySchema, { io: "input", target: "draft-2020-12" }),
    $id: "https://csr-gitops.dev/schemas/policy.schema.json",
  };
}

/** The file's exact text: stable key order, two-space indent, final newline. */
export function policyJsonSchemaText(): string {
  return `${JSON.stringify(policyJsonSchema(), null, 2)}\n`;
}
