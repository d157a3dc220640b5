/**
 * The one write a batch adds to `ControllerWrites`: a commit of several files (a tree with inline
 * contents, then a commit), not yet on any branch. Live, or logged in a dry run.
 */
import { commitFiles, type InlineFile } from "../github/git-data.ts";
import type { GitHub, RepoRef } from "../github/repo-ref.ts";
import type { ControllerEvents } from "./controller-events.ts";

export interface BatchCommitArgs {
  readonly baseCommit: string;
  readonly baseTree: string;
  readonly files: readonly InlineFile[];
  readonly message: string;
}

/** Makes the tree and the commit; answers the commit's SHA. */
export type BatchCommitWrite = (args: BatchCommitArgs) => Promise<string>;

export function liveBatchCommit(gh: GitHub, repo: RepoRef): BatchCommitWrite {
  return (args) => commitFiles(gh, repo, args);
}

export function dryRunBatchCommit(events: ControllerEvents): BatchCommitWrite {
  return (args) => {
    events.log("info", "dry run: would commit files", {
      dryRun: true,
      write: "commit files",
      files: args.files.map((f) => f.path),
      message: args.message,
    });
    events.count("dry_run_write", { write: "commit files" });
    return Promise.resolve("0".repeat(40));
  };
}
