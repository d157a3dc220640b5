import { readFileSync } from "node:fs";

/** The last `lines` lines of a log file, or a note when it cannot be read. */
export function logTail(path: string, lines = 30): string {
  try {
    const text = readFileSync(path, "utf8").trimEnd();
    return text.split("\n").slice(-lines).join("\n");
  } catch {
    return `(no log at ${path})`;
  }
}
