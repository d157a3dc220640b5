/**
 * Rows through the real decoder: real keys, real PKCS#10 DER, real signatures. They check that
 * the policy reads what the decoder produces (key sizes, curves, SAN forms, signature validity).
 */
import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodeCsrObject, decodeCsrPem } from "../../../src/core/csr/decode.ts";
import { DEFAULT_POLICY, evaluate } from "../../../src/core/policy/index.ts";
import {
  kubeletClient,
  kubeletServing,
  makeCsrObject,
  makeCsrPem,
  userClient,
  type MakeCsrObjectOptions,
} from "../../support/make-csr.ts";
import { codes } from "./decoded-csr.ts";

function withoutKeyType(opts: MakeCsrObjectOptions): MakeCsrObjectOptions {
  const rest = { ...opts };
  delete rest.key;
  return rest;
}

describe("default policy on real CSRs", () => {
  it.each<[string, MakeCsrObjectOptions, string[]]>([
    ["a kubelet serving request", kubeletServing("node-a", ["10.0.0.11", "fd00::11"]), []],
    ["a kubelet client request", kubeletClient("node-a"), []],
    ["a user client request (RSA 2048)", userClient("alice", ["developers"]), []],
    ["a user client request with Ed25519", { ...userClient("bob"), key: "ed25519" }, []],
    [
      "a node asking for another node's serving name",
      { ...kubeletServing("node-a"), username: "system:node:node-b" },
      ["cn-not-requester-node", "san-dns-not-allowed"],
    ],
    [
      "system:masters in a user request",
      userClient("eve", ["system:masters"]),
      ["org-forbidden", "signer-rule-org-system-masters"],
    ],
    [
      "an RSA 1024 key",
      {
        ...withoutKeyType(kubeletServing("node-a")),
        keyPair: generateKeyPairSync("rsa", { modulusLength: 1024 }),
      },
      ["key-too-small"],
    ],
    ["a P-384 key (allowed by default)", { ...kubeletServing("node-a"), key: "p384" }, []],
    [
      "a forged signature",
      { ...kubeletClient("node-a"), badSignature: true },
      ["signature-invalid"],
    ],
    [
      "an unknown signer",
      { ...userClient("alice"), signerName: "example.com/custom" },
      ["unknown-signer"],
    ],
    [
      "a URI SAN on a serving request",
      { ...kubeletServing("node-a"), uris: ["spiffe://cluster/node-a"] },
      ["san-uri-forbidden", "signer-rule-san-uri-not-allowed"],
    ],
  ])("%s", (_name, opts, expected) => {
    const input = decodeCsrObject(makeCsrObject(opts));
    expect(input.ok).toBe(true);
    const verdict = evaluate(DEFAULT_POLICY, input);
    expect(codes(verdict.reasons)).toEqual(expected);
    expect(verdict.decision).toBe(expected.length === 0 ? "allow" : "deny");
  });

  // The phase counts only status "True" (or ""), so such an object reads as Pending; a decision
  // condition of any status must still refuse it, with a sentence that names the condition.
  it.each([
    ["Approved", "False"],
    ["Denied", "Unknown"],
    ["Failed", "False"],
  ])("denies a Pending CSR with a %s condition of status %s", (type, status) => {
    const input = decodeCsrObject(
      makeCsrObject({ ...userClient("alice", ["developers"]), conditions: [{ type, status }] }),
    );
    expect(input.ok && input.csr.object?.phase).toBe("Pending");
    const verdict = evaluate(DEFAULT_POLICY, input);
    expect(verdict.decision).toBe("deny");
    expect(verdict.reasons).toEqual([
      {
        code: "not-pending",
        message: `the CSR has a ${type} condition with status "${status}"; a decision is final whatever its status`,
        field: "status.conditions",
      },
    ]);
  });

  it("a condition of another type does not make a Pending CSR a decided one", () => {
    const input = decodeCsrObject(
      makeCsrObject({
        ...userClient("alice", ["developers"]),
        conditions: [{ type: "Progressing", status: "False" }],
      }),
    );
    expect(evaluate(DEFAULT_POLICY, input).reasons).toEqual([]);
  });

  it("denies a bare PEM: there is no signer or requester to judge", () => {
    const verdict = evaluate(DEFAULT_POLICY, decodeCsrPem(makeCsrPem(kubeletServing("node-a"))));
    expect(codes(verdict.reasons)).toEqual(["no-kubernetes-object"]);
  });

  it("denies garbage with the decoder's message", () => {
    const input = decodeCsrPem(
      "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n",
    );
    expect(input.ok).toBe(false);
    const verdict = evaluate(DEFAULT_POLICY, input);
    expect(codes(verdict.reasons)).toEqual(["undecodable"]);
    expect(verdict.reasons[0]?.message).toBe(input.ok ? "" : input.error.message);
  });
});
