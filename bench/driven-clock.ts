/**
 * The benchmark's driven clock: the GitHub simulator's clock (which follows the wall clock) is
 * moved forward whenever everything on it is waiting, so a 60 s secondary-limit wait or a 30 s
 * batch window costs no real time. Every sleep and timer of the controller and of its request
 * policy is registered here; while a GitHub request is in flight, or while the clock is held, time
 * only passes as the wall clock does. Work that is not a GitHub request (apiserver reads) is not
 * tracked, so simulated time can only pass faster than the work needs: figures are upper bounds.
 */
import type { QueueTimers } from "../src/controller/work-queue.ts";
import type { SimClock } from "../test/github-sim/clock.ts";

interface Waiter {
  readonly at: number;
  readonly fire: () => void;
}

export class DrivenClock {
  private readonly clock: SimClock;
  private readonly waiters = new Set<Waiter>();
  private inFlight = 0;
  private lastActivity = performance.now();
  private held = true;
  private ticker: ReturnType<typeof setInterval> | undefined;
  /** Simulated milliseconds skipped by driving. */
  skippedMs = 0;

  constructor(clock: SimClock) {
    this.clock = clock;
  }

  readonly now = (): number => this.clock.now();

  readonly sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      this.waiters.add({ at: this.now() + ms, fire: resolve });
    });

  readonly timers: QueueTimers = {
    setTimeout: (fn, ms) => {
      const waiter = { at: this.now() + ms, fire: fn };
      this.waiters.add(waiter);
      return waiter;
    },
    clearTimeout: (handle) => {
      this.waiters.delete(handle as Waiter);
    },
  };

  /** Wraps a fetch so that time is never moved while a request is in flight. */
  track(fetch: (request: Request) => Promise<Response>): (request: Request) => Promise<Response> {
    return async (request) => {
      this.inFlight += 1;
      this.lastActivity = performance.now();
      try {
        return await fetch(request);
      } finally {
        this.inFlight -= 1;
        this.lastActivity = performance.now();
      }
    };
  }

  /** While held, simulated time passes only as wall time does. */
  hold(held: boolean): void {
    this.held = held;
  }

  start(): void {
    this.ticker = setInterval(() => {
      this.tick();
    }, 5);
  }

  stop(): void {
    if (this.ticker !== undefined) clearInterval(this.ticker);
  }

  private tick(): void {
    const now = this.now();
    const due = [...this.waiters].filter((w) => w.at <= now);
    if (due.length > 0) {
      for (const w of due) {
        this.waiters.delete(w);
        w.fire();
      }
      this.lastActivity = performance.now();
      return;
    }
    if (this.held || this.waiters.size === 0 || this.inFlight > 0) return;
    // Everything waits: after a short quiet spell, jump to the next timer.
    if (performance.now() - this.lastActivity < 25) return;
    const next = Math.min(...[...this.waiters].map((w) => w.at));
    if (next > now) {
      this.clock.advance(next - now);
      this.skippedMs += next - now;
    }
  }
}
