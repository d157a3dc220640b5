import { GitHubHttpError } from "../http-error.ts";

/** Reads request bodies defensively; the OpenAPI validator has already rejected wrong types. */
export function bodyObject(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== "object" || Array.isArray(body))
    throw new GitHubHttpError(400, "Problems parsing JSON");
  return body as Record<string, unknown>;
}

export function optString(body: Record<string, unknown>, field: string): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") {
    throw new GitHubHttpError(
      422,
      `Invalid request.\n\nFor '${field}', ${JSON.stringify(v)} is not a string.`,
    );
  }
  return v;
}

export function reqString(body: Record<string, unknown>, field: string): string {
  const v = optString(body, field);
  if (v === undefined)
    throw new GitHubHttpError(422, `Invalid request.\n\n"${field}" wasn't supplied.`);
  return v;
}

export function optBoolean(body: Record<string, unknown>, field: string): boolean | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "boolean") {
    throw new GitHubHttpError(
      422,
      `Invalid request.\n\nFor '${field}', ${JSON.stringify(v)} is not a boolean.`,
    );
  }
  return v;
}

export function intParam(params: Readonly<Record<string, string>>, name: string): number {
  const n = Number(params[name]);
  if (!Number.isSafeInteger(n) || n <= 0) throw new GitHubHttpError(404, "Not Found");
  return n;
}
