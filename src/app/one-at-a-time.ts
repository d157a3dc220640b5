/**
 * One reconcile per PR at a time in one process. GitHub answers a webhook that takes longer than
 * about 9 s with 202 and the app goes on, so the next delivery for the same PR (a review, then
 * the merge) can start while the first still runs; both would then read the same state and write
 * the same steps twice (harmless, every write is idempotent, but twice the GitHub writes and a
 * comment written and deleted again). Calls with the same key run in order instead. A call that
 * has not finished after `patienceMs` stops holding the next one back: a hung request must not
 * stop every later webhook for that PR (replicas already run concurrently; correctness never
 * rests on this order).
 */
const queues = new WeakMap<object, Map<string, Promise<void>>>();

const PATIENCE_MS = 120_000;

function settledOrLate(previous: Promise<void>, patienceMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, patienceMs);
  });
  return Promise.race([previous, late]).finally(() => {
    clearTimeout(timer);
  });
}

/** Runs `fn` after every earlier call for `key` under the same `owner` has finished. */
export function oneAtATime<T>(
  owner: object,
  key: string,
  fn: () => Promise<T>,
  patienceMs = PATIENCE_MS,
): Promise<T> {
  let queue = queues.get(owner);
  if (queue === undefined) {
    queue = new Map();
    queues.set(owner, queue);
  }
  const previous = queue.get(key);
  const run = previous === undefined ? fn() : settledOrLate(previous, patienceMs).then(fn);
  const done = run.then(
    () => undefined,
    () => undefined,
  );
  queue.set(key, done);
  const q = queue;
  void done.then(() => {
    if (q.get(key) === done) q.delete(key);
  });
  return run;
}
