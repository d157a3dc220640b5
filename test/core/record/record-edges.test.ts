/**
 * buildRecord and pendingDeadline at their edges: what an undecodable request is recorded as
 * (the digest of the bytes the object holds), the verdict copied field by field, and the schema
 * refusing a record that could not be parsed back.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodeCsrObject } from "../../../src/core/csr/decode.ts";
import {
  buildRecord,
  pendingDeadline,
  type VerdictInput,
} from "../../../src/core/record/record.ts";
import { kubeletServing, makeCsrObject } from "../../support/make-csr.ts";
import { BASE_COMMIT, RECORDED_AT, UID } from "./record-fixtures.ts";

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

const verdict: VerdictInput = {
  decision: "deny",
  reasons: [
    { code: "san-dns-not-allowed", message: "m", field: "request.subjectAltNames[0]" },
    { code: "node-not-found", message: "n" },
  ],
  notes: [{ code: "tier-applied", message: "t" }],
  requiredApprovals: 3,
  signerRule: undefined,
};

function build(specRequest: string | undefined, input: Partial<{ verdict: VerdictInput }> = {}) {
  const object = makeCsrObject({
    ...kubeletServing("worker-1"),
    uid: UID,
    expirationSeconds: 3600,
  });
  if (specRequest !== undefined) (object.spec as Record<string, unknown>).request = specRequest;
  return buildRecord({
    cluster: "prod-eu",
    recordedAt: RECORDED_AT,
    decoded: decodeCsrObject(object),
    specRequest: specRequest ?? "",
    verdict: input.verdict ?? verdict,
    policy: { source: "builtin", blobSha: null, configBlobSha: null, baseCommit: BASE_COMMIT },
    supersedes: ["00000000-0000-4000-8000-000000000000"],
  });
}

describe("pendingDeadline", () => {
  it.each([
    ["2026-02-28T23:30:00.123Z", "2026-03-01T23:30:00Z"],
    ["2026-11-29T16:19:58Z", "2026-11-30T16:19:58Z"],
    ["garbage", ""],
    ["", ""],
  ])("%j -> %j", (created, expected) => {
    expect(pendingDeadline(created)).toBe(expected);
  });
});

describe("an undecodable request is recorded as the bytes the object holds", () => {
  it("base64 that decodes: the digest and text of the decoded bytes", () => {
    const built = build(Buffer.from("garbage bytes").toString("base64"));
    expect(built.ok && built.record.request).toEqual({
      sha256: sha256("garbage bytes"),
      pem: "garbage bytes",
      decoded: null,
      decodeError: {
        code: "not-pem",
        message: "spec.request: no -----BEGIN line: not a PEM block",
      },
    });
  });

  it("text that is not base64: the digest and text of the text itself", () => {
    const built = build("%%%not base64");
    expect(built.ok && built.record.request).toEqual({
      sha256: sha256("%%%not base64"),
      pem: "%%%not base64",
      decoded: null,
      decodeError: { code: "not-base64", message: "spec.request is not valid base64" },
    });
  });
});

describe("the verdict and the CSR's own fields are copied as given", () => {
  it("reasons with and without a field, notes, no signer rule, supersedes, expirationSeconds", () => {
    const built = build(undefined);
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    expect(built.record.verdict).toEqual({
      decision: "deny",
      reasons: [
        { code: "san-dns-not-allowed", message: "m", field: "request.subjectAltNames[0]" },
        { code: "node-not-found", message: "n" },
      ],
      notes: [{ code: "tier-applied", message: "t" }],
      requiredApprovals: 3,
      signerRule: null,
    });
    expect(Object.keys(built.record.verdict.reasons[1] ?? {})).toEqual(["code", "message"]);
    expect(built.record.supersedes).toEqual(["00000000-0000-4000-8000-000000000000"]);
    expect(built.record.csr.expirationSeconds).toBe(3600);
  });

  it("refuses a record its own schema would refuse, saying where", () => {
    const built = build(undefined, { verdict: { ...verdict, requiredApprovals: 0 } });
    expect(built.ok).toBe(false);
    expect(built.ok ? "" : built.message).toMatch(
      /^record does not match its schema: [\s\S]*"requiredApprovals"[\s\S]*>=1/,
    );
  });
});
