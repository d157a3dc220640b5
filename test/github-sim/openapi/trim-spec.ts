/**
 * Pure helpers that cut GitHub's published OpenAPI descriptions down to what the simulator serves
 * and make them compile under ajv. Used by scripts/trim-github-openapi.ts and by the tests that
 * check the committed trimmed files are up to date.
 */

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Where a trimmed file came from, recorded in its `info` so a reader can regenerate it. */
export interface SpecSource {
  readonly package: string;
  readonly version: string;
  readonly file: string;
}

const HTTP_METHODS = ["get", "put", "post", "delete", "patch", "head", "options"] as const;

/** Resolves a local JSON pointer such as `#/components/schemas/simple-user`. */
export function resolvePointer(doc: Json, ref: string): Json | undefined {
  if (!ref.startsWith("#/")) return undefined;
  let node: Json | undefined = doc;
  for (const raw of ref.slice(2).split("/")) {
    const key = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
    if (isObject(node)) node = node[key];
    else if (Array.isArray(node)) node = node[Number(key)];
    else return undefined;
  }
  return node;
}

/** Every `#/components/...` reference reachable from `roots`, following references transitively. */
export function collectRefs(roots: readonly Json[], doc: Json): Set<string> {
  const seen = new Set<string>();
  const stack: Json[] = [...roots];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...node);
    else if (isObject(node)) {
      const ref = node.$ref;
      if (typeof ref === "string" && ref.startsWith("#/components/") && !seen.has(ref)) {
        seen.add(ref);
        const target = resolvePointer(doc, ref);
        if (target === undefined) throw new Error(`dangling reference ${ref}`);
        stack.push(target);
      }
      for (const [key, value] of Object.entries(node)) if (key !== "$ref") stack.push(value);
    }
  }
  return seen;
}

/** The components named by `refs`, grouped by section, in sorted order so output is stable. */
export function pickComponents(doc: JsonObject, refs: ReadonlySet<string>): JsonObject {
  const components: JsonObject = {};
  for (const ref of [...refs].sort()) {
    const [, , section, name] = ref.split("/");
    if (section === undefined || name === undefined) continue;
    const target = resolvePointer(doc, ref);
    if (target === undefined) continue;
    const group = components[section];
    if (isObject(group)) group[name] = target;
    else components[section] = { [name]: target };
  }
  return components;
}

/** Drops request/response examples: they are large, never validated, and pull in components. */
export function stripExamples(node: Json): Json {
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "examples" || key === "example") continue;
    if (key === "content" && isObject(value)) {
      const content: JsonObject = {};
      for (const [mediaType, media] of Object.entries(value))
        content[mediaType] = stripExamples(media);
      out[key] = content;
    } else if (key === "responses" && isObject(value)) {
      const responses: JsonObject = {};
      for (const [status, response] of Object.entries(value))
        responses[status] = stripExamples(response);
      out[key] = responses;
    } else if (key === "parameters" && Array.isArray(value)) {
      out[key] = value.map(stripExamples);
    } else if (key === "requestBody") {
      out[key] = stripExamples(value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

const SCHEMA_MAPS = new Set(["properties", "patternProperties", "$defs", "definitions", "schemas"]);

/**
 * Rewrites OpenAPI 3.0 schema dialect into plain JSON Schema that ajv compiles:
 * - `nullable: true` becomes a type array (plus `null` in any `enum`), or
 *   `anyOf [schema, {type: "null"}]` where the schema has no single `type`;
 * - `oneOf` becomes `anyOf`: GitHub's descriptions use `oneOf` for alternatives that overlap (two
 *   nullable branches, objects open to extra keys), where a strict "exactly one" would reject
 *   payloads GitHub itself sends.
 * Keys inside `properties` and similar maps are names, not keywords, and are left alone.
 */
export function toJsonSchemaDialect(node: Json, isNameMap = false): Json {
  if (Array.isArray(node)) return node.map((item) => toJsonSchemaDialect(item));
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node))
    out[key] = toJsonSchemaDialect(value, !isNameMap && SCHEMA_MAPS.has(key));
  if (isNameMap) return out;

  if (Array.isArray(out.oneOf)) {
    const alternatives = out.oneOf;
    delete out.oneOf;
    if (out.anyOf === undefined) out.anyOf = alternatives;
    else out.allOf = [...(Array.isArray(out.allOf) ? out.allOf : []), { anyOf: alternatives }];
  }
  if (typeof out.nullable === "boolean") {
    const nullable = out.nullable;
    delete out.nullable;
    if (nullable) {
      if (typeof out.type === "string") {
        out.type = [out.type, "null"];
        if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
      } else {
        return { anyOf: [out, { type: "null" }] };
      }
    }
  }
  return out;
}

/** The REST description cut to `operationIds` and every component they reference. */
export function trimRestSpec(
  spec: JsonObject,
  operationIds: readonly string[],
  source: SpecSource,
): JsonObject {
  const wanted = new Set(operationIds);
  const paths: JsonObject = {};
  const sourcePaths = isObject(spec.paths) ? spec.paths : {};
  for (const [path, item] of Object.entries(sourcePaths)) {
    if (!isObject(item)) continue;
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!isObject(op) || typeof op.operationId !== "string" || !wanted.has(op.operationId))
        continue;
      wanted.delete(op.operationId);
      const kept = isObject(paths[path]) ? paths[path] : {};
      if (Array.isArray(item.parameters)) kept.parameters = stripExamples(item.parameters);
      kept[method] = stripExamples(op);
      paths[path] = kept;
    }
  }
  if (wanted.size > 0) throw new Error(`operations not in the spec: ${[...wanted].join(", ")}`);
  const withoutExamples = { ...spec, components: componentsWithoutExamples(spec) };
  const components = pickComponents(withoutExamples, collectRefs([paths], withoutExamples));
  return toJsonSchemaDialect({
    openapi: spec.openapi ?? null,
    info: trimmedInfo(spec, source),
    paths,
    components,
  }) as JsonObject;
}

function componentsWithoutExamples(spec: JsonObject): JsonObject {
  const components = isObject(spec.components) ? { ...spec.components } : {};
  delete components.examples;
  for (const section of ["responses", "parameters"]) {
    const group = components[section];
    if (!isObject(group)) continue;
    const stripped: JsonObject = {};
    for (const [name, value] of Object.entries(group)) stripped[name] = stripExamples(value);
    components[section] = stripped;
  }
  return components;
}

export function trimmedInfo(spec: JsonObject, source: SpecSource): JsonObject {
  const info = isObject(spec.info) ? spec.info : {};
  return {
    title: `${typeof info.title === "string" ? info.title : "GitHub"} (trimmed for the csr-gitops GitHub simulator)`,
    version: typeof info.version === "string" ? info.version : source.version,
    "x-source": { package: source.package, version: source.version, file: source.file },
    "x-generated-by": "scripts/trim-github-openapi.ts",
  };
}
