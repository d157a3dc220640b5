import { parseAllDocuments } from "yaml";
import { describeThrown, failure, type Failure } from "./decode-error.ts";
import { MAX_INPUT_BYTES, MAX_YAML_ALIASES } from "./limits.ts";
import type { DecodeError } from "./types.ts";

/** One thing to decode: a Kubernetes CSR object (parsed, not yet validated) or a bare PEM. */
export type CsrInputItem = { kind: "object"; value: unknown } | { kind: "pem"; pem: string };

const LIST_KINDS = new Set(["List", "CertificateSigningRequestList"]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Splits input text into CSR inputs: a bare PEM; or YAML/JSON holding one object, a
 * List/CertificateSigningRequestList, or several YAML documents (empty ones skipped). Items are not
 * validated here: each is decoded on its own, so one bad CSR does not hide the others. Never throws.
 */
export function parseCsrInput(
  text: string,
): { ok: true; items: CsrInputItem[] } | { ok: false; error: DecodeError } {
  if (Buffer.byteLength(text, "utf8") > MAX_INPUT_BYTES) {
    return failure("input-too-large", `input is over ${MAX_INPUT_BYTES} bytes`);
  }
  if (text.trimStart().startsWith("-----BEGIN "))
    return { ok: true, items: [{ kind: "pem", pem: text }] };
  const documents = parseYamlDocuments(text);
  if (!documents.ok) return documents;
  const items: CsrInputItem[] = [];
  for (const value of documents.values) {
    if (value === null || value === undefined) continue;
    if (isRecord(value) && typeof value.kind === "string" && LIST_KINDS.has(value.kind)) {
      const listItems = value.items;
      if (listItems === null || listItems === undefined) continue;
      if (!Array.isArray(listItems))
        return failure("not-a-csr-object", `${value.kind} has no items array`);
      for (const item of listItems as unknown[]) items.push({ kind: "object", value: item });
      continue;
    }
    if (!isRecord(value)) {
      return failure("not-a-csr-object", "input is neither a PEM nor a YAML/JSON object");
    }
    items.push({ kind: "object", value });
  }
  if (items.length === 0)
    return failure("not-a-csr-object", "input holds no CertificateSigningRequest");
  return { ok: true, items };
}

function parseYamlDocuments(text: string): { ok: true; values: unknown[] } | Failure {
  try {
    // YAML 1.2 core schema: timestamps stay strings, JSON parses as-is. Aliases are capped when
    // converting to JS, so an alias bomb fails instead of expanding.
    const documents = parseAllDocuments(text, {
      schema: "core",
      uniqueKeys: true,
      prettyErrors: false,
    });
    const list = Array.isArray(documents) ? documents : [documents];
    const values: unknown[] = [];
    for (const doc of list) {
      const firstError = doc.errors[0];
      if (firstError !== undefined)
        return failure("not-yaml-or-json", `not YAML or JSON: ${firstError.message}`);
      values.push(doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }));
    }
    return { ok: true, values };
  } catch (thrown) {
    return failure("not-yaml-or-json", `not YAML or JSON: ${describeThrown(thrown)}`);
  }
}
