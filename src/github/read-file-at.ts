/** Reads one file's text at a commit through the contents API; undefined when it does not exist. */
import { httpStatus, type GitHubApi, type RepoRef } from "./github-api.ts";

export interface FileAt {
  readonly text: string;
  readonly blobSha: string;
}

export async function readFileAt(
  api: GitHubApi,
  repo: RepoRef,
  path: string,
  ref: string,
): Promise<FileAt | undefined> {
  try {
    const res = await api.rest.repos.getContent({ ...repo, path, ref });
    const data = res.data;
    if (Array.isArray(data) || data.type !== "file" || !("content" in data)) return undefined;
    return { text: Buffer.from(data.content, "base64").toString("utf8"), blobSha: data.sha };
  } catch (error) {
    if (httpStatus(error) === 404) return undefined;
    throw error;
  }
}
