import { describe, expect, it } from "vitest";
import { matchOperation, validateResponse, type OperationMatch } from "../openapi/validator.ts";

function op(method: string, path: string): OperationMatch {
  const match = matchOperation(method, path);
  if (match === undefined) throw new Error(`no operation for ${method} ${path}`);
  return match;
}

const SHA = "a".repeat(40);
const gitRef = {
  ref: "refs/heads/main",
  node_id: "REF_1",
  url: "https://api.github.com/repos/o/r/git/refs/heads/main",
  object: { type: "commit", sha: SHA, url: `https://api.github.com/repos/o/r/git/commits/${SHA}` },
};

describe("response validation", () => {
  const getRef = op("GET", "/repos/o/r/git/ref/heads/main");

  it("accepts a body that matches the documented schema", () => {
    expect(validateResponse(getRef, 200, gitRef)).toEqual([]);
  });

  it("catches a missing required field", () => {
    const withoutObject = { ref: gitRef.ref, node_id: gitRef.node_id, url: gitRef.url };
    expect(validateResponse(getRef, 200, withoutObject)).toEqual([
      "git/get-ref 200: (root) must have required property 'object'",
    ]);
  });

  it("catches a wrong type deep in the body", () => {
    const problems = validateResponse(getRef, 200, {
      ...gitRef,
      object: { ...gitRef.object, sha: 7 },
    });
    expect(problems).toEqual(["git/get-ref 200: /object/sha must be string"]);
  });

  it("catches a bad format (date-time, uri)", () => {
    const problems = validateResponse(getRef, 200, { ...gitRef, url: "not a url" });
    expect(problems).toEqual(['git/get-ref 200: /url must match format "uri"']);
  });

  it("catches a key the schema forbids (additionalProperties: false)", () => {
    // The PUT response (protected-branch) closes its sub-objects; the GET one does not.
    const protection = op("PUT", "/repos/o/r/branches/main/protection");
    const problems = validateResponse(protection, 200, {
      url: "https://api.github.com/repos/o/r/branches/main/protection",
      enforce_admins: { url: "https://api.github.com/x", enabled: true, extra: 1 },
    });
    expect(problems).toContain(
      "repos/update-branch-protection 200: /enforce_admins must NOT have additional properties",
    );
  });

  it("accepts null where GitHub's description says nullable", () => {
    const membership = op("GET", "/orgs/o/teams/t/memberships/u");
    expect(
      validateResponse(membership, 200, {
        url: "https://api.github.com/x",
        role: "member",
        state: "active",
      }),
    ).toEqual([]);
    expect(
      validateResponse(membership, 200, {
        url: "https://api.github.com/x",
        role: "boss",
        state: "active",
      }),
    ).toEqual([
      "teams/get-membership-for-user-in-org 200: /role must be equal to one of the allowed values",
    ]);
  });

  it("an undocumented status is reported", () => {
    expect(validateResponse(op("DELETE", "/repos/o/r/git/refs/heads/x"), 201, undefined)).toEqual([
      "git/delete-ref: status 201 is not documented",
    ]);
  });

  it("204 must have no body", () => {
    const del = op("DELETE", "/repos/o/r/git/refs/heads/x");
    expect(validateResponse(del, 204, undefined)).toEqual([]);
    expect(validateResponse(del, 204, { ok: true })).toEqual([
      "git/delete-ref: status 204 has no documented body, got object",
    ]);
  });

  it("error statuses without a documented body are checked as GitHub's basic error", () => {
    const getPull = op("GET", "/repos/o/r/pulls/1");
    const notFound = {
      message: "Not Found",
      documentation_url: "https://docs.github.com/rest",
      status: "404",
    };
    expect(validateResponse(getRef, 404, notFound)).toEqual([]);
    expect(validateResponse(getPull, 404, notFound)).toEqual([]);
    expect(validateResponse(getPull, 404, { message: 404 })).toEqual([
      "pulls/get 404: /message must be string",
    ]);
  });

  it("422 bodies follow GitHub's validation-error shape", () => {
    const createRef = op("POST", "/repos/o/r/git/refs");
    expect(
      validateResponse(createRef, 422, {
        message: "Reference already exists",
        documentation_url: "https://docs.github.com/rest/git/refs#create-a-reference",
        status: "422",
      }),
    ).toEqual([]);
    expect(validateResponse(createRef, 422, { message: "Reference already exists" })).toEqual([
      "git/create-ref 422: (root) must have required property 'documentation_url'",
    ]);
  });
});
