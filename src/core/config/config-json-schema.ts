import { z } from "zod";
import { RepoConfigSchema } from "./config-schema.ts";

/**
 * The JSON Schema published as docs/schemas/config.schema.json (for `.github/csr-gitops.yml` in
 * editors). Describes the file as written: every key optional.
 */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(RepoConfigSchema, { io: "input", target: "draft-2020-12" }),
    $id: "https://csr-gitops.dev/schemas/config.schema.json",
  };
}
