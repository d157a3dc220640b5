import { actorLogin } from "../auth.ts";
import type { GitIdentity, TreeEdit } from "../git/git-repository.ts";
import { GitHubHttpError, notFound } from "../http-error.ts";
import { gitCommit } from "../present/commit.ts";
import type { Repo } from "../state/model.ts";
import { bodyObject, optString, reqString } from "./body.ts";
import { routeRepo } from "./route-repo.ts";
import { json, type Route, type RouteContext, type RouteRequest } from "./route.ts";

const SHA = /^[0-9a-f]{40}$/;

function repoOf(ctx: RouteContext, req: RouteRequest, need: "read" | "write"): Repo {
  return routeRepo(ctx, req, "contents", need);
}

async function treeBody(ctx: RouteContext, repo: Repo, sha: string, recursive: boolean) {
  const base = `${ctx.urls.api}/repos/${repo.owner}/${repo.name}/git`;
  const entries = await repo.git.listTree(sha, recursive);
  const tree = [];
  for (const e of entries) {
    const kind = e.type === "tree" ? "trees" : "blobs";
    tree.push({
      path: e.path,
      mode: e.mode,
      type: e.type,
      sha: e.sha,
      ...(e.type === "blob" ? { size: await repo.git.blobSize(e.sha) } : {}),
      url: `${base}/${kind}/${e.sha}`,
    });
  }
  return { sha, url: `${base}/trees/${sha}`, tree, truncated: false };
}

function identity(v: unknown, nowMs: number): GitIdentity | undefined {
  if (v === undefined || v === null || typeof v !== "object") return undefined;
  const o = v as Record<string, unknown>;
  const name = optString(o, "name");
  const email = optString(o, "email");
  if (name === undefined || email === undefined) return undefined;
  const date = optString(o, "date");
  return { name, email, dateMs: date === undefined ? nowMs : Date.parse(date) };
}

/** The git database (docs: REST "Git blobs", "Git trees", "Git commits"): what an app uses to build a commit itself. */
export const gitDataRoutes: readonly Route[] = [
  {
    method: "POST",
    template: "/repos/{owner}/{repo}/git/blobs",
    operationId: "git/create-blob",
    async handle(ctx, req) {
      const repo = repoOf(ctx, req, "write");
      const body = bodyObject(req.body);
      const content = reqString(body, "content");
      const encoding = optString(body, "encoding") ?? "utf-8";
      const buf = Buffer.from(content, encoding === "base64" ? "base64" : "utf8");
      const sha = await repo.git.writeBlob(buf);
      const url = `${ctx.urls.api}/repos/${repo.owner}/${repo.name}/git/blobs/${sha}`;
      return json(201, { url, sha }, { location: url });
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/git/trees/{tree_sha}",
    operationId: "git/get-tree",
    async handle(ctx, req) {
      const repo = repoOf(ctx, req, "read");
      const sha = await repo.git.resolveCommit(req.params.tree_sha ?? "");
      const treeSha =
        sha === undefined
          ? (await repo.git.objectType(req.params.tree_sha ?? "")) === "tree"
            ? (req.params.tree_sha ?? "")
            : undefined
          : (await repo.git.readCommit(sha))?.tree;
      if (treeSha === undefined) throw notFound();
      const recursive = (req.query.get("recursive") ?? "") !== "";
      return json(200, await treeBody(ctx, repo, treeSha, recursive));
    },
  },
  {
    method: "POST",
    template: "/repos/{owner}/{repo}/git/trees",
    operationId: "git/create-tree",
    async handle(ctx, req) {
      const repo = repoOf(ctx, req, "write");
      const body = bodyObject(req.body);
      const baseTree = optString(body, "base_tree");
      if (baseTree !== undefined && (await repo.git.objectType(baseTree)) !== "tree") {
        throw new GitHubHttpError(422, "Invalid tree info");
      }
      const items = (body.tree ?? []) as {
        path: string;
        mode: string;
        type: string;
        sha?: string | null;
        content?: string;
      }[];
      const edits: TreeEdit[] = [];
      for (const item of items) {
        if (item.type !== "blob" || (item.mode !== "100644" && item.mode !== "100755")) {
          // Submodules, symlinks and subtrees by sha are not simulated.
          throw new GitHubHttpError(422, "Invalid tree info");
        }
        let blobSha: string | undefined;
        if (item.content !== undefined) {
          blobSha = await repo.git.writeBlob(Buffer.from(item.content, "utf8"));
        } else if (item.sha !== null && item.sha !== undefined) {
          if ((await repo.git.objectType(item.sha)) !== "blob") {
            throw new GitHubHttpError(422, "Invalid tree info");
          }
          blobSha = item.sha;
        }
        edits.push({ path: item.path, blobSha, mode: item.mode });
      }
      const sha = await repo.git.editTree(baseTree, edits);
      const out = await treeBody(ctx, repo, sha, false);
      return json(201, out, { location: out.url });
    },
  },
  {
    method: "POST",
    template: "/repos/{owner}/{repo}/git/commits",
    operationId: "git/create-commit",
    async handle(ctx, req) {
      const repo = repoOf(ctx, req, "write");
      const body = bodyObject(req.body);
      const message = reqString(body, "message");
      const tree = reqString(body, "tree");
      if (!SHA.test(tree) || (await repo.git.objectType(tree)) !== "tree") {
        throw new GitHubHttpError(422, "Tree SHA does not exist");
      }
      const parents = (body.parents ?? []) as string[];
      for (const p of parents) {
        if (!SHA.test(p) || (await repo.git.readCommit(p)) === undefined) {
          throw new GitHubHttpError(422, "Parent SHA does not exist or is not a commit object");
        }
      }
      const now = ctx.state.clock.now();
      const author = identity(body.author, now);
      const committer = identity(body.committer, now) ?? author;
      const who = ctx.state.identityOf(actorLogin(ctx.state, req.actor));
      // Docs ("Signature verification for bots"): GitHub signs an app's API commit that names no
      // author, committer or signature.
      const sign =
        req.actor.kind === "installation" &&
        author === undefined &&
        committer === undefined &&
        body.signature === undefined;
      const sha = await repo.git.commitTree({
        tree,
        parents,
        message,
        author: author ?? who,
        committer: committer ?? who,
        ...(sign ? { signingKeyPath: ctx.state.webFlowKey.privateKeyPath } : {}),
      });
      if (sign) repo.verifiedCommits.add(sha);
      const c = await repo.git.readCommit(sha);
      if (c === undefined) throw new GitHubHttpError(500, "commit vanished");
      const out = gitCommit(ctx.state, repo, c, ctx.urls);
      return json(201, out, { location: String(out.url) });
    },
  },
];
