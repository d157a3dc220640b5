/**
 * Parses `git log --format=%H %P --raw --no-abbrev -z --diff-merges=first-parent` output: one
 * header per commit (its SHA and parents), then its raw diff entries against the first parent.
 * Only hexadecimal goes into the header, so nothing a committer writes can forge the framing.
 */
import type { FileChange } from "../history.ts";

export interface LogEntry {
  readonly sha: string;
  readonly parents: readonly string[];
  readonly changes: readonly FileChange[];
}

export const LOG_FORMAT = "%H %P";

const HEADER = /^([0-9a-f]{40}|[0-9a-f]{64})((?: [0-9a-f]{40}| [0-9a-f]{64})*) ?$/;
const RAW = /^:\d{6} \d{6} ([0-9a-f]+) ([0-9a-f]+) ([AMDTCRUX])\d*$/;

function blob(sha: string): string | undefined {
  return /^0+$/.test(sha) ? undefined : sha;
}

export function parseLog(
  out: string,
): { ok: true; entries: LogEntry[] } | { ok: false; message: string } {
  const tokens = out.split("\0");
  const entries: { sha: string; parents: string[]; changes: FileChange[] }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = (tokens[i] ?? "").replace(/^\n/, "");
    if (token === "") continue;
    if (token.startsWith(":")) {
      const raw = RAW.exec(token);
      const current = entries.at(-1);
      const path = tokens[i + 1];
      if (raw === null || current === undefined || path === undefined)
        return { ok: false, message: `unexpected git log entry ${JSON.stringify(token)}` };
      i++;
      const status = raw[3];
      if (status !== "A" && status !== "M" && status !== "D" && status !== "T")
        return { ok: false, message: `unexpected change status ${status ?? ""} for ${path}` };
      current.changes.push({
        status,
        path,
        oldBlob: blob(raw[1] ?? ""),
        newBlob: blob(raw[2] ?? ""),
      });
      continue;
    }
    const header = HEADER.exec(token);
    if (header === null)
      return { ok: false, message: `unexpected git log header ${JSON.stringify(token)}` };
    const parents = (header[2] ?? "").split(" ").filter((p) => p !== "");
    entries.push({ sha: header[1] ?? "", parents, changes: [] });
  }
  return { ok: true, entries };
}
