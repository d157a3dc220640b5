import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { decodeCsrObject } from "../../../src/core/csr/decode.ts";
import { parseCsrInput } from "../../../src/core/csr/input.ts";
import type { CsrPhase } from "../../../src/core/csr/types.ts";
import { kubeletServing, makeCsrObject, makeCsrYaml, userClient } from "../../support/make-csr.ts";

describe("decodeCsrObject", () => {
  it("reads a kubelet-serving CSR as kubectl prints it", () => {
    const text = makeCsrYaml({
      ...kubeletServing("worker-1", ["10.0.0.11", "fd00::11"]),
      name: "csr-7h2kx",
      uid: "0b1d0c55-3a44-4a51-9d55-5d0f1e0c2f10",
      requesterUid: "node-uid-1",
      expirationSeconds: 86400,
      creationTimestamp: "2025-03-04T05:06:07Z",
      resourceVersion: "4242",
    });
    const input = parseCsrInput(text);
    expect(input.ok).toBe(true);
    if (!input.ok) return;
    const [item] = input.items;
    expect(item?.kind).toBe("object");
    if (item?.kind !== "object") return;
    const result = decodeCsrObject(item.value);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.csr.object).toEqual({
      name: "csr-7h2kx",
      uid: "0b1d0c55-3a44-4a51-9d55-5d0f1e0c2f10",
      resourceVersion: "4242",
      creationTimestamp: "2025-03-04T05:06:07Z",
      signerName: "kubernetes.io/kubelet-serving",
      usages: ["digital signature", "server auth"],
      expirationSeconds: 86400,
      requester: {
        username: "system:node:worker-1",
        uid: "node-uid-1",
        groups: ["system:nodes", "system:authenticated"],
        extra: {},
      },
      phase: "Pending",
      conditions: [],
    });
    expect(result.csr.request.subject.commonName).toBe("system:node:worker-1");
    expect(result.csr.request.subjectAltNames).toEqual([
      { type: "DNS", value: "worker-1" },
      { type: "IP", value: "10.0.0.11", version: 4 },
      { type: "IP", value: "fd00::11", version: 6 },
    ]);
    expect(result.csr.request.signatureValid).toBe(true);
  });

  it("leaves expirationSeconds undefined when the requester did not set it", () => {
    const result = decodeCsrObject(makeCsrObject(userClient("alice", ["dev"])));
    expect(result.ok && result.csr.object?.expirationSeconds).toBe(86400);
    const noExpiry = decodeCsrObject(makeCsrObject({ subject: { CN: "bob" } }));
    expect(noExpiry.ok).toBe(true);
    if (noExpiry.ok) expect(noExpiry.csr.object?.expirationSeconds).toBeUndefined();
  });

  it("keeps requester extra", () => {
    const extra = { "authentication.kubernetes.io/credential-id": ["X509SHA256=abc"] };
    const result = decodeCsrObject(makeCsrObject({ subject: { CN: "x" }, extra }));
    expect(result.ok && result.csr.object?.requester.extra).toEqual(extra);
  });

  it("accepts a client-node object with Date timestamps and no kind", () => {
    const obj = makeCsrObject({
      subject: { CN: "x" },
      conditions: [
        {
          type: "Approved",
          status: "True",
          reason: "AutoApproved",
          lastUpdateTime: new Date("2025-01-02T03:04:05Z"),
        },
      ],
    });
    delete obj.kind;
    delete obj.apiVersion;
    (obj.metadata as Record<string, unknown>).creationTimestamp = new Date("2025-01-01T00:00:00Z");
    const result = decodeCsrObject(obj);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.csr.object?.creationTimestamp).toBe("2025-01-01T00:00:00Z");
    expect(result.csr.object?.conditions).toEqual([
      {
        type: "Approved",
        status: "True",
        reason: "AutoApproved",
        lastUpdateTime: "2025-01-02T03:04:05Z",
      },
    ]);
    expect(result.csr.object?.phase).toBe("Approved");
  });

  it("names the failing field in the error", () => {
    const obj = makeCsrObject({ subject: { CN: "x" } });
    (obj.spec as Record<string, unknown>).usages = ["client auth", 7];
    const result = decodeCsrObject(obj);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("invalid-object-field");
    expect(result.error.message).toMatch(/^spec\.usages\[1\]: /);
  });

  it("keeps the object details when only the request is bad", () => {
    const obj = makeCsrObject({ subject: { CN: "x" }, name: "csr-bad" });
    (obj.spec as Record<string, unknown>).request = Buffer.from("hello").toString("base64");
    const result = decodeCsrObject(obj);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("not-pem");
    expect(result.error.message).toMatch(/^spec\.request: /);
    expect(result.object?.name).toBe("csr-bad");
  });
});

describe("phase", () => {
  const cert = Buffer.from(
    "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
  ).toString("base64");
  const cond = (type: string, status = "True"): object => ({
    type,
    status,
    reason: "r",
    message: "m",
  });
  const table: { name: string; conditions: object[]; certificate?: string; want: CsrPhase }[] = [
    { name: "no conditions", conditions: [], want: "Pending" },
    { name: "approved", conditions: [cond("Approved")], want: "Approved" },
    {
      name: "approved and issued",
      conditions: [cond("Approved")],
      certificate: cert,
      want: "Issued",
    },
    { name: "denied", conditions: [cond("Denied")], want: "Denied" },
    {
      name: "approved then failed",
      conditions: [cond("Approved"), cond("Failed")],
      want: "Failed",
    },
    {
      name: "failed beats a certificate",
      conditions: [cond("Approved"), cond("Failed")],
      certificate: cert,
      want: "Failed",
    },
    {
      name: "denied beats a certificate",
      conditions: [cond("Denied")],
      certificate: cert,
      want: "Denied",
    },
    {
      name: "approved with status False",
      conditions: [cond("Approved", "False")],
      want: "Pending",
    },
    { name: "unknown condition types", conditions: [cond("SomethingElse")], want: "Pending" },
    {
      name: "empty certificate is not issued",
      conditions: [cond("Approved")],
      certificate: "",
      want: "Approved",
    },
  ];
  it.each(table)("$name → $want", ({ conditions, certificate, want }) => {
    const obj = makeCsrObject({
      subject: { CN: "x" },
      conditions,
      ...(certificate === undefined ? {} : { certificate }),
    });
    const result = decodeCsrObject(obj);
    expect(result.ok && result.csr.object?.phase).toBe(want);
  });
});

describe("parseCsrInput", () => {
  const a = makeCsrObject({ subject: { CN: "a" }, name: "a" });
  const b = makeCsrObject({ subject: { CN: "b" }, name: "b" });
  const names = (text: string): unknown[] => {
    const input = parseCsrInput(text);
    if (!input.ok) return [input.error.code];
    return input.items.map((item) => {
      if (item.kind === "pem") return "pem";
      const decoded = decodeCsrObject(item.value);
      return decoded.ok ? decoded.csr.object?.name : decoded.error.code;
    });
  };

  it("reads one YAML object", () => {
    expect(names(stringify(a))).toEqual(["a"]);
  });
  it("reads JSON", () => {
    expect(names(JSON.stringify(a, null, 2))).toEqual(["a"]);
  });
  it("reads several YAML documents, skipping empty ones", () => {
    expect(names(`---\n${stringify(a)}---\n---\n${stringify(b)}`)).toEqual(["a", "b"]);
  });
  it("reads a List and a CertificateSigningRequestList", () => {
    expect(names(stringify({ apiVersion: "v1", kind: "List", items: [a, b] }))).toEqual(["a", "b"]);
    expect(
      names(
        JSON.stringify({
          apiVersion: "certificates.k8s.io/v1",
          kind: "CertificateSigningRequestList",
          items: [b],
        }),
      ),
    ).toEqual(["b"]);
  });
  it("reads a bare PEM", () => {
    const pem = Buffer.from((a.spec as { request: string }).request, "base64").toString();
    expect(names(`\n${pem}`)).toEqual(["pem"]);
  });
  it("passes other kinds on to decoding, which rejects them", () => {
    expect(names("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n")).toEqual(["not-a-csr-object"]);
  });
  it("rejects empty input, scalars and broken YAML", () => {
    expect(names("")).toEqual(["not-a-csr-object"]);
    expect(names("just words")).toEqual(["not-a-csr-object"]);
    expect(names("a: [1, 2")).toEqual(["not-yaml-or-json"]);
    expect(names("a: 1\na: 2\n")).toEqual(["not-yaml-or-json"]);
  });
  it("refuses an alias bomb", () => {
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x, x]",
      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
      "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]",
      "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]",
    ].join("\n");
    expect(names(bomb)).toEqual(["not-yaml-or-json"]);
  });
});
