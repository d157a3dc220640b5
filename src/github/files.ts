import { isNotFound, isUnprocessable } from "./request-errors.ts";
import type { GitHub, RepoRef } from "./repo-ref.ts";

export interface RepoFile {
  readonly text: string;
  /** The git blob SHA. */
  readonly sha: string;
}

/** A file's text and blob SHA at `ref`, or undefined when it does not exist there. */
export async function readFile(
  gh: GitHub,
  repo: RepoRef,
  path: string,
  ref: string,
): Promise<RepoFile | undefined> {
  try {
    const res = await gh.rest.repos.getContent({ ...repo, path, ref });
    const data = res.data;
    if (Array.isArray(data) || data.type !== "file" || !("content" in data)) {
      throw new Error(`${path} at ${ref} is not a file`);
    }
    return { text: Buffer.from(data.content, "base64").toString("utf8"), sha: data.sha };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export type PutFileResult =
  | { readonly kind: "created"; readonly blobSha: string; readonly commitSha: string }
  /** The file already exists on the branch (an earlier attempt or another replica wrote it). */
  | { readonly kind: "exists" };

/**
 * Adds a new file on `branch` in one commit made by the app (through the API, so GitHub signs it).
 * Never overwrites: without a `sha` GitHub refuses to replace an existing file, which this reports
 * as "exists".
 */
export async function createFile(
  gh: GitHub,
  repo: RepoRef,
  args: { path: string; branch: string; message: string; text: string },
): Promise<PutFileResult> {
  try {
    const res = await gh.rest.repos.createOrUpdateFileContents({
      ...repo,
      path: args.path,
      branch: args.branch,
      message: args.message,
      content: Buffer.from(args.text, "utf8").toString("base64"),
    });
    const blobSha = res.data.content?.sha;
    const commitSha = res.data.commit.sha;
    if (blobSha === undefined || commitSha === undefined) {
      throw new Error(`GitHub did not return the blob and commit of ${args.path}`);
    }
    return { kind: "created", blobSha, commitSha };
  } catch (error) {
    if (isUnprocessable(error, `"sha" wasn't supplied`)) return { kind: "exists" };
    throw error;
  }
}

/**
 * GitHub's contents API lists at most this many entries of a directory; a listing this long may be
 * cut short, so it cannot prove a file absent.
 */
export const DIRECTORY_LISTING_LIMIT = 1000;

/**
 * The paths of the entries directly in `dir` at `ref` (one request): an empty set when `dir` does
 * not exist there, undefined when the listing may be incomplete (the caller then reads each path).
 */
export async function listDirectory(
  gh: GitHub,
  repo: RepoRef,
  dir: string,
  ref: string,
): Promise<ReadonlySet<string> | undefined> {
  try {
    const res = await gh.rest.repos.getContent({ ...repo, path: dir, ref });
    // A file where the directory should be: nothing is under it.
    if (!Array.isArray(res.data)) return new Set();
    if (res.data.length >= DIRECTORY_LISTING_LIMIT) return undefined;
    return new Set(res.data.map((entry) => entry.path));
  } catch (error) {
    if (isNotFound(error)) return new Set();
    throw error;
  }
}
