/** An answer GitHub would give instead of a result; the request handler turns it into a response. */
export class GitHubHttpError extends Error {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    message: string,
    extra: {
      body?: Record<string, unknown>;
      headers?: Record<string, string>;
      documentationUrl?: string;
    } = {},
  ) {
    super(message);
    this.name = "GitHubHttpError";
    this.status = status;
    this.body = {
      message,
      documentation_url: extra.documentationUrl ?? "https://docs.github.com/rest",
      ...extra.body,
    };
    this.headers = extra.headers ?? {};
  }
}

export function notFound(): GitHubHttpError {
  return new GitHubHttpError(404, "Not Found");
}

/** GitHub's 422 "Validation Failed" with one error entry. */
export function validationFailed(
  resource: string,
  field: string,
  code: string,
  message?: string,
): GitHubHttpError {
  const error: Record<string, string> = { resource, field, code };
  if (message !== undefined) error.message = message;
  return new GitHubHttpError(422, "Validation Failed", {
    body: { errors: [error], status: "422" },
  });
}
