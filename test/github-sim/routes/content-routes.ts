import { actorLogin } from "../auth.ts";
import type { GitIdentity } from "../git/git-repository.ts";
import { GitHubHttpError, notFound } from "../http-error.ts";
import { commitFiles } from "../ops/commit-files.ts";
import { gitCommit } from "../present/commit.ts";
import type { Urls } from "../present/urls.ts";
import type { Repo } from "../state/model.ts";
import { bodyObject, optString, reqString } from "./body.ts";
import { routeRepo } from "./route-repo.ts";
import { json, type Route, type RouteContext, type RouteRequest } from "./route.ts";

function contentFile(
  repo: Repo,
  path: string,
  sha: string,
  size: number,
  ref: string,
  urls: Urls,
): Record<string, unknown> {
  const enc = path.split("/").map(encodeURIComponent).join("/");
  const self = `${urls.api}/repos/${repo.owner}/${repo.name}/contents/${enc}?ref=${encodeURIComponent(ref)}`;
  const git = `${urls.api}/repos/${repo.owner}/${repo.name}/git/blobs/${sha}`;
  const html = `${urls.html}/${repo.owner}/${repo.name}/blob/${ref}/${enc}`;
  return {
    name: path.split("/").at(-1) ?? path,
    path,
    sha,
    size,
    url: self,
    html_url: html,
    git_url: git,
    download_url: `https://raw.githubusercontent.com/${repo.owner}/${repo.name}/${ref}/${enc}`,
    type: "file",
    _links: { self, git, html },
  };
}

/** Base64 as GitHub sends file content: wrapped at 60 characters. */
function wrapBase64(buf: Buffer): string {
  const b64 = buf.toString("base64");
  return `${b64.replace(/(.{60})/g, "$1\n")}\n`;
}

function decodeBase64(content: string): Buffer {
  const clean = content.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) {
    throw new GitHubHttpError(422, "content is not valid Base64");
  }
  return Buffer.from(clean, "base64");
}

function identity(
  body: Record<string, unknown>,
  field: string,
  nowMs: number,
): GitIdentity | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "object")
    throw new GitHubHttpError(422, `Invalid request.\n\n${field} is not an object.`);
  const o = v as Record<string, unknown>;
  const name = optString(o, "name");
  const email = optString(o, "email");
  if (name === undefined || email === undefined) {
    throw new GitHubHttpError(
      422,
      `Invalid request.\n\n"name" and "email" are required for ${field}.`,
    );
  }
  const date = optString(o, "date");
  return { name, email, dateMs: date === undefined ? nowMs : Date.parse(date) };
}

function target(
  ctx: RouteContext,
  req: RouteRequest,
  need: "read" | "write",
): { repo: Repo; path: string } {
  const repo = routeRepo(ctx, req, "contents", need);
  return { repo, path: (req.params.path ?? "").replace(/^\/+|\/+$/g, "") };
}

async function branchTip(repo: Repo, branch: string): Promise<string> {
  const tip = await repo.git.readRef(`refs/heads/${branch}`);
  if (tip === undefined) throw new GitHubHttpError(404, `Branch ${branch} not found`);
  return tip;
}

export const contentRoutes: readonly Route[] = [
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/contents/{path}",
    operationId: "repos/get-content",
    async handle(ctx, req) {
      const { repo, path } = target(ctx, req, "read");
      const ref = req.query.get("ref") ?? repo.defaultBranch;
      const sha = await repo.git.resolveCommit(ref);
      if (sha === undefined) throw new GitHubHttpError(404, `No commit found for the ref ${ref}`);
      const entry = await repo.git.entryAt(sha, path);
      if (entry === undefined) throw notFound();
      if (entry.type === "tree") {
        const entries = (await repo.git.listTree(`${sha}:${path}`)).filter(
          (e) => !e.path.includes("/"),
        );
        const list = [];
        for (const e of entries) {
          const size = (await repo.git.readBlob(e.sha)).length;
          list.push(contentFile(repo, `${path}/${e.path}`, e.sha, size, ref, ctx.urls));
        }
        return json(200, list);
      }
      const blob = await repo.git.readBlob(entry.sha);
      return json(200, {
        ...contentFile(repo, path, entry.sha, blob.length, ref, ctx.urls),
        content: wrapBase64(blob),
        encoding: "base64",
      });
    },
  },
  {
    method: "PUT",
    template: "/repos/{owner}/{repo}/contents/{path}",
    operationId: "repos/create-or-update-file-contents",
    async handle(ctx, req) {
      const { repo, path } = target(ctx, req, "write");
      const body = bodyObject(req.body);
      const message = reqString(body, "message");
      const content = decodeBase64(reqString(body, "content"));
      const sha = optString(body, "sha");
      const branch = optString(body, "branch") ?? repo.defaultBranch;
      const tip = await branchTip(repo, branch);
      const existing = await repo.git.entryAt(tip, path);
      if (existing?.type === "tree")
        throw new GitHubHttpError(422, `Invalid request.\n\n"${path}" is a directory.`);
      if (existing !== undefined && sha === undefined) {
        throw new GitHubHttpError(422, `Invalid request.\n\n"sha" wasn't supplied.`);
      }
      if (existing !== undefined && sha !== existing.sha) {
        throw new GitHubHttpError(409, `${path} does not match ${sha ?? ""}`);
      }
      const now = ctx.state.clock.now();
      const author = identity(body, "author", now);
      const committer = identity(body, "committer", now) ?? author;
      const pusher = actorLogin(ctx.state, req.actor);
      const result = await commitFiles(ctx, repo, {
        branch,
        message,
        edits: [{ path, content }],
        pusher,
        via: "api",
        // GitHub signs commits an app makes through the API when it names no author or committer.
        sign: req.actor.kind === "installation" && author === undefined && committer === undefined,
        expectedHead: tip,
        ...(author === undefined ? {} : { author }),
        ...(committer === undefined ? {} : { committer }),
      });
      const c = await repo.git.readCommit(result.sha);
      const blobEntry = await repo.git.entryAt(result.sha, path);
      if (c === undefined || blobEntry === undefined)
        throw new GitHubHttpError(500, "commit vanished");
      return json(existing === undefined ? 201 : 200, {
        content: contentFile(repo, path, blobEntry.sha, content.length, branch, ctx.urls),
        commit: gitCommit(ctx.state, repo, c, ctx.urls),
      });
    },
  },
  {
    method: "DELETE",
    template: "/repos/{owner}/{repo}/contents/{path}",
    operationId: "repos/delete-file",
    async handle(ctx, req) {
      const { repo, path } = target(ctx, req, "write");
      const body = bodyObject(req.body);
      const message = reqString(body, "message");
      const sha = reqString(body, "sha");
      const branch = optString(body, "branch") ?? repo.defaultBranch;
      const tip = await branchTip(repo, branch);
      const existing = await repo.git.entryAt(tip, path);
      if (existing?.type !== "blob") throw notFound();
      if (existing.sha !== sha) throw new GitHubHttpError(409, `${path} does not match ${sha}`);
      const now = ctx.state.clock.now();
      const author = identity(body, "author", now);
      const committer = identity(body, "committer", now) ?? author;
      const result = await commitFiles(ctx, repo, {
        branch,
        message,
        edits: [{ path, content: null }],
        pusher: actorLogin(ctx.state, req.actor),
        via: "api",
        // GitHub signs commits an app makes through the API when it names no author or committer.
        sign: req.actor.kind === "installation" && author === undefined && committer === undefined,
        expectedHead: tip,
        ...(author === undefined ? {} : { author }),
        ...(committer === undefined ? {} : { committer }),
      });
      const c = await repo.git.readCommit(result.sha);
      if (c === undefined) throw new GitHubHttpError(500, "commit vanished");
      return json(200, { content: null, commit: gitCommit(ctx.state, repo, c, ctx.urls) });
    },
  },
];
