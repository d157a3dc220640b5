export { CONFIG_API_VERSION, DEFAULT_REPO_CONFIG, RepoConfigSchema } from "./config-schema.ts";
export type { RepoConfig, RepoConfigInput } from "./config-schema.ts";
export { loadConfig, MAX_CONFIG_CHARS } from "./load-config.ts";
export type { LoadConfigResult } from "./load-config.ts";
export { formatYamlError } from "../yaml/load-yaml.ts";
export type { YamlFileError } from "../yaml/load-yaml.ts";
