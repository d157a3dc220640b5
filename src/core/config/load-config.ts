/**
 * Reads `.github/csr-gitops.yml`. Absent file: every default. Any YAML or schema error rejects the
 * file as a whole with errors naming file, line, column and field; callers stop (no PRs, no
 * approvals for that repository) rather than run under a guessed config.
 */
import { z } from "zod";
import { CONFIG_PATH } from "../record/layout.ts";
import { loadYaml, type YamlFileError } from "../yaml/load-yaml.ts";
import { DEFAULT_REPO_CONFIG, RepoConfigSchema, type RepoConfig } from "./config-schema.ts";

export type LoadConfigResult =
  | { readonly ok: true; readonly config: RepoConfig }
  | { readonly ok: false; readonly errors: readonly YamlFileError[] };

/** A config is a few lines; anything this large is a mistake or an attack. */
export const MAX_CONFIG_CHARS = 64 * 1024;

/** An empty file (or one of only comments) reads as null: an empty map, all defaults. */
const FileSchema = z.preprocess((value) => value ?? {}, RepoConfigSchema);

/** `text` is the file's content, or undefined when the file does not exist. */
export function loadConfig(text: string | undefined, file: string = CONFIG_PATH): LoadConfigResult {
  if (text === undefined) return { ok: true, config: DEFAULT_REPO_CONFIG };
  const result = loadYaml(text, file, FileSchema, {
    maxChars: MAX_CONFIG_CHARS,
    formatName: "the csr-gitops config format",
  });
  return result.ok ? { ok: true, config: result.value } : result;
}
