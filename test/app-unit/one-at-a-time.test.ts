import { describe, expect, it } from "vitest";
import { oneAtATime } from "../../src/app/one-at-a-time.ts";

function gate(): { open: () => void; opened: Promise<boolean> } {
  const { promise, resolve } = Promise.withResolvers<boolean>();
  return {
    open: () => {
      resolve(true);
    },
    opened: promise,
  };
}

describe("oneAtATime: one reconcile per PR at a time in one process", () => {
  it("runs calls with the same key in order, each after the previous has finished", async () => {
    const owner = {};
    const log: string[] = [];
    const first = gate();
    const a = oneAtATime(owner, "pr#1", async () => {
      log.push("a start");
      await first.opened;
      log.push("a end");
      return "a";
    });
    const b = oneAtATime(owner, "pr#1", () => {
      log.push("b start");
      return Promise.resolve("b");
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(log).toEqual(["a start"]);
    first.open();
    expect(await Promise.all([a, b])).toEqual(["a", "b"]);
    expect(log).toEqual(["a start", "a end", "b start"]);
  });

  it("runs different PRs, and the same PR under another owner (another replica), at once", async () => {
    const owner = {};
    const held = gate();
    const log: string[] = [];
    const a = oneAtATime(owner, "pr#1", async () => {
      await held.opened;
      log.push("pr#1");
    });
    await oneAtATime(owner, "pr#2", () => {
      log.push("pr#2");
      return Promise.resolve();
    });
    await oneAtATime({}, "pr#1", () => {
      log.push("other replica pr#1");
      return Promise.resolve();
    });
    expect(log).toEqual(["pr#2", "other replica pr#1"]);
    held.open();
    await a;
  });

  it("a failed call is reported to its caller and does not stop the next one", async () => {
    const owner = {};
    const failed = oneAtATime(owner, "pr#1", () => Promise.reject(new Error("GitHub said 502")));
    const next = oneAtATime(owner, "pr#1", () => Promise.resolve("ran"));
    await expect(failed).rejects.toThrow("GitHub said 502");
    expect(await next).toBe("ran");
  });

  it("a call that hangs holds the next one back only until the patience runs out", async () => {
    const owner = {};
    const never = Promise.withResolvers<never>().promise;
    void oneAtATime(owner, "pr#1", () => never, 30);
    const next = oneAtATime(owner, "pr#1", () => Promise.resolve("ran anyway"), 30);
    expect(await next).toBe("ran anyway");
  });
});
