import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeCsrObject, decodeCsrPem } from "../../../src/core/csr/decode.ts";
import { parseCsrInput } from "../../../src/core/csr/input.ts";
import type { DecodedCsr } from "../../../src/core/csr/types.ts";

/** The shipped examples must decode to what their names promise. */
function decodeExample(file: string): DecodedCsr {
  const text = readFileSync(new URL(`../../../examples/${file}`, import.meta.url), "utf8");
  const input = parseCsrInput(text);
  if (!input.ok) throw new Error(input.error.message);
  expect(input.items).toHaveLength(1);
  const [item] = input.items;
  if (item === undefined) throw new Error("no item");
  const result = item.kind === "pem" ? decodeCsrPem(item.pem) : decodeCsrObject(item.value);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  expect(result.csr.request.signatureValid).toBe(true);
  return result.csr;
}

describe("shipped examples", () => {
  it("kubelet-serving.yaml is a pending serving request from worker-1", () => {
    const csr = decodeExample("kubelet-serving.yaml");
    expect(csr.object?.phase).toBe("Pending");
    expect(csr.object?.signerName).toBe("kubernetes.io/kubelet-serving");
    expect(csr.object?.requester.username).toBe("system:node:worker-1");
    expect(csr.object?.requester.groups).toEqual(["system:nodes", "system:authenticated"]);
    expect(csr.request.subject.commonName).toBe("system:node:worker-1");
    expect(csr.request.subject.organizations).toEqual(["system:nodes"]);
    expect(csr.request.publicKey).toEqual({ algorithm: "ECDSA", curve: "P-256" });
    expect(csr.request.subjectAltNames.map((s) => s.value)).toEqual([
      "worker-1",
      "10.0.0.11",
      "fd00:10::11",
    ]);
  });

  it("user-client.yaml is a person's kube-apiserver-client request", () => {
    const csr = decodeExample("user-client.yaml");
    expect(csr.object?.signerName).toBe("kubernetes.io/kube-apiserver-client");
    expect(csr.request.subject.commonName).toBe("alice");
    expect(csr.object?.usages).toContain("client auth");
  });

  it("forged-masters.yaml asks a custom signer for system:masters", () => {
    const csr = decodeExample("forged-masters.yaml");
    expect(csr.object?.signerName).toBe("corp.example.com/internal-ca");
    expect(csr.request.subject.organizations).toEqual(["system:masters"]);
    expect(csr.object?.requester.username).toBe("system:serviceaccount:ci:deployer");
  });

  it("request.pem is a bare request", () => {
    const csr = decodeExample("request.pem");
    expect(csr.object).toBeUndefined();
    expect(csr.request.subject.commonName).toBe("web.example.com");
  });
});
