/**
 * Requester templates: a pattern may name the requester's identity, so one rule binds every
 * requester to its own names. `{node}` is NAME from a node's username `system:node:NAME`;
 * `{serviceaccount.namespace}` and `{serviceaccount.name}` come from a service account's username
 * `system:serviceaccount:NAMESPACE:NAME`. spec.username is set by the apiserver, so the values are
 * the real requester's.
 *
 * Fail closed: a pattern whose template cannot be resolved (the requester is not a node, or its
 * name is not one Kubernetes could give) matches NOTHING. Every value is checked to be a DNS-1123
 * name before it is put in, so it can never carry a glob star, a label separator out of place or
 * another template.
 */
import type { Requester } from "../csr/types.ts";
import { compilePerList } from "./compile-per-list.ts";

export const TEMPLATES = ["{node}", "{serviceaccount.namespace}", "{serviceaccount.name}"] as const;
export type Template = (typeof TEMPLATES)[number];

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A Kubernetes node name: a DNS-1123 subdomain (IsDNS1123Subdomain). */
export function isNodeName(name: string): boolean {
  return name.length <= 253 && SUBDOMAIN.test(name);
}

/** The values each template stands for, for this requester; absent when it has none. */
export function templateValues(requester: Requester): Partial<Record<Template, string>> {
  const username = requester.username;
  const values: Partial<Record<Template, string>> = {};
  if (username.startsWith("system:node:")) {
    const node = username.slice("system:node:".length);
    if (isNodeName(node)) values["{node}"] = node;
  }
  if (username.startsWith("system:serviceaccount:")) {
    const parts = username.slice("system:serviceaccount:".length).split(":");
    const [namespace, name] = parts;
    if (
      parts.length === 2 &&
      namespace !== undefined &&
      name !== undefined &&
      namespace.length <= 63 &&
      LABEL.test(namespace) &&
      isNodeName(name)
    ) {
      values["{serviceaccount.namespace}"] = namespace;
      values["{serviceaccount.name}"] = name;
    }
  }
  return values;
}

const TOKEN = /\{[^{}]*\}/g;

/** True when the text uses a template (a "{...}" token). */
export function hasTemplate(text: string): boolean {
  return text.includes("{") || text.includes("}");
}

/**
 * Why a pattern's templates are malformed (an unknown name, a stray brace), or undefined when
 * they are fine. Used by the policy schema.
 */
export function templateProblem(pattern: string): string | undefined {
  for (const token of pattern.match(TOKEN) ?? []) {
    if (!(TEMPLATES as readonly string[]).includes(token)) {
      return `unknown template ${token} (known: ${TEMPLATES.join(", ")})`;
    }
  }
  if (hasTemplate(pattern.replace(TOKEN, ""))) return 'a "{" or "}" outside a template';
  return undefined;
}

/** The pattern with every template replaced, or undefined when one cannot be resolved. */
export function resolveTemplates(
  pattern: string,
  values: Partial<Record<Template, string>>,
): string | undefined {
  if (!hasTemplate(pattern)) return pattern;
  const tokens = pattern.match(TOKEN) ?? [];
  if (tokens.some((token) => values[token as Template] === undefined)) return undefined;
  return pattern.replace(TOKEN, (token) => values[token as Template] ?? "");
}

/** Whether a list names any template, found once per list. */
const templated = compilePerList((patterns) => patterns.some(hasTemplate));

/**
 * Every pattern resolved for this requester; those that cannot be are dropped (match nothing). A
 * list without templates is returned as it is, so what was compiled for it is used again.
 */
export function resolveAll(
  patterns: readonly string[],
  values: Partial<Record<Template, string>>,
): readonly string[] {
  if (!templated(patterns)) return patterns;
  return patterns.flatMap((p) => {
    const resolved = resolveTemplates(p, values);
    return resolved === undefined ? [] : [resolved];
  });
}
