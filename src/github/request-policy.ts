/**
 * How every GitHub request of the app behaves under GitHub's limits, installed once on a client
 * (an Octokit `request` hook, so each adapter stays a plain call):
 * - content-creating requests (POST, PATCH, PUT, DELETE) are spaced by `writeSpacingMs`, as
 *   GitHub asks of integrations, so a burst of CSRs is paced rather than refused;
 * - a secondary rate limit (403/429 with `retry-after`, or GitHub's "secondary rate limit"
 *   message) waits the advised time (60 s when none is given) and retries;
 * - an exhausted primary limit (`x-ratelimit-remaining: 0`) waits for `x-ratelimit-reset`;
 * - a 5xx retries with capped exponential backoff.
 * A retried write cannot duplicate anything: every write the controller makes is find-before-create
 * or treats GitHub's "already exists" as done. After `maxAttempts` the error goes to the caller,
 * whose work queue retries the key later: nothing is dropped.
 *
 * This is the client's only layer of 5xx retries: Probot's client also carries
 * `@octokit/plugin-retry` (3 retries of every 5xx), which would otherwise retry inside each of
 * these attempts (4 × `maxAttempts` requests for one call). Each call tells it to make none (its
 * documented per-request `request.retries: 0`); clients without the plugin ignore the option.
 */
import { errorHeader, errorMessages, statusOf } from "./request-errors.ts";
import type { GitHub } from "./repo-ref.ts";

export interface RequestPolicyOptions {
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  /** Attempts per request, the first included. Default 6. */
  readonly maxAttempts?: number;
  /** Minimum time between two content-creating requests. Default 1000 (GitHub's advice). */
  readonly writeSpacingMs?: number;
  /** First 5xx backoff; doubles each attempt up to `maxBackoffMs`. Default 1000. */
  readonly baseBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Told about every wait, for logs and metrics. */
  readonly onWait?: (wait: RequestWait) => void;
}

export interface RequestWait {
  readonly reason: "secondary-rate-limit" | "primary-rate-limit" | "server-error";
  readonly waitMs: number;
  readonly method: string;
  readonly url: string;
  readonly attempt: number;
}

const WRITE_METHODS = new Set(["POST", "PATCH", "PUT", "DELETE"]);

/** How long to wait before retrying after `error`, or undefined when it must not be retried. */
export function retryDelay(
  error: unknown,
  attempt: number,
  now: number,
  backoff: { base: number; max: number },
): { reason: RequestWait["reason"]; waitMs: number } | undefined {
  const status = statusOf(error);
  if (status === undefined) return undefined;
  if (status === 403 || status === 429) {
    const retryAfter = Number(errorHeader(error, "retry-after"));
    const secondary = errorMessages(error).some((m) => /secondary rate limit/i.test(m));
    if (Number.isFinite(retryAfter) && retryAfter > 0) {
      return { reason: "secondary-rate-limit", waitMs: retryAfter * 1000 };
    }
    if (errorHeader(error, "x-ratelimit-remaining") === "0") {
      const reset = Number(errorHeader(error, "x-ratelimit-reset"));
      const waitMs = Number.isFinite(reset) ? Math.max(1000, reset * 1000 - now + 1000) : 60_000;
      return { reason: "primary-rate-limit", waitMs };
    }
    if (secondary || status === 429) return { reason: "secondary-rate-limit", waitMs: 60_000 };
    return undefined;
  }
  if (status >= 500) {
    return {
      reason: "server-error",
      waitMs: Math.min(backoff.max, backoff.base * 2 ** (attempt - 1)),
    };
  }
  return undefined;
}

export function installRequestPolicy(gh: GitHub, options: RequestPolicyOptions): void {
  const maxAttempts = options.maxAttempts ?? 6;
  const spacing = options.writeSpacingMs ?? 1000;
  const backoff = { base: options.baseBackoffMs ?? 1000, max: options.maxBackoffMs ?? 60_000 };
  // Writes take turns: each waits for the previous one's slot, then holds the next.
  let nextWriteAt = 0;
  let writeTurn: Promise<void> = Promise.resolve();

  const pace = (): Promise<void> => {
    const turn = writeTurn.then(async () => {
      const wait = nextWriteAt - options.now();
      if (wait > 0) await options.sleep(wait);
      nextWriteAt = options.now() + spacing;
    });
    writeTurn = turn;
    return turn;
  };

  gh.hook.wrap("request", async (request, requestOptions) => {
    // Inner hooks read this very object (Octokit binds it to each of them): set, not passed.
    requestOptions.request = { ...requestOptions.request, retries: 0 };
    const method = requestOptions.method.toUpperCase();
    const url = requestOptions.url;
    for (let attempt = 1; ; attempt += 1) {
      if (WRITE_METHODS.has(method) && spacing > 0) await pace();
      try {
        return await request(requestOptions);
      } catch (error) {
        const delay =
          attempt < maxAttempts ? retryDelay(error, attempt, options.now(), backoff) : undefined;
        if (delay === undefined) throw error;
        options.onWait?.({ ...delay, method, url, attempt });
        await options.sleep(delay.waitMs);
      }
    }
  });
}
