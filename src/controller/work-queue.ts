/**
 * A keyed work queue with client-go's workqueue semantics:
 * - a key is queued at most once; a key added while it is being processed is processed again
 *   afterwards (never twice at the same time);
 * - a failed key is retried after a per-key exponential backoff (capped); success resets it;
 * - `concurrency` keys are processed at once.
 * Timers are injected, so tests drive time; nothing here knows what a key means.
 */
export interface QueueTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: QueueTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

export interface WorkQueueOptions {
  readonly process: (key: string) => Promise<void>;
  readonly concurrency?: number;
  readonly baseBackoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly timers?: QueueTimers;
  readonly onError?: (key: string, error: unknown, retryInMs: number) => void;
}

export class WorkQueue {
  private readonly options: WorkQueueOptions;
  private readonly timers: QueueTimers;
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly delayed = new Map<string, unknown>();
  private active = 0;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(options: WorkQueueOptions) {
    this.options = options;
    this.timers = options.timers ?? realTimers;
  }

  /** Queues `key` now (a pending delayed retry of it is folded into this). */
  add(key: string): void {
    if (this.stopped) return;
    const timer = this.delayed.get(key);
    if (timer !== undefined) {
      this.timers.clearTimeout(timer);
      this.delayed.delete(key);
    }
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.queue.push(key);
    this.pump();
  }

  /** Queues `key` after `ms` (unless it is added sooner). */
  addAfter(key: string, ms: number): void {
    if (this.stopped || this.delayed.has(key)) return;
    const timer = this.timers.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, timer);
  }

  /** Consecutive failures of `key` so far. */
  failuresOf(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** Keys queued or being processed now (not the delayed retries). */
  get busy(): number {
    return this.queue.length + this.processing.size;
  }

  get size(): number {
    return this.queue.length + this.processing.size + this.delayed.size;
  }

  /** Resolves when no key is queued or being processed (delayed retries may remain). */
  async idle(): Promise<void> {
    if (this.queue.length === 0 && this.active === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking keys, drops delayed retries and waits for the keys being processed. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.delayed.values()) this.timers.clearTimeout(timer);
    this.delayed.clear();
    this.queue.length = 0;
    this.queued.clear();
    await this.idle();
  }

  private backoff(key: string): number {
    const failures = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, failures);
    const base = this.options.baseBackoffMs ?? 1000;
    return Math.min(this.options.maxBackoffMs ?? 300_000, base * 2 ** (failures - 1));
  }

  private pump(): void {
    const limit = this.options.concurrency ?? 4;
    while (this.active < limit && this.queue.length > 0) {
      const key = this.queue.shift();
      if (key === undefined) break;
      this.queued.delete(key);
      this.processing.add(key);
      this.active += 1;
      void this.run(key);
    }
    if (this.queue.length === 0 && this.active === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private async run(key: string): Promise<void> {
    try {
      await this.options.process(key);
      this.failures.delete(key);
    } catch (error) {
      const retryIn = this.backoff(key);
      this.options.onError?.(key, error, retryIn);
      if (!this.dirty.has(key)) this.addAfter(key, retryIn);
    } finally {
      this.processing.delete(key);
      this.active -= 1;
      if (this.dirty.delete(key)) this.add(key);
      this.pump();
    }
  }
}
