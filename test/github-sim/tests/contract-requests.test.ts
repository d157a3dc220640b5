import { describe, expect, it } from "vitest";
import { matchOperation, validateRequest, type OperationMatch } from "../openapi/validator.ts";

function op(method: string, path: string): OperationMatch {
  const match = matchOperation(method, path);
  if (match === undefined) throw new Error(`no operation for ${method} ${path}`);
  return match;
}

const none = new URLSearchParams();
const SHA = "a".repeat(40);

describe("valid requests pass", () => {
  it.each([
    ["POST", "/repos/o/r/git/refs", { ref: "refs/heads/csr/x", sha: SHA }],
    ["POST", "/repos/o/r/pulls", { title: "CSR x", head: "csr/x", base: "main", body: "..." }],
    ["PUT", "/repos/o/r/contents/a/b.yaml", { message: "add", content: "eA==", branch: "csr/x" }],
    [
      "POST",
      "/repos/o/r/check-runs",
      { name: "csr-gitops", head_sha: SHA, status: "completed", conclusion: "success" },
    ],
    ["POST", "/repos/o/r/pulls/1/reviews", { event: "APPROVE", commit_id: SHA }],
    ["POST", "/repos/o/r/issues/1/labels", { labels: ["csr"] }],
    ["PUT", "/repos/o/r/pulls/1/merge", { merge_method: "squash", sha: SHA }],
  ])("%s %s %j", (method, path, body) => {
    expect(validateRequest(op(method, path), { query: none, body })).toBeUndefined();
    // The same body as raw request text, as the server receives it.
    expect(
      validateRequest(op(method, path), { query: none, body: JSON.stringify(body) }),
    ).toBeUndefined();
  });

  it("an optional body may be absent", () => {
    expect(
      validateRequest(op("PUT", "/repos/o/r/pulls/1/merge"), { query: none, body: "" }),
    ).toBeUndefined();
    expect(
      validateRequest(op("GET", "/repos/o/r/pulls/1"), { query: none, body: undefined }),
    ).toBeUndefined();
  });

  it("valid query parameters pass; unknown ones are ignored as GitHub does", () => {
    const query = new URLSearchParams("state=all&head=o:csr/x&per_page=100&page=2&utm=1");
    expect(
      validateRequest(op("GET", "/repos/o/r/pulls"), { query, body: undefined }),
    ).toBeUndefined();
  });
});

describe("invalid requests get GitHub's status and body", () => {
  const docs = "https://docs.github.com/rest/git/refs#create-a-reference";

  it("a missing required field: 422 Invalid request, naming the field", () => {
    expect(
      validateRequest(op("POST", "/repos/o/r/git/refs"), {
        query: none,
        body: { ref: "refs/heads/x" },
      }),
    ).toEqual({
      status: 422,
      body: {
        message: 'Invalid request.\n\n"sha" wasn\'t supplied.',
        documentation_url: docs,
        status: "422",
      },
    });
  });

  it("a wrong type: 422, with GitHub's location and Ruby-style value", () => {
    const error = validateRequest(op("POST", "/repos/o/r/pulls"), {
      query: none,
      body: { title: 5, head: "x", base: "main" },
    });
    expect(error?.status).toBe(422);
    expect(error?.body.message).toBe(
      "Invalid request.\n\nFor 'properties/title', 5 is not a string.",
    );
    expect(error?.body.documentation_url).toBe(
      "https://docs.github.com/rest/pulls/pulls#create-a-pull-request",
    );
  });

  it("a bad enum value: 422 listing the allowed values", () => {
    // REST review events are APPROVE / REQUEST_CHANGES / COMMENT, not the state names.
    const error = validateRequest(op("POST", "/repos/o/r/pulls/1/reviews"), {
      query: none,
      body: { event: "APPROVED" },
    });
    expect(error?.status).toBe(422);
    expect(error?.body.message).toBe(
      'Invalid request.\n\nFor \'properties/event\', "APPROVED" is not a member of ["APPROVE","REQUEST_CHANGES","COMMENT"].',
    );
  });

  it("a check run with an unknown conclusion is refused", () => {
    const error = validateRequest(op("PATCH", "/repos/o/r/check-runs/3"), {
      query: none,
      body: { conclusion: "approved" },
    });
    expect(error?.status).toBe(422);
    expect(error?.body.message).toMatch(/'properties\/conclusion', "approved" is not a member of/);
  });

  it("malformed JSON: 400 Problems parsing JSON", () => {
    expect(
      validateRequest(op("POST", "/repos/o/r/git/refs"), { query: none, body: '{"ref": ' }),
    ).toEqual({
      status: 400,
      body: { message: "Problems parsing JSON", documentation_url: docs, status: "400" },
    });
  });

  it("no body where one is required: GitHub's 'nil is not an object'", () => {
    expect(
      validateRequest(op("POST", "/repos/o/r/git/refs"), { query: none, body: undefined })?.body
        .message,
    ).toBe("Invalid request.\n\nFor 'links/0/schema', nil is not an object.");
  });

  it("a JSON array where an object is expected", () => {
    expect(
      validateRequest(op("POST", "/repos/o/r/git/refs"), { query: none, body: "[]" })?.body.message,
    ).toBe("Invalid request.\n\nFor 'links/0/schema', [] is not an object.");
  });

  it("a wrongly typed item inside an array", () => {
    const error = validateRequest(op("POST", "/repos/o/r/pulls"), {
      query: none,
      body: { head: "x", base: "main", title: "t", draft: "yes" },
    });
    expect(error?.body.message).toBe(
      "Invalid request.\n\nFor 'properties/draft', \"yes\" is not a boolean.",
    );
  });

  it("a bad query enum or type: 422 Validation Failed with one error per parameter", () => {
    const error = validateRequest(op("GET", "/repos/o/r/pulls"), {
      query: new URLSearchParams("state=merged&per_page=lots"),
      body: undefined,
    });
    expect(error?.status).toBe(422);
    expect(error?.body).toMatchObject({
      message: "Validation Failed",
      status: "422",
      errors: [
        { field: "state", code: "invalid" },
        { field: "per_page", code: "invalid" },
      ],
    });
  });

  it("a non-numeric path number: 404 Not Found, as GitHub routes it", () => {
    expect(
      validateRequest(op("GET", "/repos/o/r/pulls/abc"), { query: none, body: undefined }),
    ).toMatchObject({
      status: 404,
      body: { message: "Not Found", status: "404" },
    });
  });
});
