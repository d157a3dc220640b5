import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { SimActions } from "./actions.ts";
import { SimClock } from "./clock.ts";
import { Faults } from "./faults.ts";
import { Mutex } from "./mutex.ts";
import { DEFAULT_URLS, type Urls } from "./present/urls.ts";
import { RateLimiter } from "./rate-limit.ts";
import { handleRequest } from "./request-handler.ts";
import type { RouteContext } from "./routes/route.ts";
import { parseSeed, parseSeedYaml } from "./seed/load-seed.ts";
import type { Seed, SeedInput } from "./seed/seed-schema.ts";
import { SimState } from "./state/sim-state.ts";
import type { WebFlowKey } from "./git/web-flow-key.ts";
import type { WebhookDelivery, WebhookFaults } from "./webhooks/dispatcher.ts";

/** Where webhook events go; the contract's WebhookDispatcher fits. */
export interface WebhookSink {
  send(event: string, payload: object): void;
  flush(): Promise<void>;
  /** Drop, duplicate or reorder the next deliveries (see WebhookFaults). */
  setFaults(faults: WebhookFaults): void;
  /** One entry per delivery: event, action, HTTP status (or "dropped"), attempts. */
  readonly deliveries: readonly WebhookDelivery[];
}

export interface SimulatorOptions {
  /** The seed: YAML text, or an object in the seed format. */
  readonly seed: string | SeedInput;
  /** Folder that relative paths in the seed (private_key_path) are resolved against. */
  readonly seedDir?: string;
  /** Check every response against GitHub's OpenAPI description (tests turn this on). */
  readonly validateResponses?: boolean;
  /** The API base URL the client uses, for links in bodies. */
  readonly baseUrl?: string;
  /**
   * Receives webhook events. By default, when the seed's app has a webhook, the contract's
   * WebhookDispatcher is created with `webhookFetch` (or the global fetch).
   */
  readonly webhooks?: WebhookSink;
  readonly webhookFetch?: typeof fetch;
}

/** A stateful GitHub for tests and the demo: REST over real bare git repositories. */
export class GitHubSimulator {
  readonly clock: SimClock;
  readonly faults = new Faults();
  readonly rateLimits: RateLimiter;
  readonly state: SimState;
  /** Response-validation and webhook-schema problems; tests assert this stays empty. */
  readonly violations: string[] = [];
  readonly actions: SimActions;
  webhooks: WebhookSink | undefined;
  private readonly mutex = new Mutex();
  private readonly gitRoot: string;
  private urls: Urls;
  private readonly validate: boolean;

  private constructor(args: {
    state: SimState;
    clock: SimClock;
    seed: Seed;
    gitRoot: string;
    opts: SimulatorOptions;
  }) {
    this.state = args.state;
    this.clock = args.clock;
    this.gitRoot = args.gitRoot;
    this.validate = args.opts.validateResponses ?? false;
    this.urls = { ...DEFAULT_URLS, api: args.opts.baseUrl ?? DEFAULT_URLS.api };
    this.rateLimits = new RateLimiter(args.clock, {
      primaryPerHour: args.seed.rate_limit.primary_per_hour,
      secondaryPerMinute: args.seed.rate_limit.secondary_per_minute,
      secondaryPerHour: args.seed.rate_limit.secondary_per_hour,
    });
    this.webhooks = args.opts.webhooks;
    this.actions = new SimActions(this.context(), this.mutex);
  }

  static async create(opts: SimulatorOptions): Promise<GitHubSimulator> {
    const seed = typeof opts.seed === "string" ? parseSeedYaml(opts.seed) : parseSeed(opts.seed);
    const clock = new SimClock(
      seed.clock_start === undefined ? Date.now() : Date.parse(seed.clock_start),
    );
    const gitRoot = await mkdtemp(path.join(tmpdir(), "github-sim-"));
    const state = await SimState.fromSeed(seed, {
      clock,
      gitRoot,
      seedDir: opts.seedDir ?? process.cwd(),
    });
    const sim = new GitHubSimulator({ state, clock, seed, gitRoot, opts });
    const hook = state.app?.webhook;
    if (sim.webhooks === undefined && hook !== undefined) {
      const { WebhookDispatcher } = await import("./webhooks/dispatcher.ts");
      sim.webhooks = new WebhookDispatcher({
        url: hook.url,
        secret: hook.secret,
        validate: true,
        // X-GitHub-Hook-Installation-Target-ID: the app's id, for a GitHub App's webhook.
        targetId: state.app?.id ?? 1,
        ...(opts.webhookFetch === undefined ? {} : { fetch: opts.webhookFetch }),
      });
    }
    return sim;
  }

  /** The operation context: state, link bases (which change when the server starts listening), event sink. */
  context(): RouteContext {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- getters below must read the live fields
    const sim = this;
    const ctx: RouteContext = {
      state: this.state,
      get urls() {
        return sim.urls;
      },
      rateLimits: this.rateLimits,
      faults: this.faults,
      emit: (event, payload) => {
        this.emit(event, payload);
      },
    };
    return ctx;
  }

  private emit(event: string, payload: Record<string, unknown>): void {
    if (this.webhooks === undefined) return;
    try {
      this.webhooks.send(event, payload);
    } catch (error) {
      // The dispatcher rejects payloads that break GitHub's webhook schema: a simulator bug to report, not hide.
      this.violations.push(
        `webhook ${event}.${String(payload.action)}: ${(error as Error).message}`,
      );
    }
  }

  /** `fetch`-compatible entry point: hand it to Octokit or Probot as `request: { fetch }`. */
  readonly fetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> =>
    handleRequest(
      {
        ctx: this.context(),
        mutex: this.mutex,
        validateResponses: this.validate,
        violations: this.violations,
      },
      new Request(input, init),
    );

  /** Where the simulator's links point; the HTTP server sets this to its own address. */
  setBaseUrl(api: string): void {
    this.urls = { ...this.urls, api: api.replace(/\/+$/, "") };
  }

  /** The bare git repository behind owner/repo, for `git log` and `git show` in tests. */
  repoPath(owner: string, repo: string): string {
    return this.state.repo(owner, repo).git.path;
  }

  /** The app's private key when the seed asked the simulator to generate one. */
  appPrivateKey(): string | undefined {
    return this.state.app?.privateKeyPem;
  }

  /**
   * The stand-in for GitHub's web-flow signing key: its public key and an allowed-signers file for
   * `git -c gpg.ssh.allowedSignersFile=... verify-commit` on commits GitHub would sign.
   */
  webFlowKey(): WebFlowKey {
    return this.state.webFlowKey;
  }

  /** Delivers queued webhook events. */
  async flushWebhooks(): Promise<void> {
    await this.webhooks?.flush();
  }

  /** Removes the temporary git repositories. */
  async close(): Promise<void> {
    await rm(this.gitRoot, { recursive: true, force: true });
  }

  /** Exposed for composition with the HTTP server (same handler, same lock). */
  get requestHandler(): (request: Request) => Promise<Response> {
    return (request) =>
      handleRequest(
        {
          ctx: this.context(),
          mutex: this.mutex,
          validateResponses: this.validate,
          violations: this.violations,
        },
        request,
      );
  }
}
