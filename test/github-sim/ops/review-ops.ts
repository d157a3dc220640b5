import { reviewEvent } from "../events/payloads.ts";
import { GitHubHttpError } from "../http-error.ts";
import type { PullRequest, Repo, Review } from "../state/model.ts";
import { liveHeadSha } from "./pull-view.ts";
import type { SimContext } from "./sim-context.ts";

export type ReviewEvent = "APPROVE" | "REQUEST_CHANGES" | "COMMENT";

function unprocessable(error: string): GitHubHttpError {
  return new GitHubHttpError(422, "Unprocessable Entity", { body: { errors: [error] } });
}

const STATE_OF: Record<ReviewEvent, Review["state"]> = {
  APPROVE: "APPROVED",
  REQUEST_CHANGES: "CHANGES_REQUESTED",
  COMMENT: "COMMENTED",
};

/** Submits a review as GitHub does (no event: a PENDING review); the author cannot approve or reject their own PR. */
export async function submitReview(
  ctx: SimContext,
  repo: Repo,
  pr: PullRequest,
  args: {
    reviewer: string;
    event?: ReviewEvent | undefined;
    body?: string | undefined;
    commitId?: string | undefined;
  },
): Promise<Review> {
  const reviewer = ctx.state.account(args.reviewer).login;
  if (pr.state !== "open" && args.event !== undefined && args.event !== "COMMENT") {
    throw unprocessable("Can not approve or request changes on a closed pull request");
  }
  const own = reviewer.toLowerCase() === pr.user.toLowerCase();
  if (own && args.event === "APPROVE")
    throw unprocessable("Review Can not approve your own pull request");
  if (own && args.event === "REQUEST_CHANGES")
    throw unprocessable("Review Can not request changes on your own pull request");
  if ((args.event === "REQUEST_CHANGES" || args.event === "COMMENT") && (args.body ?? "") === "") {
    throw unprocessable(`Review body is required when using ${args.event}`);
  }
  const head = await liveHeadSha(repo, pr);
  const commitId = args.commitId ?? head;
  if ((await repo.git.readCommit(commitId)) === undefined) throw unprocessable("Commit not found");
  const review: Review = {
    id: ctx.state.nextId(),
    user: reviewer,
    body: args.body ?? "",
    state: args.event === undefined ? "PENDING" : STATE_OF[args.event],
    commitId,
    submittedAtMs: ctx.state.clock.now(),
  };
  pr.reviews.push(review);
  if (review.state !== "PENDING") await reviewEvent(ctx, repo, pr, review, "submitted", reviewer);
  return review;
}

export async function dismissReview(
  ctx: SimContext,
  repo: Repo,
  pr: PullRequest,
  reviewId: number,
  actor: string,
): Promise<Review> {
  const review = pr.reviews.find((r) => r.id === reviewId);
  if (review === undefined) throw new GitHubHttpError(404, "Not Found");
  if (review.state !== "APPROVED" && review.state !== "CHANGES_REQUESTED") {
    throw new GitHubHttpError(
      422,
      `Can not dismiss a ${review.state.toLowerCase()} pull request review`,
    );
  }
  review.state = "DISMISSED";
  await reviewEvent(ctx, repo, pr, review, "dismissed", actor);
  return review;
}
