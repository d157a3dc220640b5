import type { Urls } from "../present/urls.ts";
import type { SimState } from "../state/sim-state.ts";

/** What operations need besides state: link bases and a place to send webhook events. */
export interface SimContext {
  readonly state: SimState;
  readonly urls: Urls;
  /** Queues a webhook event (a no-op when the app has no webhook). */
  emit(event: string, payload: Record<string, unknown>): void;
}
