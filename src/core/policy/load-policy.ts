/**
 * Parses and validates a policy file. YAML is parsed with `yaml`'s Document API (not plain
 * `parse`) so every error can point at a line and column; the data then passes the zod schema.
 * Any error rejects the whole policy: there is no fallback to a default or to the rules that did
 * validate, because a partly read policy is a more permissive policy.
 */
import { isAlias, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { Document } from "yaml";
import type { z } from "zod";
import { PolicySchema, type Policy } from "./policy-schema.ts";

export interface PolicyError {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  /** Path of the offending field, e.g. `signers["example.com/x"].keys.rsaMinBits`; "" for YAML syntax. */
  readonly field: string;
  readonly message: string;
}

export type LoadPolicyResult =
  | { readonly ok: true; readonly policy: Policy }
  | { readonly ok: false; readonly errors: readonly PolicyError[] };

/** `file:line:column: field: message`, the form editors and CI logs link to. */
export function formatPolicyError(error: PolicyError): string {
  const where = `${error.file}:${error.line}:${error.column}`;
  return error.field === ""
    ? `${where}: ${error.message}`
    : `${where}: ${error.field}: ${error.message}`;
}

/** Renders a zod path the way a reader would write it in JavaScript. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(root)";
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else {
      const key = String(segment);
      if (/^[A-Za-z_$][\w$]*$/.test(key)) out += out === "" ? key : `.${key}`;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

function scalarKey(key: unknown): string | undefined {
  return isScalar(key) ? String(key.value) : undefined;
}

/** Source offset of the deepest node on `path`: a map entry's key, or a sequence item. */
function locate(doc: Document, path: readonly PropertyKey[]): number {
  let node: unknown = doc.contents;
  let offset = isNode(node) ? (node.range?.[0] ?? 0) : 0;
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => scalarKey(p.key) === String(segment));
      if (pair === undefined) break;
      if (isNode(pair.key)) offset = pair.key.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment];
      if (!isNode(item)) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return offset;
}

function issueMessage(issue: z.core.$ZodIssue): string {
  return issue.message.replace(/^Invalid input: /, "");
}

/** Each issue, split so that every unknown key gets its own error at its own position. */
function expandIssue(issue: z.core.$ZodIssue): { path: PropertyKey[]; message: string }[] {
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({
      path: [...issue.path, key],
      message: "unknown key (not part of the policy format; check the spelling)",
    }));
  }
  return [{ path: [...issue.path], message: issueMessage(issue) }];
}

/** A policy is a page or two of YAML; anything this large is a mistake or an attack. */
export const MAX_POLICY_CHARS = 1024 * 1024;

export function loadPolicy(text: string, file: string): LoadPolicyResult {
  if (text.length > MAX_POLICY_CHARS) {
    const message = `policy is ${text.length} characters, more than the limit of ${MAX_POLICY_CHARS}`;
    return { ok: false, errors: [{ file, line: 1, column: 1, field: "", message }] };
  }
  const lineCounter = new LineCounter();
  const at = (offset: number, field: string, message: string): PolicyError => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col, field, message };
  };

  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  // Warnings (unknown tags, ...) count as errors: a policy is read exactly or not at all.
  const yamlProblems = [...doc.errors, ...doc.warnings];
  if (yamlProblems.length > 0) {
    return {
      ok: false,
      errors: yamlProblems.map((e) => at(e.pos[0], "", e.message.split("\n")[0] ?? e.message)),
    };
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 50 });
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    return { ok: false, errors: [at(0, "", message)] };
  }

  const parsed = PolicySchema.safeParse(data);
  if (parsed.success) return { ok: true, policy: parsed.data };
  const errors = parsed.error.issues
    .flatMap(expandIssue)
    .map(({ path, message }) => at(locate(doc, path), formatFieldPath(path), message))
    .sort((a, b) => a.line - b.line || a.column - b.column);
  return { ok: false, errors };
}
