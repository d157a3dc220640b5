/**
 * Probot's client class with the app's retry rule. Probot's client carries
 * `@octokit/plugin-retry`, which retries every failed request whose status is not in its
 * `doNotRetry` list (three times, waiting 1, 4 and 9 s). GitHub's 409 is an answer, not a fault:
 * branch protection refusing a receipt commit, or a concurrent update the caller resolves by reading
 * again. Retried, each refusal cost 14 s of a webhook handler and three more content-creating
 * requests; so 409 joins the statuses that are never retried. 5xx are still retried.
 */
import { ProbotOctokit } from "probot";

export const NOT_RETRIED: readonly number[] = [400, 401, 403, 404, 409, 410, 422, 451];

export const AppOctokit = ProbotOctokit.defaults({ retry: { doNotRetry: [...NOT_RETRIED] } });
