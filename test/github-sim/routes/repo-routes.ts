import {
  parseCodeowners,
  unknownOwnerErrors,
  type CodeownersError,
  type Owner,
} from "../../../src/core/github/codeowners.ts";
import { routeRepo } from "./route-repo.ts";
import { GitHubHttpError } from "../http-error.ts";
import { codeownersAt } from "../ops/merge-blockers.ts";
import { protectionBody } from "../present/branch-protection.ts";
import { repository } from "../present/repository.ts";
import { simpleUser } from "../present/user.ts";
import type { BranchProtection, Repo } from "../state/model.ts";
import { atLeast, type SimState } from "../state/sim-state.ts";
import { bodyObject } from "./body.ts";
import type { ActorList } from "../seed/seed-schema.ts";
import { json, type Route } from "./route.ts";

/** Can GitHub use this owner: an existing user with write access, or an existing team of the repo's org? */
function ownerUsable(state: SimState, repo: Repo, owner: Owner): boolean {
  switch (owner.kind) {
    case "user":
      return (
        state.findAccount(owner.login) !== undefined &&
        atLeast(state.permissionOf(repo, owner.login), "write")
      );
    case "team": {
      // The team must exist in the repository's org and itself have write access.
      const team = state.teams.get(`${owner.org}/${owner.slug}`.toLowerCase());
      if (team?.org.toLowerCase() !== repo.owner.toLowerCase()) return false;
      return atLeast(state.teamPermission(repo, team), "write");
    }
    case "email":
      return true;
  }
}

/**
 * A CODEOWNERS error as GitHub words it (seen in its answers): `source` keeps the line's newline,
 * and an unknown owner's suggestion says what GitHub checked, e.g. "make sure @x exists and has
 * write access to the repository" or, for a team, "make sure the team @o/t exists, is publicly
 * visible, and has write access to the repository".
 */
function inGitHubWords(e: CodeownersError): CodeownersError {
  let suggestion = e.suggestion;
  if (e.kind === "Unknown owner") {
    const token = /^\S+/.exec(e.source.slice(e.column - 1))?.[0] ?? "";
    suggestion = token.includes("/")
      ? `make sure the team ${token} exists, is publicly visible, and has write access to the repository`
      : `make sure ${token} exists and has write access to the repository`;
  }
  const caret = `${" ".repeat(e.column - 1)}^`;
  const message = `${e.kind} on line ${e.line}:${suggestion === undefined ? "" : ` ${suggestion}`}\n\n  ${e.source}\n  ${caret}`;
  return {
    ...e,
    source: `${e.source}\n`,
    ...(suggestion === undefined ? {} : { suggestion }),
    message,
  };
}

interface ActorsBody {
  users?: string[];
  teams?: string[];
  apps?: string[];
}

function actorList(b: ActorsBody | undefined): ActorList {
  return { users: b?.users ?? [], teams: b?.teams ?? [], apps: b?.apps ?? [] };
}

/**
 * A PUT .../protection body as GitHub reads it (docs: "Update branch protection"): a `null`
 * section turns that rule off; `enforce_admins: false` (or null) lets admins bypass. The
 * rulesets-style `bypass_actors`, which this endpoint cannot express, is kept.
 */
function protectionFromRequest(
  body: Record<string, unknown>,
  before: BranchProtection | undefined,
): BranchProtection {
  const checks = body.required_status_checks as {
    strict?: boolean;
    contexts?: string[];
    checks?: { context: string }[];
  } | null;
  const reviews = body.required_pull_request_reviews as {
    dismissal_restrictions?: ActorsBody;
    dismiss_stale_reviews?: boolean;
    require_code_owner_reviews?: boolean;
    required_approving_review_count?: number;
    require_last_push_approval?: boolean;
    bypass_pull_request_allowances?: ActorsBody;
  } | null;
  const dismissal = reviews?.dismissal_restrictions;
  const restricted =
    dismissal !== undefined &&
    (dismissal.users?.length ?? 0) +
      (dismissal.teams?.length ?? 0) +
      (dismissal.apps?.length ?? 0) >
      0;
  return {
    required_status_checks:
      checks === null
        ? []
        : [...(checks.contexts ?? []), ...(checks.checks ?? []).map((c) => c.context)],
    strict_status_checks: checks?.strict ?? false,
    require_pull_request: reviews !== null,
    required_approving_review_count: reviews?.required_approving_review_count ?? 0,
    require_code_owner_reviews: reviews?.require_code_owner_reviews ?? false,
    dismiss_stale_reviews: reviews?.dismiss_stale_reviews ?? false,
    require_last_push_approval: reviews?.require_last_push_approval ?? false,
    ...(restricted ? { dismissal_restrictions: actorList(dismissal) } : {}),
    bypass_pull_request_allowances: actorList(reviews?.bypass_pull_request_allowances),
    enforce_admins: body.enforce_admins === true,
    bypass_actors: before?.bypass_actors ?? { users: [], teams: [], apps: [] },
  };
}

export const repoRoutes: readonly Route[] = [
  {
    method: "GET",
    template: "/repos/{owner}/{repo}",
    operationId: "repos/get",
    handle(ctx, req) {
      const repo = routeRepo(ctx, req, "metadata", "read");
      return Promise.resolve(json(200, repository(ctx.state, repo, ctx.urls, true)));
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/collaborators/{username}/permission",
    operationId: "repos/get-collaborator-permission-level",
    handle(ctx, req) {
      const repo = routeRepo(ctx, req, "metadata", "read");
      const user = ctx.state.findAccount(req.params.username ?? "");
      if (user === undefined || user.type === "Organization") {
        throw new GitHubHttpError(404, `${req.params.username ?? ""} is not a user`);
      }
      const role = ctx.state.permissionOf(repo, user.login);
      // The legacy `permission` field folds maintain into write and triage into read.
      const permission =
        role === undefined
          ? "none"
          : role === "maintain"
            ? "write"
            : role === "triage"
              ? "read"
              : role;
      return Promise.resolve(
        json(200, {
          permission,
          role_name: role ?? "none",
          user: { ...simpleUser(user, ctx.urls), role_name: role ?? "none" },
        }),
      );
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/codeowners/errors",
    operationId: "repos/codeowners-errors",
    async handle(ctx, req) {
      const repo = routeRepo(ctx, req, "metadata", "read");
      const ref = req.query.get("ref") ?? repo.defaultBranch;
      const sha = await repo.git.resolveCommit(ref);
      if (sha === undefined) throw new GitHubHttpError(404, "Not Found");
      const file = await codeownersAt(repo, sha);
      if (file === undefined) throw new GitHubHttpError(404, "Not Found");
      const errors = [
        ...parseCodeowners(file.text).errors,
        ...unknownOwnerErrors(file.text, (o) => ownerUsable(ctx.state, repo, o)),
      ]
        .sort((a, b) => a.line - b.line || a.column - b.column)
        .map((e) => ({ ...inGitHubWords(e), path: file.path }));
      return json(200, { errors });
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/branches/{branch}/protection",
    operationId: "repos/get-branch-protection",
    handle(ctx, req) {
      const repo = routeRepo(ctx, req, "administration", "read");
      const branch = req.params.branch ?? "";
      const p = repo.protection.get(branch);
      if (p === undefined) throw new GitHubHttpError(404, "Branch not protected");
      return Promise.resolve(json(200, protectionBody(ctx.state, ctx.urls, repo, branch, p)));
    },
  },
  {
    method: "PUT",
    template: "/repos/{owner}/{repo}/branches/{branch}/protection",
    operationId: "repos/update-branch-protection",
    async handle(ctx, req) {
      const repo = routeRepo(ctx, req, "administration", "write");
      const branch = req.params.branch ?? "";
      if ((await repo.git.readRef(`refs/heads/${branch}`)) === undefined) {
        throw new GitHubHttpError(404, "Branch not found");
      }
      const p = protectionFromRequest(bodyObject(req.body), repo.protection.get(branch));
      repo.protection.set(branch, p);
      return json(200, protectionBody(ctx.state, ctx.urls, repo, branch, p));
    },
  },
];
