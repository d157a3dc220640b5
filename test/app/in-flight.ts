/**
 * Knows when the app is idle. Probot's webhook middleware answers 202 "still processing" when a
 * handler runs longer than about 9 s (as GitHub's 10 s delivery timeout requires) and the handler
 * goes on; the simulator then counts the delivery as done. A test that asserts after delivering
 * must wait for the handlers themselves, or it reads the app half-way through a decision.
 */
import type { ApplicationFunction } from "probot";

export interface InFlight {
  /** The app function with every handler it registers counted while it runs. */
  readonly app: ApplicationFunction;
  /** Resolves once no handler is running. */
  idle(): Promise<void>;
}

export function trackInFlight(appFn: ApplicationFunction): InFlight {
  let running = 0;
  let waiters: (() => void)[] = [];
  const finished = () => {
    running--;
    if (running > 0) return;
    const wake = waiters;
    waiters = [];
    for (const w of wake) w();
  };
  const counted = (handler: (context: never) => unknown) => async (context: never) => {
    running++;
    try {
      await handler(context);
    } finally {
      finished();
    }
  };
  const app: ApplicationFunction = (probot, options) =>
    appFn(
      new Proxy(probot, {
        get(target, prop) {
          if (prop === "on")
            return (events: never, handler: (context: never) => unknown) => {
              target.on(events, counted(handler));
            };
          const value: unknown = Reflect.get(target, prop, target);
          return typeof value === "function" ? (value as () => unknown).bind(target) : value;
        },
      }),
      options,
    );
  return {
    app,
    idle: () =>
      running === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            waiters.push(resolve);
          }),
  };
}
