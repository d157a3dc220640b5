import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { matchOperation } from "../openapi/validator.ts";
import { SERVED_OPERATIONS } from "../openapi/served-operations.ts";

describe("request routing to GitHub operations", () => {
  it.each([
    ["GET", "/app", "apps/get-authenticated", {}],
    [
      "POST",
      "/app/installations/42/access_tokens",
      "apps/create-installation-access-token",
      { installation_id: "42" },
    ],
    ["GET", "/repos/acme/audit", "repos/get", { owner: "acme", repo: "audit" }],
    [
      "GET",
      "/repos/acme/audit/installation",
      "apps/get-repo-installation",
      { owner: "acme", repo: "audit" },
    ],
    // Git refs span slashes.
    [
      "GET",
      "/repos/acme/audit/git/ref/heads/csr/node-1",
      "git/get-ref",
      { owner: "acme", repo: "audit", ref: "heads/csr/node-1" },
    ],
    [
      "GET",
      "/repos/acme/audit/git/matching-refs/heads/csr/",
      "git/list-matching-refs",
      { owner: "acme", repo: "audit", ref: "heads/csr/" },
    ],
    [
      "PATCH",
      "/repos/acme/audit/git/refs/heads/feature/a/b",
      "git/update-ref",
      { owner: "acme", repo: "audit", ref: "heads/feature/a/b" },
    ],
    [
      "DELETE",
      "/repos/acme/audit/git/refs/heads/x",
      "git/delete-ref",
      { owner: "acme", repo: "audit", ref: "heads/x" },
    ],
    ["POST", "/repos/acme/audit/git/refs", "git/create-ref", { owner: "acme", repo: "audit" }],
    // A literal segment after a multi-segment parameter wins over swallowing it.
    [
      "GET",
      "/repos/acme/audit/commits/heads/csr/x/check-runs",
      "checks/list-for-ref",
      { owner: "acme", repo: "audit", ref: "heads/csr/x" },
    ],
    [
      "GET",
      "/repos/acme/audit/commits/heads/csr/x",
      "repos/get-commit",
      { owner: "acme", repo: "audit", ref: "heads/csr/x" },
    ],
    [
      "GET",
      "/repos/acme/audit/branches/release/protection",
      "repos/get-branch-protection",
      { owner: "acme", repo: "audit", branch: "release" },
    ],
    [
      "GET",
      "/repos/acme/audit/branches/release/v1",
      "repos/get-branch",
      { owner: "acme", repo: "audit", branch: "release/v1" },
    ],
    // Contents paths span slashes, raw or percent-encoded.
    [
      "GET",
      "/repos/acme/audit/contents/clusters/prod/csr.yaml",
      "repos/get-content",
      { owner: "acme", repo: "audit", path: "clusters/prod/csr.yaml" },
    ],
    [
      "PUT",
      "/repos/acme/audit/contents/clusters%2Fprod%2Fcsr.yaml",
      "repos/create-or-update-file-contents",
      { owner: "acme", repo: "audit", path: "clusters/prod/csr.yaml" },
    ],
    // Literal `comments` beats `{issue_number}`.
    [
      "PATCH",
      "/repos/acme/audit/issues/comments/9",
      "issues/update-comment",
      { owner: "acme", repo: "audit", comment_id: "9" },
    ],
    [
      "POST",
      "/repos/acme/audit/issues/9/comments",
      "issues/create-comment",
      { owner: "acme", repo: "audit", issue_number: "9" },
    ],
    [
      "DELETE",
      "/repos/acme/audit/issues/9/labels/needs%20review",
      "issues/remove-label",
      { owner: "acme", repo: "audit", issue_number: "9", name: "needs review" },
    ],
    [
      "PUT",
      "/repos/acme/audit/pulls/3/reviews/5/dismissals",
      "pulls/dismiss-review",
      { owner: "acme", repo: "audit", pull_number: "3", review_id: "5" },
    ],
    [
      "GET",
      "/orgs/acme/teams/csr-approvers/memberships/alice",
      "teams/get-membership-for-user-in-org",
      { org: "acme", team_slug: "csr-approvers", username: "alice" },
    ],
    ["GET", "/rate_limit", "rate-limit/get", {}],
  ] as const)("%s %s -> %s", (method, path, operationId, params) => {
    expect(matchOperation(method, path)).toMatchObject({ operationId, params });
  });

  it("method names are case-insensitive", () => {
    expect(matchOperation("get", "/repos/a/b")?.operationId).toBe("repos/get");
  });

  it.each([
    ["GET", "/repos/acme"],
    ["GET", "/repos/acme/audit/"], // GitHub answers a trailing slash with 404
    ["POST", "/repos/acme/audit"], // wrong method
    ["GET", "/repos/acme/audit/hooks"], // not served
    ["GET", "repos/acme/audit"],
    ["GET", "/repos/acme/audit/contents/%E0%A4%A"], // broken percent-encoding
  ])("%s %s matches nothing", (method, path) => {
    expect(matchOperation(method, path)).toBeUndefined();
  });

  it("every served operation is in the trimmed description and routes to itself", () => {
    const spec = JSON.parse(
      readFileSync(new URL("../openapi/github-rest.trimmed.json", import.meta.url), "utf8"),
    ) as { paths: Record<string, Record<string, { operationId?: string }>> };
    const routed = new Map<string, string>();
    for (const [template, item] of Object.entries(spec.paths))
      for (const [method, op] of Object.entries(item)) {
        if (op.operationId === undefined) continue;
        const path = template.replace(/\{[^}]+\}/g, "x1");
        routed.set(op.operationId, matchOperation(method, path)?.operationId ?? "(none)");
      }
    expect([...routed.keys()].sort()).toEqual([...SERVED_OPERATIONS].sort());
    for (const [operationId, match] of routed) expect(match).toBe(operationId);
  });
});
