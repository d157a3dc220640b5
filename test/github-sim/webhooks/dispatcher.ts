/**
 * Delivers the simulator's webhooks the way GitHub does: JSON POSTs with GitHub's headers,
 * signed with the app's webhook secret, each payload first checked against GitHub's webhook
 * schema. Deliveries are queued by `send` and go out on `flush`, so a test decides when the app
 * hears about a change, and can drop, duplicate or reorder them (GitHub gives no ordering or
 * exactly-once guarantee; the app must be level-triggered).
 */
import { randomUUID } from "node:crypto";
import { signPayload, signPayloadSha1 } from "./sign-payload.ts";
import { validateWebhookPayload } from "./webhook-schema.ts";

export { signPayload } from "./sign-payload.ts";

/** Apply to the next N deliveries (`reorder`: the next flush delivers its queue newest first). */
export interface WebhookFaults {
  drop?: number;
  duplicate?: number;
  reorder?: boolean;
}

export interface WebhookDelivery {
  readonly id: string;
  readonly event: string;
  readonly action?: string;
  /** HTTP status of the last attempt; 0 when no HTTP response came back (connection refused). */
  readonly status: number | "dropped";
  readonly attempts: number;
}

export class WebhookPayloadError extends Error {
  override readonly name = "WebhookPayloadError";
  readonly problems: readonly string[];
  constructor(event: string, problems: readonly string[]) {
    super(
      `simulator bug: ${event} payload does not match GitHub's webhook schema:\n${problems.join("\n")}`,
    );
    this.problems = problems;
  }
}

interface Queued {
  readonly id: string;
  readonly event: string;
  readonly action: string | undefined;
  readonly body: string;
  readonly signature: string;
  readonly signatureSha1: string;
}

export interface WebhookDispatcherOptions {
  url: string;
  secret: string;
  fetch?: typeof fetch;
  validate?: boolean;
  /** `X-GitHub-Hook-ID`; GitHub numbers each configured hook. */
  hookId?: number;
  /** `X-GitHub-Hook-Installation-Target-ID`: the app id for a GitHub App's webhook. */
  targetId?: number;
  newId?: () => string;
}

export class WebhookDispatcher {
  readonly #url: string;
  readonly #secret: string;
  readonly #fetch: typeof fetch;
  readonly #validate: boolean;
  readonly #hookId: number;
  readonly #targetId: number;
  readonly #newId: () => string;
  #queue: Queued[] = [];
  #faults: { drop: number; duplicate: number; reorder: boolean } = {
    drop: 0,
    duplicate: 0,
    reorder: false,
  };
  readonly #deliveries: WebhookDelivery[] = [];

  constructor(opts: WebhookDispatcherOptions) {
    this.#url = opts.url;
    this.#secret = opts.secret;
    this.#fetch = opts.fetch ?? fetch;
    this.#validate = opts.validate ?? true;
    this.#hookId = opts.hookId ?? 1;
    this.#targetId = opts.targetId ?? 1;
    this.#newId = opts.newId ?? randomUUID;
  }

  get deliveries(): readonly WebhookDelivery[] {
    return this.#deliveries;
  }

  /** Validates the payload against GitHub's webhook schema (throws on mismatch: a simulator bug), signs it, queues it. */
  send(event: string, payload: object): void {
    if (this.#validate) {
      const problems = validateWebhookPayload(event, payload);
      if (problems.length > 0) throw new WebhookPayloadError(event, problems);
    }
    const body = JSON.stringify(payload);
    const action = (payload as { action?: unknown }).action;
    this.#queue.push({
      id: this.#newId(),
      event,
      action: typeof action === "string" ? action : undefined,
      body,
      signature: signPayload(this.#secret, body),
      signatureSha1: signPayloadSha1(this.#secret, body),
    });
  }

  setFaults(f: WebhookFaults): void {
    this.#faults = { drop: f.drop ?? 0, duplicate: f.duplicate ?? 0, reorder: f.reorder ?? false };
  }

  /** Delivers everything queued over HTTP POST, one at a time; resolves when done. */
  async flush(): Promise<void> {
    // Deliveries queued while flushing (an app reacting to a webhook) go out in this flush too.
    while (this.#queue.length > 0) {
      const batch = this.#queue;
      this.#queue = [];
      if (this.#faults.reorder) {
        batch.reverse();
        this.#faults.reorder = false;
      }
      for (const item of batch) await this.#deliver(item);
    }
  }

  async #deliver(item: Queued): Promise<void> {
    const record = (status: number | "dropped", attempts: number) =>
      this.#deliveries.push({
        id: item.id,
        event: item.event,
        ...(item.action === undefined ? {} : { action: item.action }),
        status,
        attempts,
      });
    if (this.#faults.drop > 0) {
      this.#faults.drop--;
      record("dropped", 0);
      return;
    }
    let attempts = 1;
    if (this.#faults.duplicate > 0) {
      this.#faults.duplicate--;
      attempts = 2;
    }
    let status = 0;
    // A duplicate is GitHub redelivering: same delivery id, same body and signature.
    for (let i = 0; i < attempts; i++) status = await this.#post(item);
    record(status, attempts);
  }

  async #post(item: Queued): Promise<number> {
    try {
      const response = await this.#fetch(this.#url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "GitHub-Hookshot/csr-gitops-sim",
          "x-github-event": item.event,
          "x-github-delivery": item.id,
          "x-github-hook-id": String(this.#hookId),
          "x-github-hook-installation-target-type": "integration",
          "x-github-hook-installation-target-id": String(this.#targetId),
          // Docs ("Validating webhook deliveries"): SHA-256 is the one to check; GitHub still sends
          // the legacy SHA-1 `X-Hub-Signature` beside it.
          "x-hub-signature": item.signatureSha1,
          "x-hub-signature-256": item.signature,
        },
        body: item.body,
      });
      // Drain the body so the connection is released before the next delivery.
      await response.arrayBuffer();
      return response.status;
    } catch {
      return 0;
    }
  }
}
