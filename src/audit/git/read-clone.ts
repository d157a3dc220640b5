/**
 * Reads the audit repository's history from a local clone in three git processes however long the
 * history: one `git log` pass for every commit's parents and changes, then one `git cat-file
 * --batch` for the record, receipt and CODEOWNERS blobs (handed to `onBlobs` at once, so parsing
 * can start) and one for the commit objects (identities, messages, signatures). Signatures are checked in-process (ssh-signature.ts).
 */
import type { AuditHistory, FileChange, HistoryCommit } from "../history.ts";
import { wantsBlob } from "../history.ts";
import { LOG_FORMAT, parseLog } from "./parse-log.ts";
import { parseRawCommit } from "./raw-commit.ts";
import { readObjects, runGit } from "./run-git.ts";
import { checkCommitSignature, type TrustedKey } from "./ssh-signature.ts";

export interface CloneOptions {
  readonly path: string;
  /** The default branch (or any commit-ish); default HEAD. */
  readonly ref: string;
  /** Keys trusted to sign the app's commits; undefined: signatures are not checked. */
  readonly trustedKeys: readonly TrustedKey[] | undefined;
  /**
   * Called once the blobs are read, before the commit objects are: every commit's changes (parents
   * first) and the blobs by SHA, so that parsing can start while the commits are read
   * (parse-pool.ts `blobsRead`).
   */
  readonly onBlobs?:
    | ((
        commits: readonly { readonly changes: readonly FileChange[] }[],
        blobs: ReadonlyMap<string, string>,
      ) => void)
    | undefined;
}

export type ReadResult = { ok: true; history: AuditHistory } | { ok: false; message: string };

export async function readClone(options: CloneOptions): Promise<ReadResult> {
  if (options.ref.startsWith("-")) return { ok: false, message: `invalid ref ${options.ref}` };
  let head: string;
  try {
    head = (
      await runGit(options.path, ["rev-parse", "--verify", "--quiet", `${options.ref}^{commit}`])
    )
      .toString("latin1")
      .trim();
  } catch {
    return {
      ok: false,
      message: `${options.path}: not a git repository, or it has no commit at ${options.ref}`,
    };
  }
  let out: Buffer;
  try {
    out = await runGit(options.path, [
      "log",
      head,
      "--topo-order",
      "--reverse",
      "--diff-merges=first-parent",
      "--raw",
      "--no-abbrev",
      "--no-renames",
      "-z",
      `--format=${LOG_FORMAT}`,
    ]);
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  const log = parseLog(out.toString("utf8"));
  if (!log.ok) return log;

  const blobShas = new Set<string>();
  for (const entry of log.entries)
    for (const change of entry.changes)
      if (change.newBlob !== undefined && wantsBlob(change.path)) blobShas.add(change.newBlob);
  const blobObjects = await readObjects(options.path, [...blobShas]);
  const blobs = new Map<string, string>();
  for (const sha of blobShas) {
    const object = blobObjects.get(sha);
    if (object?.type === "blob") blobs.set(sha, object.content.toString("utf8"));
  }
  options.onBlobs?.(log.entries, blobs);
  const objects = await readObjects(
    options.path,
    log.entries.map((e) => e.sha),
  );

  const firstParent = new Set<string>();
  const bySha = new Map(log.entries.map((e) => [e.sha, e]));
  for (let at = bySha.get(head); at !== undefined; at = bySha.get(at.parents[0] ?? "")) {
    if (firstParent.has(at.sha)) break;
    firstParent.add(at.sha);
  }

  const commits: HistoryCommit[] = [];
  for (const entry of log.entries) {
    const object = objects.get(entry.sha);
    const raw = object?.type === "commit" ? parseRawCommit(object.content) : undefined;
    if (raw === undefined) return { ok: false, message: `commit ${entry.sha} cannot be read` };
    const touchesCsr = entry.changes.some((c) => c.path.startsWith("clusters/"));
    commits.push({
      sha: entry.sha,
      parents: entry.parents,
      author: raw.author,
      committer: raw.committer,
      message: raw.message,
      changes: entry.changes,
      signature: touchesCsr
        ? checkCommitSignature(raw.signature, raw.signedPayload, options.trustedKeys)
        : { kind: "unchecked", reason: "touches no CSR file" },
      firstParent: firstParent.has(entry.sha),
    });
  }
  return {
    ok: true,
    history: { source: options.path, ref: options.ref, head, commits, blobs },
  };
}
