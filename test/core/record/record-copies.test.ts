/**
 * What buildRecord copies from the decoded CSR and how renderRecord writes it: every subject field
 * (organizational units too), requester.extra keys as ordinary own data properties, no YAML alias
 * for a value given twice, the exact refusal for a CSR without its object, and the git blob id of
 * a rendered record. Written from the survivors of the mutation run of src/core/record
 * (docs/mutation.md).
 */
import { describe, expect, it } from "vitest";
import { decodeCsrPem } from "../../../src/core/csr/decode.ts";
import { gitBlobSha } from "../../../src/core/record/git-blob-sha.ts";
import { parseAppBranch, parseCsrPath } from "../../../src/core/record/layout.ts";
import {
  buildRecord,
  parseRecord,
  renderRecord,
  type CsrRecord,
} from "../../../src/core/record/record.ts";
import { makeCsrObject, userClient } from "../../support/make-csr.ts";
import { fixedKeyPair } from "../../support/fixed-keys.ts";
import { BASE_COMMIT, RECORDED_AT, recordFor, UID, userRecord } from "./record-fixtures.ts";

describe("buildRecord", () => {
  it("copies the subject's organizational units", () => {
    const record = recordFor({ subject: { CN: "alice", O: ["dev"], OU: ["ops", "sre"] } });
    expect(record.request.decoded?.subject).toMatchObject({
      commonName: "alice",
      organizations: ["dev"],
      organizationalUnits: ["ops", "sre"],
    });
  });

  it("gives every requester.extra key, __proto__ too, as an ordinary own data property", () => {
    const object = makeCsrObject({
      ...userClient("alice"),
      keyPair: fixedKeyPair("rsa2048"),
      key: "rsa2048",
      uid: UID,
      extra: { ["__proto__"]: ["x"], scopes: ["read"] },
    });
    const extra = recordFor({}, { object }).csr.requester.extra;
    const ordinary = (value: string[]) => ({
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
    expect(Object.getOwnPropertyDescriptor(extra, "__proto__")).toEqual(ordinary(["x"]));
    expect(Object.getOwnPropertyDescriptor(extra, "scopes")).toEqual(ordinary(["read"]));
  });

  it("reads requester.extra back with the same ordinary own properties", () => {
    const object = makeCsrObject({
      ...userClient("alice"),
      keyPair: fixedKeyPair("rsa2048"),
      key: "rsa2048",
      uid: UID,
      extra: { ["__proto__"]: ["x"] },
    });
    const parsed = parseRecord(renderRecord(recordFor({}, { object })));
    const extra = parsed.ok ? parsed.record.csr.requester.extra : {};
    expect(Object.getOwnPropertyDescriptor(extra, "__proto__")).toEqual({
      value: ["x"],
      writable: true,
      enumerable: true,
      configurable: true,
    });
  });

  it("refuses a CSR without its Kubernetes object, in those words", () => {
    const result = buildRecord({
      cluster: "prod-eu",
      recordedAt: RECORDED_AT,
      decoded: decodeCsrPem("not a pem"),
      specRequest: "",
      verdict: {
        decision: "deny",
        reasons: [],
        notes: [],
        requiredApprovals: 2,
        signerRule: undefined,
      },
      policy: { source: "builtin", blobSha: null, configBlobSha: null, baseCommit: BASE_COMMIT },
      supersedes: [],
    });
    expect(result).toEqual({
      ok: false,
      message: "a CSR without its Kubernetes object cannot be recorded",
    });
  });
});

describe("parseRecord", () => {
  const withExtra = (yaml: string): string =>
    renderRecord(userRecord()).replace("    extra: {}\n", `    extra:\n${yaml}`);

  it.each([
    ["numbers", "      __proto__: [1, 2]\n"],
    ["a map among strings", "      __proto__: [x, {a: b}]\n"],
    ["a number", "      __proto__: 5\n"],
  ])(
    "refuses a __proto__ extra key whose value holds %s (zod's record() would drop it unread)",
    (_, yaml) => {
      expect(parseRecord(withExtra(yaml))).toEqual({
        ok: false,
        errors: [
          {
            file: "record.yaml",
            line: 1,
            column: 1,
            field: "csr.requester.extra",
            message: "expected every value to be a list of strings",
          },
        ],
      });
    },
  );

  it("keeps a __proto__ extra key that holds a list of strings", () => {
    const parsed = parseRecord(withExtra("      __proto__: [x]\n      ok: [y]\n"));
    const extra = parsed.ok ? parsed.record.csr.requester.extra : {};
    expect(Object.getOwnPropertyNames(extra)).toEqual(["__proto__", "ok"]);
    expect(Object.getOwnPropertyDescriptor(extra, "__proto__")?.value).toEqual(["x"]);
  });
});

describe("renderRecord", () => {
  it("writes a value given twice in full both times: no YAML anchor or alias", () => {
    const base = userRecord();
    const groups = ["dev", "ops"];
    const shared: CsrRecord = {
      ...base,
      csr: { ...base.csr, usages: groups, requester: { ...base.csr.requester, groups } },
    };
    const text = renderRecord(shared);
    expect(text).not.toMatch(/[&*]a\d/);
    expect(parseRecord(text)).toEqual({ ok: true, record: shared });
  });
});

describe("gitBlobSha", () => {
  it("is git's blob id of the text's UTF-8 bytes (git hash-object)", () => {
    expect(gitBlobSha("")).toBe("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
    expect(gitBlobSha("é\n")).toBe("c6003325155f475bd7c87731607525dce73be9cf");
  });
});

describe("parseAppBranch", () => {
  it.each([
    "csr-gitops/prod/xbatch-0123456789abcdef",
    "csr-gitops/prod/batch-0123456789abcdef0",
    "csr-gitops/prod/batch-0123456789abcde",
  ])("refuses %s, which the app never makes", (branch) => {
    expect(parseAppBranch(branch)).toBeUndefined();
  });
});

describe("parseCsrPath", () => {
  it("names the path it refuses", () => {
    expect(parseCsrPath("clusters/prod/README.md")).toEqual({
      ok: false,
      message: '"clusters/prod/README.md" is not a CSR file path',
    });
  });
});
