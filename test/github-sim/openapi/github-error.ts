/**
 * Error bodies shaped like GitHub's: `basic-error` (`message`, `documentation_url`, `status` as a
 * string) and `validation-error` (adds `errors`). Messages for schema failures follow the wording
 * GitHub's JSON-schema validation uses ("Invalid request.\n\n\"title\" wasn't supplied.").
 */
import type { ErrorObject } from "ajv";

export interface GitHubError {
  readonly status: number;
  readonly body: {
    message: string;
    documentation_url?: string;
    errors?: unknown[];
    status?: string;
  };
}

export const GITHUB_DOCS_URL = "https://docs.github.com/rest";

export function gitHubError(
  status: number,
  message: string,
  documentationUrl: string = GITHUB_DOCS_URL,
  errors?: unknown[],
): GitHubError {
  return {
    status,
    body: {
      message,
      documentation_url: documentationUrl,
      ...(errors === undefined ? {} : { errors }),
      status: String(status),
    },
  };
}

/** GitHub quotes offending values Ruby-style: `nil`, `"text"`, `5`, `["a"]`. */
export function rubyValue(value: unknown): string {
  if (value === null || value === undefined) return "nil";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** `/labels/0/name` -> `properties/labels/items/properties/name`; the root is `links/0/schema`. */
export function schemaLocation(instancePath: string): string {
  if (instancePath === "") return "links/0/schema";
  return instancePath
    .split("/")
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? "items" : `properties/${part.replaceAll("~1", "/")}`))
    .join("/");
}

function typeNoun(type: string): string {
  if (type === "null") return "null";
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function valueAt(root: unknown, instancePath: string): unknown {
  let node: unknown = root;
  for (const raw of instancePath.split("/").slice(1)) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** One ajv error rendered as the sentence GitHub puts after "Invalid request.". */
export function describeSchemaError(error: ErrorObject, root: unknown): string {
  const where = schemaLocation(error.instancePath);
  const value = rubyValue(valueAt(root, error.instancePath));
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return `${rubyValue(params.missingProperty)} wasn't supplied.`;
    case "additionalProperties":
      return `${rubyValue(params.additionalProperty)} is not a permitted key.`;
    case "type": {
      const types = String(params.type).split(",");
      return `For '${where}', ${value} is not ${types.map(typeNoun).join(" or ")}.`;
    }
    case "enum":
      return `For '${where}', ${value} is not a member of ${JSON.stringify(params.allowedValues)}.`;
    case "anyOf":
      return `For '${where}', ${value} does not match any allowed form (No subschema in "anyOf" matched).`;
    default:
      return `For '${where}', ${value} ${error.message ?? "is invalid"}.`;
  }
}

const KEYWORD_ORDER = ["required", "additionalProperties", "type", "enum", "anyOf"];

/**
 * GitHub reports one problem; pick the one a person fixes first: the shallowest, and at equal
 * depth missing keys before unknown keys before wrong types. Failures inside an `anyOf` branch are
 * folded into the `anyOf` itself (which branch "should" have matched is a guess).
 */
export function primaryError(errors: readonly ErrorObject[]): ErrorObject | undefined {
  const anyOfPaths = errors.filter((e) => e.keyword === "anyOf").map((e) => e.schemaPath);
  const visible = errors.filter((e) => !anyOfPaths.some((p) => e.schemaPath.startsWith(`${p}/`)));
  const depth = (e: ErrorObject) => (e.instancePath === "" ? 0 : e.instancePath.split("/").length);
  const order = (e: ErrorObject) => {
    const i = KEYWORD_ORDER.indexOf(e.keyword);
    return i === -1 ? KEYWORD_ORDER.length : i;
  };
  return [...visible].sort((a, b) => depth(a) - depth(b) || order(a) - order(b))[0];
}
