import { describe, expect, it } from "vitest";
import { WorkQueue, type QueueTimers } from "../../src/controller/work-queue.ts";

/** Timers driven by the test: nothing fires until `fire()`. */
function manualTimers() {
  const pending = new Map<number, { fn: () => void; ms: number }>();
  let next = 0;
  const timers: QueueTimers = {
    setTimeout: (fn, ms) => {
      next += 1;
      pending.set(next, { fn, ms });
      return next;
    },
    clearTimeout: (handle) => {
      pending.delete(handle as number);
    },
  };
  return {
    timers,
    delays: () => [...pending.values()].map((p) => p.ms),
    fire: () => {
      const due = [...pending.values()];
      pending.clear();
      for (const p of due) p.fn();
    },
  };
}

function deferred() {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe("the keyed work queue", () => {
  it("never processes one key twice at once, and re-runs a key added while it ran", async () => {
    const gate = deferred();
    const running = new Set<string>();
    const runs: string[] = [];
    let overlap = false;
    const queue = new WorkQueue({
      concurrency: 4,
      process: async (key) => {
        if (running.has(key)) overlap = true;
        running.add(key);
        runs.push(key);
        if (runs.length === 1) await gate.promise;
        running.delete(key);
      },
    });
    queue.add("a");
    queue.add("a"); // while "a" runs: marked to run again, not run concurrently
    queue.add("a");
    queue.add("b");
    gate.resolve();
    await queue.idle();
    await queue.idle();
    expect(overlap).toBe(false);
    expect(runs.filter((k) => k === "a")).toHaveLength(2);
    expect(runs.filter((k) => k === "b")).toHaveLength(1);
  });

  it("retries a failing key with capped exponential backoff, and forgets it on success", async () => {
    const clock = manualTimers();
    let failures = 4;
    const errors: number[] = [];
    const queue = new WorkQueue({
      timers: clock.timers,
      baseBackoffMs: 100,
      maxBackoffMs: 500,
      process: () => {
        if (failures > 0) {
          failures -= 1;
          return Promise.reject(new Error("GitHub is down"));
        }
        return Promise.resolve();
      },
      onError: (_key, _error, retryIn) => errors.push(retryIn),
    });
    queue.add("k");
    for (let i = 0; i < 4; i += 1) {
      await queue.idle();
      clock.fire();
    }
    await queue.idle();
    expect(errors).toEqual([100, 200, 400, 500]);
    expect(queue.failuresOf("k")).toBe(0);
    expect(clock.delays()).toEqual([]);
  });

  it("an event for a key waiting to retry runs it now", async () => {
    const clock = manualTimers();
    let calls = 0;
    const queue = new WorkQueue({
      timers: clock.timers,
      process: () => {
        calls += 1;
        return calls === 1 ? Promise.reject(new Error("x")) : Promise.resolve();
      },
    });
    queue.add("k");
    await queue.idle();
    expect(clock.delays()).toEqual([1000]);
    queue.add("k");
    await queue.idle();
    expect(calls).toBe(2);
    expect(clock.delays()).toEqual([]);
  });

  it("stop() drops queued and delayed keys and waits for the running ones", async () => {
    const clock = manualTimers();
    const gate = deferred();
    const done: string[] = [];
    const queue = new WorkQueue({
      concurrency: 1,
      timers: clock.timers,
      process: async (key) => {
        await gate.promise;
        done.push(key);
      },
    });
    queue.add("a");
    queue.add("b");
    queue.addAfter("c", 10);
    const stopped = queue.stop();
    gate.resolve();
    await stopped;
    queue.add("d");
    await queue.idle();
    expect(done).toEqual(["a"]);
    expect(clock.delays()).toEqual([]);
  });
});
