import type { SimClock } from "./clock.ts";
import { GitHubHttpError } from "./http-error.ts";
import type { Actor } from "./state/model.ts";

export interface RateLimitConfig {
  primaryPerHour: number;
  secondaryPerMinute: number;
  secondaryPerHour: number;
}

interface Window {
  resetAtMs: number;
  used: number;
}

const HOUR = 3_600_000;
const MINUTE = 60_000;
const DOCS = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api";

function keyOf(actor: Actor): string {
  switch (actor.kind) {
    case "installation":
      return `installation:${actor.installationId}`;
    case "user":
      return `user:${actor.login.toLowerCase()}`;
    case "app":
      return `app:${actor.appId}`;
    case "anonymous":
      return "anonymous";
  }
}

/**
 * GitHub's primary (requests per hour per identity, reported in x-ratelimit-* headers) and
 * secondary (content-creating requests per minute and per hour) limits, on the simulator's clock.
 */
export class RateLimiter {
  readonly config: RateLimitConfig;
  private readonly clock: SimClock;
  private readonly windows = new Map<string, Window>();
  private readonly writes = new Map<string, number[]>();

  constructor(clock: SimClock, config: RateLimitConfig) {
    this.clock = clock;
    this.config = { ...config };
  }

  /** Changes the limits (tests use small numbers to reach them quickly). */
  configure(change: Partial<RateLimitConfig>): void {
    Object.assign(this.config, change);
  }

  private limitFor(actor: Actor): number {
    return actor.kind === "anonymous"
      ? Math.min(60, this.config.primaryPerHour)
      : this.config.primaryPerHour;
  }

  private window(actor: Actor): Window {
    const now = this.clock.now();
    const key = keyOf(actor);
    let w = this.windows.get(key);
    if (w === undefined || now >= w.resetAtMs) {
      w = { resetAtMs: now + HOUR, used: 0 };
      this.windows.set(key, w);
    }
    return w;
  }

  /** The x-ratelimit-* headers for the actor's current window. */
  headers(actor: Actor): Record<string, string> {
    const w = this.window(actor);
    const limit = this.limitFor(actor);
    return {
      "x-ratelimit-limit": String(limit),
      "x-ratelimit-remaining": String(Math.max(0, limit - w.used)),
      "x-ratelimit-used": String(w.used),
      "x-ratelimit-reset": String(Math.ceil(w.resetAtMs / 1000)),
      "x-ratelimit-resource": "core",
    };
  }

  snapshot(actor: Actor): { limit: number; used: number; remaining: number; reset: number } {
    const w = this.window(actor);
    const limit = this.limitFor(actor);
    return {
      limit,
      used: w.used,
      remaining: Math.max(0, limit - w.used),
      reset: Math.ceil(w.resetAtMs / 1000),
    };
  }

  /** Counts one request against the primary limit, or throws GitHub's 403 when it is used up. */
  takePrimary(actor: Actor): void {
    const w = this.window(actor);
    if (w.used >= this.limitFor(actor)) {
      const who =
        actor.kind === "installation"
          ? `installation ID ${actor.installationId}`
          : actor.kind === "user"
            ? `user ${actor.login}`
            : actor.kind === "app"
              ? `app ID ${actor.appId}`
              : "127.0.0.1";
      throw new GitHubHttpError(403, `API rate limit exceeded for ${who}.`, {
        documentationUrl: DOCS,
        headers: this.headers(actor),
      });
    }
    w.used += 1;
  }

  /** Counts a content-creating request, or throws the secondary-limit 403 with retry-after. */
  takeSecondary(actor: Actor, requestId: string): void {
    const now = this.clock.now();
    const key = keyOf(actor);
    const recent = (this.writes.get(key) ?? []).filter((t) => t > now - HOUR);
    this.writes.set(key, recent);
    const lastMinute = recent.filter((t) => t > now - MINUTE);
    let retryAtMs: number | undefined;
    const firstInMinute = lastMinute[0];
    const firstInHour = recent[0];
    if (lastMinute.length >= this.config.secondaryPerMinute && firstInMinute !== undefined) {
      retryAtMs = firstInMinute + MINUTE;
    }
    if (recent.length >= this.config.secondaryPerHour && firstInHour !== undefined) {
      retryAtMs = Math.max(retryAtMs ?? 0, firstInHour + HOUR);
    }
    if (retryAtMs !== undefined) {
      throw new GitHubHttpError(
        403,
        `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${requestId}.`,
        {
          documentationUrl: `${DOCS}#about-secondary-rate-limits`,
          headers: { "retry-after": String(Math.max(1, Math.ceil((retryAtMs - now) / 1000))) },
        },
      );
    }
    recent.push(now);
  }
}
