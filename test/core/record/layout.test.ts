import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  batchBranch,
  batchId,
  csrFolder,
  decisionPath,
  parseAppBranch,
  parseCsrPath,
  recordPath,
  singleBranch,
} from "../../../src/core/record/layout.ts";

const uid = "5b0c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3";
const key = { cluster: "prod-eu", name: "csr-8k2lq", uid };

describe("record layout", () => {
  it("puts a CSR's files in one folder named by name and uid", () => {
    expect(csrFolder(key)).toEqual({ ok: true, value: `clusters/prod-eu/csr-8k2lq_${uid}` });
    expect(recordPath(key)).toEqual({
      ok: true,
      value: `clusters/prod-eu/csr-8k2lq_${uid}/record.yaml`,
    });
    expect(decisionPath(key)).toEqual({
      ok: true,
      value: `clusters/prod-eu/csr-8k2lq_${uid}/decision.yaml`,
    });
  });

  it.each([
    ["a cluster with a slash", { ...key, cluster: "a/b" }, /cluster name/],
    ["an upper-case cluster", { ...key, cluster: "Prod" }, /cluster name/],
    ["a 64-character cluster", { ...key, cluster: "a".repeat(64) }, /cluster name/],
    ["a name with ..", { ...key, name: ".." }, /CSR name/],
    ["a name with a slash", { ...key, name: "a/../../x" }, /CSR name/],
    ["a name with an underscore", { ...key, name: "a_b" }, /CSR name/],
    ["an empty name", { ...key, name: "" }, /CSR name/],
    ["a 254-character name", { ...key, name: "a".repeat(254) }, /CSR name/],
    ["an upper-case uid", { ...key, uid: uid.toUpperCase() }, /uid/],
    ["a uid with a slash", { ...key, uid: "../x" }, /uid/],
  ])("refuses %s", (_, bad, message) => {
    const result = recordPath(bad);
    expect(result.ok ? "(accepted)" : result.message).toMatch(message);
    expect(singleBranch(bad)).toEqual(result);
  });

  it("accepts a 253-character dotted name", () => {
    const name = `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(61)}`;
    expect(name).toHaveLength(253);
    expect(recordPath({ ...key, name }).ok).toBe(true);
  });

  it("reads a path back, and refuses anything else", () => {
    expect(parseCsrPath(`clusters/prod-eu/csr-8k2lq_${uid}/record.yaml`)).toEqual({
      ok: true,
      value: { key, kind: "record" },
    });
    expect(parseCsrPath(`clusters/prod-eu/csr-8k2lq_${uid}/certificate.yaml`)).toEqual({
      ok: true,
      value: { key, kind: "certificate" },
    });
    for (const bad of [
      `clusters/prod-eu/csr-8k2lq_${uid}/record.yml`,
      `clusters/prod-eu/csr-8k2lq_${uid}/x/record.yaml`,
      `clusters/Prod/csr-8k2lq_${uid}/record.yaml`,
      `clusters/prod-eu/CSR_${uid}/record.yaml`,
      `other/prod-eu/csr-8k2lq_${uid}/record.yaml`,
      `/clusters/prod-eu/csr-8k2lq_${uid}/record.yaml`,
      `clusters/prod-eu/csr-8k2lq_${uid}/record.yaml/`,
    ]) {
      expect(parseCsrPath(bad).ok, bad).toBe(false);
    }
  });

  it("names single and batch branches and reads them back", () => {
    expect(singleBranch(key)).toEqual({ ok: true, value: `csr-gitops/prod-eu/${uid}` });
    expect(parseAppBranch(`csr-gitops/prod-eu/${uid}`)).toEqual({
      kind: "single",
      cluster: "prod-eu",
      uid,
    });
    const other = { ...key, uid: "00000000-0000-4000-8000-000000000000" };
    const branch = batchBranch([key, other]);
    expect(branch).toEqual({
      ok: true,
      value: `csr-gitops/prod-eu/batch-${batchId([other.uid, uid])}`,
    });
    expect(batchId([uid, other.uid])).toBe(batchId([other.uid, uid]));
    expect(batchId([uid])).toBe(createHash("sha256").update(uid).digest("hex").slice(0, 16));
    expect(batchId([uid, other.uid])).toBe(
      createHash("sha256").update(`${other.uid}\n${uid}`).digest("hex").slice(0, 16),
    );
    expect(batchId([uid])).not.toBe(batchId([other.uid]));
    if (branch.ok) {
      expect(parseAppBranch(branch.value)).toEqual({
        kind: "batch",
        cluster: "prod-eu",
        batchId: batchId([uid, other.uid]),
      });
    }
    expect(batchBranch([])).toEqual({ ok: false, message: "a batch needs at least one CSR" });
    expect(batchBranch([key, { ...other, cluster: "b" }])).toEqual({
      ok: false,
      message: "a batch holds one cluster",
    });
  });

  it.each([
    "main",
    "csr-gitops/prod-eu",
    `csr-gitops/Prod/${uid}`,
    `csr-gitops/prod-eu/${uid}/x`,
    `refs/heads/csr-gitops/prod-eu/${uid}`,
    "csr-gitops/prod-eu/batch-123",
    `xcsr-gitops/prod-eu/${uid}`,
  ])("does not take %s for an app branch", (branch) => {
    expect(parseAppBranch(branch)).toBeUndefined();
  });
});
