/**
 * Parses and validates a policy file through the shared YAML + schema loader (src/core/yaml), so
 * every error points at a line, column and field. Any error rejects the whole policy: there is no
 * fallback to a default or to the rules that did validate, because a partly read policy is a more
 * permissive policy.
 */
import { formatYamlError, loadYaml, type YamlFileError } from "../yaml/load-yaml.ts";
import { PolicySchema, type Policy } from "./policy-schema.ts";

export { formatFieldPath } from "../yaml/load-yaml.ts";

export type PolicyError = YamlFileError;

export type LoadPolicyResult =
  | { readonly ok: true; readonly policy: Policy }
  | { readonly ok: false; readonly errors: readonly PolicyError[] };

/** `file:line:column: field: message`, the form editors and CI logs link to. */
export const formatPolicyError: (error: PolicyError) => string = formatYamlError;

/** A policy is a page or two of YAML; anything this large is a mistake or an attack. */
export const MAX_POLICY_CHARS = 1024 * 1024;

export function loadPolicy(text: string, file: string): LoadPolicyResult {
  if (text.length > MAX_POLICY_CHARS) {
    const message = `policy is ${text.length} characters, more than the limit of ${MAX_POLICY_CHARS}`;
    return { ok: false, errors: [{ file, line: 1, column: 1, field: "", message }] };
  }
  const loaded = loadYaml(text, file, PolicySchema, {
    maxChars: MAX_POLICY_CHARS,
    formatName: "the policy format",
  });
  return loaded.ok ? { ok: true, policy: loaded.value } : loaded;
}
