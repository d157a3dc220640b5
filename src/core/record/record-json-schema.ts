import { z } from "zod";
import { RecordSchema } from "./record-schema.ts";

/**
 * The JSON Schema published as docs/schemas/record.schema.json, for auditors' own tools and
 * editors. Generated from the zod schema, which stays the single source of truth.
 */
export function recordJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(RecordSchema, { io: "output", target: "draft-2020-12" }),
    $id: "https://csr-gitops.dev/schemas/record.schema.json",
  };
}
