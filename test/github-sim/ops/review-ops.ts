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
  // GitHub refuses any new review, pending or not, while the user has a pending one on the PR.
  if (pr.reviews.some((r) => r.state === "PENDING" && sameUser(r.user, reviewer)))
    throw unprocessable("User can only have one pending review per pull request");
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
  if (review.state !== "PENDING") await afterSubmit(ctx, repo, pr, review);
  return review;
}

function sameUser(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** A submitted review answers that user's review request (GitHub drops it), then `submitted` is sent. */
async function afterSubmit(
  ctx: SimContext,
  repo: Repo,
  pr: PullRequest,
  review: Review,
): Promise<void> {
  const i = pr.requestedReviewers.findIndex((r) => sameUser(r, review.user));
  if (i !== -1) pr.requestedReviewers.splice(i, 1);
  await reviewEvent(ctx, repo, pr, review, "submitted", review.user);
}

/** A review as `viewer` may see it: someone else's pending review does not exist for them (404). */
export function findReview(pr: PullRequest, reviewId: number, viewer: string): Review {
  const review = pr.reviews.find((r) => r.id === reviewId);
  if (review === undefined || (review.state === "PENDING" && !sameUser(review.user, viewer)))
    throw new GitHubHttpError(404, "Not Found");
  return review;
}

/** Submits `viewer`'s pending review (POST .../reviews/{id}/events) with the same rules as a new review. */
export async function submitPendingReview(
  ctx: SimContext,
  repo: Repo,
  pr: PullRequest,
  args: { reviewId: number; viewer: string; event: ReviewEvent; body?: string | undefined },
): Promise<Review> {
  const review = findReview(pr, args.reviewId, args.viewer);
  if (review.state !== "PENDING")
    throw unprocessable("Can not submit a review that is not pending");
  if (pr.state !== "open" && args.event !== "COMMENT")
    throw unprocessable("Can not approve or request changes on a closed pull request");
  const own = sameUser(review.user, pr.user);
  if (own && args.event === "APPROVE")
    throw unprocessable("Review Can not approve your own pull request");
  if (own && args.event === "REQUEST_CHANGES")
    throw unprocessable("Review Can not request changes on your own pull request");
  const body = args.body ?? review.body;
  if ((args.event === "REQUEST_CHANGES" || args.event === "COMMENT") && body === "")
    throw unprocessable(`Review body is required when using ${args.event}`);
  review.body = body;
  review.state = STATE_OF[args.event];
  review.submittedAtMs = ctx.state.clock.now();
  await afterSubmit(ctx, repo, pr, review);
  return review;
}

/** Deletes `viewer`'s pending review; a submitted review cannot be deleted (422). */
export function deletePendingReview(pr: PullRequest, reviewId: number, viewer: string): Review {
  const review = findReview(pr, reviewId, viewer);
  if (review.state !== "PENDING")
    throw unprocessable("Can not delete a non-pending pull request review");
  pr.reviews.splice(pr.reviews.indexOf(review), 1);
  return review;
}

/** Replaces the summary body of `viewer`'s own review (pending or submitted). */
export function updateReviewBody(
  pr: PullRequest,
  reviewId: number,
  viewer: string,
  body: string,
): Review {
  const review = findReview(pr, reviewId, viewer);
  if (!sameUser(review.user, viewer))
    throw new GitHubHttpError(403, "You can only update your own review");
  review.body = body;
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
