/**
 * Reading GitHub's error responses. Octokit throws a RequestError with `status`, `response.data`
 * (GitHub's JSON body) and `response.headers`; these helpers read it without trusting its shape.
 */

interface ErrorLike {
  readonly status?: unknown;
  readonly message?: unknown;
  readonly response?: { readonly data?: unknown; readonly headers?: Record<string, unknown> };
}

function asErrorLike(error: unknown): ErrorLike | undefined {
  return typeof error === "object" && error !== null ? error : undefined;
}

export function statusOf(error: unknown): number | undefined {
  const status = asErrorLike(error)?.status;
  return typeof status === "number" ? status : undefined;
}

/** A header of the error response, lower-case name. */
export function errorHeader(error: unknown, name: string): string | undefined {
  const value = asErrorLike(error)?.response?.headers?.[name];
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : undefined;
}

/** Every message GitHub put in the error: the top-level one and each `errors[].message`. */
export function errorMessages(error: unknown): string[] {
  const like = asErrorLike(error);
  const out: string[] = [];
  if (typeof like?.message === "string") out.push(like.message);
  const data = like?.response?.data;
  if (typeof data === "object" && data !== null) {
    const body = data as { message?: unknown; errors?: unknown };
    if (typeof body.message === "string") out.push(body.message);
    if (Array.isArray(body.errors)) {
      for (const e of body.errors as unknown[]) {
        if (typeof e === "string") out.push(e);
        else if (typeof e === "object" && e !== null) {
          const message = (e as { message?: unknown }).message;
          if (typeof message === "string") out.push(message);
        }
      }
    }
  }
  return out;
}

/** A 422 whose message contains `text`: GitHub's way of saying "already done" for many writes. */
export function isUnprocessable(error: unknown, text: string): boolean {
  return statusOf(error) === 422 && errorMessages(error).some((m) => m.includes(text));
}

export function isNotFound(error: unknown): boolean {
  return statusOf(error) === 404;
}
