import type { ControllerWrites } from "../../src/controller/writes.ts";

/** Writes that work `count` times, then the process "dies": that write's effect stays, nothing after it runs. */
export function crashAfter(count: number, state: { crashed: boolean }) {
  return (writes: ControllerWrites): ControllerWrites => {
    let done = 0;
    const guard =
      <A extends unknown[], R>(write: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        if (state.crashed) throw new Error("the process is gone");
        const result = await write(...args);
        done += 1;
        if (done >= count) {
          state.crashed = true;
          throw new Error(`crash after write ${done}`);
        }
        return result;
      };
    return {
      createBranch: guard(writes.createBranch),
      createFile: guard(writes.createFile),
      ensureCheckRun: guard(writes.ensureCheckRun),
      createPull: guard(writes.createPull),
      addLabels: guard(writes.addLabels),
      addComment: guard(writes.addComment),
      closePull: guard(writes.closePull),
      denyCsr: guard(writes.denyCsr),
    };
  };
}
