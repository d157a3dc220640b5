import { setTimeout as sleep } from "node:timers/promises";

/** Whether any process of the group led by `pid` is alive (signal 0 only checks). */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else; still alive.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ESRCH") throw err;
  }
}

async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!groupAlive(pid)) return true;
    await sleep(100);
  }
  return !groupAlive(pid);
}

/**
 * Stops the whole process group: SIGTERM first (the server shuts the apiserver down and removes
 * etcd's temp data), SIGKILL if it is still there after `graceMs`. Returns how it ended.
 */
export async function stopGroup(
  pid: number,
  graceMs = 20_000,
): Promise<"not running" | "terminated" | "killed"> {
  if (!groupAlive(pid)) return "not running";
  signalGroup(pid, "SIGTERM");
  if (await waitGone(pid, graceMs)) return "terminated";
  signalGroup(pid, "SIGKILL");
  if (await waitGone(pid, 5_000)) return "killed";
  throw new Error(`process group ${pid} survived SIGKILL`);
}
