/**
 * CODEOWNERS as it stood at each commit, without a process per commit: walking the history parents
 * first, each commit inherits its first parent's CODEOWNERS blobs and applies its own changes to
 * them. Commits that do not touch CODEOWNERS share their parent's state object.
 */
import {
  CODEOWNERS_PATHS,
  findCodeowners,
  ownersOf,
  parseCodeowners,
  type CodeownersRule,
} from "../core/github/codeowners.ts";
import type { HistoryCommit } from "./history.ts";

type State = ReadonlyMap<string, string>;
const EMPTY: State = new Map();
const PATHS = new Set<string>(CODEOWNERS_PATHS);

export class CodeownersHistory {
  private readonly states = new Map<string, State>();
  private readonly parsed = new Map<string, CodeownersRule[]>();
  private readonly blobs: ReadonlyMap<string, string>;

  constructor(blobs: ReadonlyMap<string, string>) {
    this.blobs = blobs;
  }

  /** Call for each commit, parents before children. */
  add(commit: HistoryCommit): void {
    const base = this.states.get(commit.parents[0] ?? "") ?? EMPTY;
    const changes = commit.changes.filter((c) => PATHS.has(c.path));
    if (changes.length === 0) {
      this.states.set(commit.sha, base);
      return;
    }
    const next = new Map(base);
    for (const change of changes) {
      if (change.newBlob === undefined) next.delete(change.path);
      else next.set(change.path, change.newBlob);
    }
    this.states.set(commit.sha, next);
  }

  /**
   * The owners of `path` under the CODEOWNERS GitHub would use at `commit`; undefined when the
   * commit is unknown, `[]` when nobody owns the path.
   */
  ownersAt(commit: string, path: string): string[] | undefined {
    const state = this.states.get(commit);
    if (state === undefined) return undefined;
    const found = findCodeowners((p) => {
      const blob = state.get(p);
      return blob === undefined ? undefined : (this.blobs.get(blob) ?? "");
    });
    if (found === undefined) return [];
    const key = state.get(found.path) ?? "";
    let rules = this.parsed.get(key);
    if (rules === undefined) {
      rules = parseCodeowners(found.text).rules;
      this.parsed.set(key, rules);
    }
    return ownersOf(rules, path) ?? [];
  }
}
