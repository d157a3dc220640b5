import { isObject, type Json, type JsonObject } from "./trim-spec.ts";

/**
 * Known mistakes in the installed GitHub description, corrected before the simulator validates
 * against it. Each entry says what is wrong and why the fix matches what GitHub sends.
 */
export const ERRATA = [
  "GET /app/installations: the inlined installation `account` is `allOf [Simple User, Enterprise]` " +
    "(no account is both); read as `anyOf`, as components/schemas/installation has it.",
] as const;

function isUserOrEnterprise(list: Json): boolean {
  if (!Array.isArray(list) || list.length !== 2) return false;
  const titles = list.map((s) => (isObject(s) ? s.title : undefined));
  return titles[0] === "Simple User" && titles[1] === "Enterprise";
}

/** Returns a copy of `node` with the errata fixed. */
export function fixUpstreamErrata(node: Json): Json {
  if (Array.isArray(node)) return node.map(fixUpstreamErrata);
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) out[key] = fixUpstreamErrata(value);
  if (isUserOrEnterprise(out.allOf ?? null)) {
    out.anyOf = out.allOf ?? null;
    delete out.allOf;
  }
  return out;
}
