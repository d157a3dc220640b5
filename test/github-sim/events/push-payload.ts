/**
 * The `push` webhook (docs: "Webhook events and payloads", push,
 * https://docs.github.com/en/webhooks/webhook-events-and-payloads#push): sent for every branch
 * update, creation and deletion, whoever moved it (a git push, the contents or git data API, a merge).
 */
import type { GitCommitObject } from "../git/git-repository.ts";
import type { SimContext } from "../ops/sim-context.ts";
import type { Repo } from "../state/model.ts";
import { common } from "./payloads.ts";

export const ZERO_SHA = "0".repeat(40);

/** GitHub lists at most this many commits in a push payload (the rest only through the API). */
const MAX_COMMITS = 2048;

export interface PushArgs {
  readonly branch: string;
  readonly before: string;
  readonly after: string;
  readonly pusher: string;
  /** The update was not a fast-forward (a forced ref update). */
  readonly forced?: boolean;
}

export async function pushEvent(ctx: SimContext, repo: Repo, args: PushArgs): Promise<void> {
  const created = args.before === ZERO_SHA;
  const deleted = args.after === ZERO_SHA;
  const shas =
    created || deleted
      ? []
      : await repo.git.revList({ include: args.after, exclude: args.before, reverse: true });
  const commits: Record<string, unknown>[] = [];
  for (const sha of shas.slice(-MAX_COMMITS)) {
    const c = await repo.git.readCommit(sha);
    if (c !== undefined) commits.push(await pushCommit(ctx, repo, c));
  }
  const head = deleted ? undefined : await repo.git.readCommit(args.after);
  const pusher = ctx.state.account(args.pusher);
  const html = `${ctx.urls.html}/${repo.owner}/${repo.name}`;
  const full = common(ctx, repo, args.pusher);
  ctx.emit("push", {
    ref: `refs/heads/${args.branch}`,
    before: args.before,
    after: args.after,
    created,
    deleted,
    forced: args.forced ?? false,
    base_ref: null,
    compare: created
      ? `${html}/commit/${args.after.slice(0, 12)}`
      : `${html}/compare/${args.before.slice(0, 12)}...${args.after.slice(0, 12)}`,
    commits,
    head_commit: head === undefined ? null : await pushCommit(ctx, repo, head),
    pusher: {
      name: pusher.login,
      email: pusher.email ?? `${pusher.id}+${pusher.login}@users.noreply.github.com`,
    },
    ...full,
    repository: pushRepository(full.repository, repo),
  });
}

/** The push event's repository carries `created_at` and `pushed_at` as Unix seconds. */
function pushRepository(repository: unknown, repo: Repo): Record<string, unknown> {
  return {
    ...(repository as Record<string, unknown>),
    created_at: Math.floor(repo.createdAtMs / 1000),
    pushed_at: Math.floor(repo.pushedAtMs / 1000),
  };
}

async function pushCommit(
  ctx: SimContext,
  repo: Repo,
  c: GitCommitObject,
): Promise<Record<string, unknown>> {
  const [parent] = c.parents;
  const changes = parent === undefined ? [] : await repo.git.diff(parent, c.sha);
  const paths = (status: string) => changes.filter((f) => f.status === status).map((f) => f.path);
  const person = (p: GitCommitObject["author"]) => ({
    name: p.name,
    email: p.email,
    date: ctx.state.clock.iso(p.dateMs),
  });
  return {
    id: c.sha,
    tree_id: c.tree,
    distinct: true,
    message: c.message.replace(/\n$/, ""),
    timestamp: ctx.state.clock.iso(c.committer.dateMs),
    url: `${ctx.urls.html}/${repo.owner}/${repo.name}/commit/${c.sha}`,
    author: person(c.author),
    committer: person(c.committer),
    added: paths("added"),
    removed: paths("removed"),
    modified: paths("modified"),
  };
}
