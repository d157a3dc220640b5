import { CODEOWNERS_PATHS } from "../../src/core/github/codeowners.ts";
import { commitFiles } from "./ops/commit-files.ts";
import { mergePull, type MergeMethod } from "./ops/merge-pull.ts";
import { findPull, openPull, setPullState } from "./ops/pull-ops.ts";
import { dismissReview, submitReview, type ReviewEvent } from "./ops/review-ops.ts";
import type { SimContext } from "./ops/sim-context.ts";
import { afterPush } from "./ops/after-push.ts";
import { pullRequestEvent } from "./events/payloads.ts";
import type { Mutex } from "./mutex.ts";
import type { BranchProtection, Permission } from "./state/model.ts";
import { protectionSchema } from "./seed/seed-schema.ts";
import type { z } from "zod";
import { GitHubHttpError } from "./http-error.ts";

export interface RepoRef {
  readonly owner: string;
  readonly repo: string;
}

/**
 * What people do on github.com, for tests: review, push, merge, close, edit CODEOWNERS, manage
 * teams and protection. Each runs under the same lock as REST requests and has the same effects
 * (webhooks, dismissals of stale reviews).
 */
export class SimActions {
  private readonly ctx: SimContext;
  private readonly mutex: Mutex;

  constructor(ctx: SimContext, mutex: Mutex) {
    this.ctx = ctx;
    this.mutex = mutex;
  }

  private repo(r: RepoRef): ReturnType<SimContext["state"]["repo"]> {
    return this.ctx.state.repo(r.owner, r.repo);
  }

  /** Submits a review as `user` (APPROVE, REQUEST_CHANGES, COMMENT); returns the review id. */
  review(
    r: RepoRef,
    pull: number,
    user: string,
    event: ReviewEvent,
    opts: { body?: string; commitId?: string } = {},
  ): Promise<number> {
    return this.mutex.run(async () => {
      const repo = this.repo(r);
      const review = await submitReview(this.ctx, repo, findPull(repo, pull), {
        reviewer: user,
        event,
        body: opts.body ?? (event === "APPROVE" ? "" : `${event} by ${user}`),
        commitId: opts.commitId,
      });
      return review.id;
    });
  }

  dismissReview(r: RepoRef, pull: number, reviewId: number, user: string): Promise<void> {
    return this.mutex.run(async () => {
      const repo = this.repo(r);
      await dismissReview(this.ctx, repo, findPull(repo, pull), reviewId, user);
    });
  }

  /** Pushes one commit to a branch as `user`: files to write (text) or delete (null). Returns the new sha. */
  push(
    r: RepoRef,
    branch: string,
    user: string,
    files: Readonly<Record<string, string | null>>,
    message = "Update files",
  ): Promise<string> {
    return this.mutex.run(async () => {
      const result = await commitFiles(this.ctx, this.repo(r), {
        branch,
        message,
        pusher: user,
        via: "git",
        edits: Object.entries(files).map(([path, content]) => ({
          path,
          content: content === null ? null : Buffer.from(content, "utf8"),
        })),
      });
      return result.sha;
    });
  }

  /** Creates a branch at another branch's tip (or a sha), as a push by `user`. */
  createBranch(r: RepoRef, branch: string, from: string, user: string): Promise<string> {
    return this.mutex.run(async () => {
      const repo = this.repo(r);
      const sha = await repo.git.resolveCommit(from);
      if (sha === undefined) throw new GitHubHttpError(422, "Object does not exist");
      if (!(await repo.git.updateRef(`refs/heads/${branch}`, sha, "0".repeat(40)))) {
        throw new GitHubHttpError(422, "Reference already exists");
      }
      await afterPush(this.ctx, repo, branch, "0".repeat(40), sha, user);
      return sha;
    });
  }

  openPull(
    r: RepoRef,
    user: string,
    args: { title: string; head: string; base?: string; body?: string },
  ): Promise<number> {
    return this.mutex.run(async () => {
      const repo = this.repo(r);
      const pr = await openPull(this.ctx, repo, {
        author: user,
        title: args.title,
        body: args.body,
        head: args.head,
        base: args.base ?? repo.defaultBranch,
      });
      return pr.number;
    });
  }

  /** Merges as `user`, with branch protection enforced as for the REST call. Returns the new base tip. */
  merge(r: RepoRef, pull: number, user: string, method: MergeMethod = "merge"): Promise<string> {
    return this.mutex.run(async () => {
      const repo = this.repo(r);
      return mergePull(this.ctx, repo, findPull(repo, pull), { merger: user, method });
    });
  }

  /**
   * Marks a draft PR ready for review, as the button on github.com (GraphQL
   * `markPullRequestReadyForReview`; REST has no endpoint), with a `ready_for_review` webhook.
   */
  markReadyForReview(r: RepoRef, pull: number, user: string): Promise<void> {
    return this.mutex.run(async () => {
      const repo = this.repo(r);
      const pr = findPull(repo, pull);
      if (!pr.draft) return;
      pr.draft = false;
      pr.updatedAtMs = this.ctx.state.clock.now();
      await pullRequestEvent(this.ctx, repo, pr, "ready_for_review", user);
    });
  }

  close(r: RepoRef, pull: number, user: string): Promise<void> {
    return this.mutex.run(async () => {
      const repo = this.repo(r);
      await setPullState(this.ctx, repo, findPull(repo, pull), "closed", user);
    });
  }

  reopen(r: RepoRef, pull: number, user: string): Promise<void> {
    return this.mutex.run(async () => {
      const repo = this.repo(r);
      await setPullState(this.ctx, repo, findPull(repo, pull), "open", user);
    });
  }

  /** Replaces .github/CODEOWNERS on a branch (default: the default branch) with a commit by `user`. */
  setCodeowners(r: RepoRef, text: string, user: string, branch?: string): Promise<string> {
    return this.push(
      r,
      branch ?? this.repo(r).defaultBranch,
      user,
      { [CODEOWNERS_PATHS[0]]: text },
      "Update CODEOWNERS",
    );
  }

  /** Adds a person to a team: active, or pending (an invitation not yet accepted). */
  setTeamMembership(
    org: string,
    slug: string,
    user: string,
    state: "active" | "pending",
    role: "member" | "maintainer" = "member",
  ): void {
    const team = this.ctx.state.team(org, slug);
    const login = this.ctx.state.account(user).login;
    team.members.set(login.toLowerCase(), { role, state });
  }

  removeTeamMember(org: string, slug: string, user: string): void {
    this.ctx.state.team(org, slug).members.delete(user.toLowerCase());
  }

  /** Grants a team of the repository's org access to it (or with `undefined` removes it), as the Teams REST API does. */
  setTeamRepoPermission(r: RepoRef, slug: string, permission: Permission | undefined): void {
    const repo = this.repo(r);
    const team = this.ctx.state.team(repo.owner, slug);
    if (permission === undefined) repo.teams.delete(team.slug.toLowerCase());
    else repo.teams.set(team.slug.toLowerCase(), permission);
  }

  setCollaborator(r: RepoRef, user: string, permission: Permission | undefined): void {
    const repo = this.repo(r);
    if (permission === undefined) repo.collaborators.delete(user.toLowerCase());
    else repo.collaborators.set(this.ctx.state.account(user).login.toLowerCase(), permission);
  }

  /** Sets (or with `undefined` removes) branch protection; fields default as in the seed. */
  setProtection(
    r: RepoRef,
    branch: string,
    protection: z.input<typeof protectionSchema> | undefined,
  ): void {
    const repo = this.repo(r);
    if (protection === undefined) {
      repo.protection.delete(branch);
      return;
    }
    const parsed: BranchProtection = protectionSchema.parse(protection);
    repo.protection.set(branch, parsed);
  }
}
