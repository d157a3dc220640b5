import { RequestError } from "@octokit/request-error";

/** What GitHub (here, the simulator) answered to a request that was refused. */
export interface RequestFailure {
  readonly status: number;
  /** GitHub's `message` from the error body, or "" when the body has none. */
  readonly message: string;
  readonly data: unknown;
  readonly headers: Readonly<Record<string, string | number | undefined>>;
}

/** Awaits a request that must fail; a success or a non-HTTP error fails the test. */
export async function failure(request: Promise<unknown>): Promise<RequestFailure> {
  try {
    await request;
  } catch (error) {
    if (!(error instanceof RequestError)) throw error;
    const data: unknown = error.response?.data;
    const message =
      typeof data === "object" &&
      data !== null &&
      "message" in data &&
      typeof data.message === "string"
        ? data.message
        : "";
    return { status: error.status, message, data, headers: error.response?.headers ?? {} };
  }
  throw new Error("expected the request to fail");
}
