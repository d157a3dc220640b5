/**
 * Parses a YAML file into data that must pass a zod schema, with every error pointing at file,
 * line, column and field. YAML is read with `yaml`'s Document API (not plain `parse`) so a zod
 * issue can be located in the source. Any error rejects the whole file: callers never run under a
 * partly read file. Generalised from the policy loader so the repo config (and later the policy
 * loader itself) share one implementation.
 */
import { isAlias, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { Document } from "yaml";
import type { z } from "zod";

export interface YamlFileError {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  /** Path of the offending field, e.g. `batch.maxSize`; "" for YAML syntax. */
  readonly field: string;
  readonly message: string;
}

export type LoadYamlResult<T> =
  | {
      readonly ok: true;
      readonly value: T;
      /**
       * The plain data the YAML holds, as the schema saw it. The schema's output may leave out
       * what it does not describe (zod's record() drops a "__proto__" key); a caller that must
       * keep such a key reads it here instead of parsing the file again.
       */
      readonly data: unknown;
    }
  | { readonly ok: false; readonly errors: readonly YamlFileError[] };

/** `file:line:column: field: message`, the form editors and CI logs link to. */
export function formatYamlError(error: YamlFileError): string {
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

export interface LoadYamlOptions {
  /** Larger input is refused before parsing. */
  readonly maxChars: number;
  /** What an unknown key is called in the message, e.g. "the repo config format". */
  readonly formatName: string;
}

/** Each issue, split so that every unknown key gets its own error at its own position. */
function expandIssue(
  issue: z.core.$ZodIssue,
  formatName: string,
): { path: PropertyKey[]; message: string }[] {
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({
      path: [...issue.path, key],
      message: `unknown key (not part of ${formatName}; check the spelling)`,
    }));
  }
  return [{ path: [...issue.path], message: issue.message.replace(/^Invalid input: /, "") }];
}

/** Parses `text` (named `file` in errors) and validates it with `schema`. Never throws. */
export function loadYaml<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
  options: LoadYamlOptions,
): LoadYamlResult<z.output<S>> {
  if (text.length > options.maxChars) {
    const message = `file is ${text.length} characters, more than the limit of ${options.maxChars}`;
    return { ok: false, errors: [{ file, line: 1, column: 1, field: "", message }] };
  }
  const lineCounter = new LineCounter();
  const at = (offset: number, field: string, message: string): YamlFileError => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col, field, message };
  };

  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  // Warnings (unknown tags, ...) count as errors: a file is read exactly or not at all.
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

  const parsed = schema.safeParse(data);
  if (parsed.success) return { ok: true, value: parsed.data, data };
  const errors = parsed.error.issues
    .flatMap((issue) => expandIssue(issue, options.formatName))
    .map(({ path, message }) => at(locate(doc, path), formatFieldPath(path), message))
    .sort((a, b) => a.line - b.line || a.column - b.column);
  return { ok: false, errors };
}
