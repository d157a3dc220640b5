/**
 * Each placeholder's value as a reviewer reads it in the pull request: the reasons and notes
 * blocks, long lists cut at 25 items, lifetimes, keys, the requester, extra, and a request that
 * could not be decoded. Records are the fixtures' with one field changed.
 */
import { describe, expect, it } from "vitest";
import { placeholderValues } from "../../../src/core/record/render-pr.ts";
import type { CsrRecord, RecordReason } from "../../../src/core/record/record-schema.ts";
import { servingRecord, UID } from "./record-fixtures.ts";

const context = { recordPath: `clusters/prod-eu/csr-8k2lq_${UID}/record.yaml`, superseded: [] };

function values(change: (record: CsrRecord) => CsrRecord = (r) => r) {
  return placeholderValues(change(servingRecord()), context);
}

function withCsr(csr: Partial<CsrRecord["csr"]>) {
  return values((r) => ({ ...r, csr: { ...r.csr, ...csr } }));
}

function withRequester(requester: Partial<CsrRecord["csr"]["requester"]>) {
  return values((r) => ({
    ...r,
    csr: { ...r.csr, requester: { ...r.csr.requester, ...requester } },
  }));
}

function withVerdict(verdict: Partial<CsrRecord["verdict"]>) {
  return values((r) => ({ ...r, verdict: { ...r.verdict, ...verdict } }));
}

function withDecoded(decoded: Partial<NonNullable<CsrRecord["request"]["decoded"]>> | null) {
  return values((r) => {
    const before = r.request.decoded;
    if (before === null) throw new Error("fixture");
    return {
      ...r,
      request: { ...r.request, decoded: decoded === null ? null : { ...before, ...decoded } },
    };
  });
}

const reasons = (n: number, prefix = "r"): RecordReason[] =>
  Array.from({ length: n }, (_, i) => ({ code: `${prefix}${i}`, message: `message ${i}` }));

const reasonLines = (n: number, prefix = "r"): string[] =>
  Array.from({ length: n }, (_, i) => `- \`${prefix}${i}\`: \`message ${i}\``);

const codes = (n: number, prefix: string): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe("the reasons placeholder", () => {
  it("is empty when there are neither reasons nor notes", () => {
    expect(withVerdict({ reasons: [], notes: [] }).reasons).toBe("");
  });

  it("lists each reason with its field when it has one", () => {
    const block = withVerdict({
      decision: "deny",
      reasons: [
        { code: "san-not-allowed", message: "DNS name not allowed", field: "spec.request.dns[0]" },
        { code: "wrong-group", message: "not a node" },
      ],
    }).reasons;
    expect(block).toBe(
      [
        "Reasons to deny:",
        "",
        "- `san-not-allowed`: `DNS name not allowed` (`spec.request.dns[0]`)",
        "- `wrong-group`: `not a node`",
      ].join("\n"),
    );
  });

  it("shows exactly 25 reasons in full, and the first 25 of 26 with a count", () => {
    expect(withVerdict({ reasons: reasons(25) }).reasons).toBe(
      ["Reasons to deny:", "", ...reasonLines(25)].join("\n"),
    );
    expect(withVerdict({ reasons: reasons(26) }).reasons).toBe(
      ["Reasons to deny:", "", ...reasonLines(25), "- and 1 more (see the record file)"].join("\n"),
    );
    expect(
      withVerdict({ reasons: reasons(28) })
        .reasons.split("\n")
        .at(-1),
    ).toBe("- and 3 more (see the record file)");
  });

  it("shows notes alone under their heading, and after the reasons with one blank line", () => {
    expect(withVerdict({ notes: reasons(2, "n") }).reasons).toBe(
      ["Notes:", "", ...reasonLines(2, "n")].join("\n"),
    );
    expect(withVerdict({ reasons: reasons(1), notes: reasons(1, "n") }).reasons).toBe(
      ["Reasons to deny:", "", ...reasonLines(1), "", "Notes:", "", ...reasonLines(1, "n")].join(
        "\n",
      ),
    );
  });

  it("shows exactly 25 notes in full, and the first 25 of 26 with a count", () => {
    expect(withVerdict({ notes: reasons(25, "n") }).reasons).toBe(
      ["Notes:", "", ...reasonLines(25, "n")].join("\n"),
    );
    expect(withVerdict({ notes: reasons(26, "n") }).reasons).toBe(
      ["Notes:", "", ...reasonLines(25, "n"), "- and 1 more (see the record file)"].join("\n"),
    );
    expect(
      withVerdict({ notes: reasons(28, "n") })
        .reasons.split("\n")
        .at(-1),
    ).toBe("- and 3 more (see the record file)");
  });

  it("keeps a message of up to 320 characters whole, and cuts a code at 120", () => {
    const message = "m".repeat(300);
    const code = "c".repeat(150);
    expect(withVerdict({ reasons: [{ code, message }] }).reasons.split("\n")[2]).toBe(
      `- \`${"c".repeat(99)}\`… 51 more characters: \`${message}\``,
    );
  });
});

describe("lists", () => {
  it("shows exactly 25 items in full, and the first 25 of 26 with a count", () => {
    expect(withCsr({ usages: codes(25, "u") }).usages).toBe(
      codes(25, "u")
        .map((u) => `\`${u}\``)
        .join(", "),
    );
    expect(withCsr({ usages: codes(26, "u") }).usages).toBe(
      `${codes(25, "u")
        .map((u) => `\`${u}\``)
        .join(", ")}, and 1 more (see the record file)`,
    );
  });

  it("says (none) for no usages, no groups and no extra", () => {
    const empty = values((r) => ({
      ...r,
      csr: { ...r.csr, usages: [], requester: { ...r.csr.requester, groups: [], extra: {} } },
    }));
    expect([empty.usages, empty.groups, empty.extra]).toEqual(["(none)", "(none)", "(none)"]);
  });
});

describe("the requester", () => {
  it("is the username alone without a uid, and with its uid when it has one", () => {
    expect(withRequester({ uid: "" }).requester).toBe("`system:node:worker-1`");
    expect(withRequester({ uid: "u-42" }).requester).toBe("`system:node:worker-1` (uid `u-42`)");
  });

  it("notes a name's non-ASCII characters and cuts names at 120 characters", () => {
    expect(withRequester({ username: "\u0430dmin" }).requester).toBe(
      "`\u0430dmin` (non-ASCII: U+0430)",
    );
    expect(withRequester({ groups: ["g".repeat(150)] }).groups).toBe(
      `\`${"g".repeat(99)}\`… 51 more characters`,
    );
  });

  it("shows each extra key with its values, and (none) for a key without values", () => {
    expect(withRequester({ extra: { scopes: ["a", "b"], empty: [] } }).extra).toBe(
      "`scopes`=`a`, `b`, `empty`=(none)",
    );
  });
});

describe("the lifetime", () => {
  it.each([
    [null, "not requested (the signer's default applies)"],
    [86_400, "1 day (86400 s)"],
    [172_800, "2 days (172800 s)"],
    [3600, "1 hour (3600 s)"],
    [7200, "2 hours (7200 s)"],
    [1, "1 second (1 s)"],
    [5400, "5400 seconds (5400 s)"],
  ])("of %s seconds reads %s", (expirationSeconds, text) => {
    expect(withCsr({ expirationSeconds }).lifetime).toBe(text);
  });
});

describe("the key", () => {
  it.each([
    [{ algorithm: "RSA", bits: 3072 } as const, "RSA 3072 bits"],
    [{ algorithm: "ECDSA", curve: "P-384" } as const, "ECDSA P-384"],
    [{ algorithm: "Ed25519" } as const, "Ed25519"],
  ])("%o reads %s", (publicKey, text) => {
    expect(withDecoded({ publicKey }).key).toBe(text);
  });
});

describe("a request that could not be decoded", () => {
  it("says so for the subject, its names, the key and the common name", () => {
    const v = withDecoded(null);
    expect([v.subject, v.subjectAltNames, v.key, v.commonName]).toEqual([
      "(the request could not be decoded)",
      "(unknown)",
      "(unknown)",
      "(undecodable request)",
    ]);
  });

  it("says (empty subject) for a decoded request without subject attributes", () => {
    const v = withDecoded({
      subject: { commonName: "", organizations: [], organizationalUnits: [], attributes: [] },
    });
    expect(v.subject).toBe("(empty subject)");
  });
});

describe("plain values", () => {
  it("cuts a value at 120 characters", () => {
    expect(values((r) => ({ ...r, cluster: "k".repeat(150) })).cluster).toBe(
      `\`${"k".repeat(99)}\`… 51 more characters`,
    );
  });
});
