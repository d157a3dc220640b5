/**
 * The Probot app: handlers only map events to a PR key and call reconcile. The payload is a
 * hint, never data the decision uses (the sender of `closed` names the closer, and a push's
 * `before` helps find the app's check run after a force push).
 */
import type { ApplicationFunction, Context } from "probot";
import { userOf } from "../github/read-pull-snapshot.ts";
import type { AppDeps } from "./app-deps.ts";
import { reconcilePull, type PullHints } from "./reconcile-pull.ts";

type PullEvent = Context<"pull_request"> | Context<"pull_request_review">;

async function handle(context: PullEvent, deps: AppDeps, hints: PullHints): Promise<void> {
  const { repository, pull_request } = context.payload;
  const outcome = await reconcilePull(
    context.octokit,
    { owner: repository.owner.login, repo: repository.name, number: pull_request.number },
    deps,
    hints,
  );
  deps.log.info("reconciled", { pr: pull_request.number, outcome: outcome.kind });
}

export function csrGitopsApp(deps: AppDeps): ApplicationFunction {
  return (app) => {
    app.on("pull_request.closed", (context) =>
      handle(context, deps, { closedBy: userOf(context.payload.sender) }),
    );
    app.on("pull_request.synchronize", (context) =>
      handle(context, deps, {
        before: context.payload.before,
        pusher: context.payload.sender.login,
      }),
    );
    app.on(
      [
        "pull_request_review.submitted",
        "pull_request_review.dismissed",
        "pull_request_review.edited",
      ],
      (context) => handle(context, deps, {}),
    );
  };
}
