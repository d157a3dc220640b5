import { actorLogin } from "../auth.ts";
import { GitHubHttpError, notFound } from "../http-error.ts";
import { afterPush } from "../ops/after-push.ts";
import { directPushRefusal, PROTECTED_DOCS } from "../ops/protection-rules.ts";
import { gitCommit } from "../present/commit.ts";
import type { Repo } from "../state/model.ts";
import { bodyObject, optBoolean, reqString } from "./body.ts";
import { gitRef } from "./git-ref.ts";
import { routeRepo } from "./route-repo.ts";
import { json, type Route, type RouteContext, type RouteRequest } from "./route.ts";

function repoOf(ctx: RouteContext, req: RouteRequest, need: "read" | "write"): Repo {
  return routeRepo(ctx, req, "contents", need);
}

const SHA = /^[0-9a-f]{40}$/;
const ZERO = "0".repeat(40);

export const gitRoutes: readonly Route[] = [
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/git/ref/{ref}",
    operationId: "git/get-ref",
    async handle(ctx, req) {
      const repo = repoOf(ctx, req, "read");
      const ref = `refs/${req.params.ref ?? ""}`;
      const found = (await repo.git.listRefs(ref)).find((r) => r.ref === ref);
      if (found === undefined) throw notFound();
      return json(200, gitRef(repo, found.ref, found.sha, ctx.urls));
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/git/matching-refs/{ref}",
    operationId: "git/list-matching-refs",
    async handle(ctx, req) {
      const repo = repoOf(ctx, req, "read");
      const prefix = `refs/${req.params.ref ?? ""}`;
      const refs = (await repo.git.listRefs("refs/")).filter((r) => r.ref.startsWith(prefix));
      return json(
        200,
        refs.map((r) => gitRef(repo, r.ref, r.sha, ctx.urls)),
      );
    },
  },
  {
    method: "POST",
    template: "/repos/{owner}/{repo}/git/refs",
    operationId: "git/create-ref",
    async handle(ctx, req) {
      const repo = repoOf(ctx, req, "write");
      const body = bodyObject(req.body);
      const ref = reqString(body, "ref");
      const sha = reqString(body, "sha");
      if (
        !/^refs\/[^/]+\/.+/.test(ref) ||
        ref.includes("..") ||
        ref.endsWith("/") ||
        /[\s~^:?*[\\]/.test(ref)
      ) {
        throw new GitHubHttpError(422, "Reference name is not valid");
      }
      if (!SHA.test(sha) || (await repo.git.readCommit(sha)) === undefined) {
        throw new GitHubHttpError(422, "Object does not exist");
      }
      if (!(await repo.git.updateRef(ref, sha, ZERO)))
        throw new GitHubHttpError(422, "Reference already exists");
      if (ref.startsWith("refs/heads/")) {
        await afterPush(
          ctx,
          repo,
          ref.slice("refs/heads/".length),
          ZERO,
          sha,
          actorLogin(ctx.state, req.actor),
        );
      }
      const body201 = gitRef(repo, ref, sha, ctx.urls);
      return json(201, body201, { location: String(body201.url) });
    },
  },
  {
    method: "PATCH",
    template: "/repos/{owner}/{repo}/git/refs/{ref}",
    operationId: "git/update-ref",
    async handle(ctx, req) {
      const repo = repoOf(ctx, req, "write");
      const body = bodyObject(req.body);
      const sha = reqString(body, "sha");
      const force = optBoolean(body, "force") ?? false;
      const ref = `refs/${req.params.ref ?? ""}`;
      const current = (await repo.git.listRefs(ref)).find((r) => r.ref === ref);
      if (current === undefined) throw new GitHubHttpError(422, "Reference does not exist");
      if (!SHA.test(sha) || (await repo.git.readCommit(sha)) === undefined) {
        throw new GitHubHttpError(422, "Object does not exist");
      }
      if (!force && !(await repo.git.isAncestor(current.sha, sha))) {
        throw new GitHubHttpError(422, "Update is not a fast forward");
      }
      if (ref.startsWith("refs/heads/")) {
        const refusal = directPushRefusal(
          ctx.state,
          repo,
          ref.slice("refs/heads/".length),
          actorLogin(ctx.state, req.actor),
          sha,
        );
        if (refusal !== undefined)
          throw new GitHubHttpError(422, refusal, { documentationUrl: PROTECTED_DOCS });
      }
      if (!(await repo.git.updateRef(ref, sha, current.sha))) {
        throw new GitHubHttpError(409, "Reference cannot be updated");
      }
      if (ref.startsWith("refs/heads/")) {
        await afterPush(
          ctx,
          repo,
          ref.slice("refs/heads/".length),
          current.sha,
          sha,
          actorLogin(ctx.state, req.actor),
        );
      }
      return json(200, gitRef(repo, ref, sha, ctx.urls));
    },
  },
  {
    method: "DELETE",
    template: "/repos/{owner}/{repo}/git/refs/{ref}",
    operationId: "git/delete-ref",
    async handle(ctx, req) {
      const repo = repoOf(ctx, req, "write");
      const ref = `refs/${req.params.ref ?? ""}`;
      const current = (await repo.git.listRefs(ref)).find((r) => r.ref === ref);
      if (current === undefined) throw new GitHubHttpError(422, "Reference does not exist");
      await repo.git.deleteRef(ref);
      return { status: 204 };
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/git/commits/{commit_sha}",
    operationId: "git/get-commit",
    async handle(ctx, req) {
      const repo = repoOf(ctx, req, "read");
      const sha = req.params.commit_sha ?? "";
      const c = SHA.test(sha) ? await repo.git.readCommit(sha) : undefined;
      if (c === undefined) throw notFound();
      return json(200, gitCommit(ctx.state, repo, c, ctx.urls));
    },
  },
];
