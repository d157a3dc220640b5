/**
 * The always-on checks about what a reviewer reads: hidden characters in any subject value, SAN
 * or requester field are denied (`deceptive-characters`); over-long CN, O and OU are noted.
 */
import { describe, expect, it } from "vitest";
import type { DecodeResult, Requester, SubjectAttribute } from "../../../src/core/csr/types.ts";
import { DEFAULT_POLICY } from "../../../src/core/policy/default-policy.ts";
import { evaluate } from "../../../src/core/policy/evaluate.ts";
import type { Reason } from "../../../src/core/policy/verdict.ts";
import { LOOKALIKES, RAW_HIDDEN, TERMINAL_AND_INVISIBLE } from "../../support/hostile-strings.ts";
import { codes, decoded, dns, email, userClientSpec, type CsrSpec } from "./decoded-csr.ts";

/** A user client CSR the default policy allows, with its parts changed. */
function userClient(
  spec: CsrSpec = {},
  change: { requester?: Partial<Requester>; attributes?: SubjectAttribute[] } = {},
): DecodeResult {
  const result = decoded({ ...userClientSpec(), ...spec });
  if (!result.ok || result.csr.object === undefined) throw new Error("unexpected fixture");
  const { object, request } = result.csr;
  return {
    ok: true,
    csr: {
      object: { ...object, requester: { ...object.requester, ...change.requester } },
      request: {
        ...request,
        subject: {
          ...request.subject,
          attributes: [...request.subject.attributes, ...(change.attributes ?? [])],
        },
      },
    },
  };
}

function deceptive(result: DecodeResult): Reason[] {
  return evaluate(DEFAULT_POLICY, result).reasons.filter((r) => r.code === "deceptive-characters");
}

describe("deceptive-characters: always denied, whatever the policy allows", () => {
  it("the fixture is allowed as it is", () => {
    expect(evaluate(DEFAULT_POLICY, userClient()).decision).toBe("allow");
  });

  it.each(Object.entries(TERMINAL_AND_INVISIBLE))(
    "%s in the requester's username",
    (_name, value) => {
      const verdict = evaluate(DEFAULT_POLICY, userClient({ username: value }));
      expect(verdict.decision).toBe("deny");
      expect(codes(verdict.reasons)).toEqual(["deceptive-characters"]);
      const [reason] = verdict.reasons;
      expect(reason?.field).toBe("spec.username");
      expect(reason?.message).toMatch(/^spec\.username contains /);
      // The message names the character in printable ASCII, and holds no raw hidden character.
      expect(reason?.message).toMatch(/U\+[0-9A-F]{4,}/);
      expect(reason?.message).not.toMatch(RAW_HIDDEN);
    },
  );

  it("names the field and the character, and shows the value escaped", () => {
    const [reason] = deceptive(
      userClient({ groups: ["system:authenticated", "system\u200B:masters"] }),
    );
    expect(reason).toEqual({
      code: "deceptive-characters",
      field: "spec.groups[1]",
      message:
        'spec.groups[1] contains a hidden character: U+200B ZERO WIDTH SPACE (invisible) at character 7; it reads as "system<U+200B>:masters"',
    });
  });

  it("lists three distinct characters with their positions, then counts the others", () => {
    const [reason] = deceptive(userClient({ cns: ["a\x1b[2J\r\n\u202Eb\u2060"] }));
    expect(reason?.message).toBe(
      'request.subject.CN contains 5 hidden characters: U+001B ESCAPE (C0 control) at character 2, U+000D CARRIAGE RETURN (C0 control) at character 6, U+000A LINE FEED (C0 control) at character 7, and 2 other characters; it reads as "a\\x1b[2J\\r\\n<U+202E>b<U+2060>"',
    );
    const [repeated] = deceptive(userClient({ cns: ["\x1b[2J\x1b[0m\x1bx\x1b\x1b\u200B"] }));
    expect(repeated?.message).toMatch(
      /^request\.subject\.CN contains 6 hidden characters: U\+001B ESCAPE \(C0 control\) at characters 1, 5, 9 and 2 more places, U\+200B ZERO WIDTH SPACE \(invisible\) at character 13; /,
    );
    const [two] = deceptive(userClient({ cns: ["a\rb\r"] }));
    expect(two?.message).toMatch(/CARRIAGE RETURN \(C0 control\) at characters 2 and 4; /);
  });

  it.each<[string, DecodeResult, string]>([
    ["CN", userClient({ cns: ["alice\u202E"] }), "request.subject.CN"],
    ["O", userClient({ orgs: ["dev\u00ADelopers"] }), "request.subject.O"],
    [
      "OU",
      userClient({}, { attributes: [{ type: "OU", oid: "2.5.4.11", value: "ops\uFEFF" }] }),
      "request.subject.OU",
    ],
    [
      "another attribute",
      userClient({}, { attributes: [{ type: "L", oid: "2.5.4.7", value: "Berlin\x07" }] }),
      "request.subject.L",
    ],
    [
      "a DNS SAN",
      userClient({ sans: [dns("ok.example.com"), dns("a\u200Db.example.com")] }),
      "request.subjectAltNames[1]",
    ],
    [
      "an email SAN",
      userClient({ sans: [email("a\u0000@example.com")] }),
      "request.subjectAltNames[0]",
    ],
    ["the username", userClient({ username: "admin\u2066" }), "spec.username"],
    ["the requester uid", userClient({}, { requester: { uid: "u\x1b]0;t\x07" } }), "spec.uid"],
    ["a group", userClient({ groups: ["\u2028"] }), "spec.groups[0]"],
    [
      "an extra key",
      userClient({}, { requester: { extra: { "scope\u200B": ["a"] } } }),
      "spec.extra",
    ],
    [
      "an extra value",
      userClient({}, { requester: { extra: { scopes: ["ok", "b\u009b"] } } }),
      "spec.extra",
    ],
  ])("in %s", (_name, result, field) => {
    const reasons = deceptive(result);
    expect(reasons.map((r) => r.field)).toEqual([field]);
    expect(evaluate(DEFAULT_POLICY, result).decision).toBe("deny");
  });

  it("says which extra key and value, with the key escaped", () => {
    const reasons = deceptive(userClient({}, { requester: { extra: { "k\u200B": ["v\r"] } } }));
    expect(reasons.map((r) => r.message.split(" contains ")[0])).toEqual([
      'spec.extra key "k<U+200B>"',
      'spec.extra["k<U+200B>"][0]',
    ]);
  });

  it("names a SAN by its place and its type", () => {
    const [reason] = deceptive(userClient({ sans: [dns("ok.example.com"), email("a\u200B@b")] }));
    expect(reason).toEqual({
      code: "deceptive-characters",
      field: "request.subjectAltNames[1]",
      message:
        'request.subjectAltNames[1] (email) contains a hidden character: U+200B ZERO WIDTH SPACE (invisible) at character 2; it reads as "a<U+200B>@b"',
    });
  });

  it("cuts a long extra key to 80 characters where it names it", () => {
    const key = `scope-${"k".repeat(100)}\u200B`;
    const reasons = deceptive(userClient({}, { requester: { extra: { [key]: ["v"] } } }));
    // 107 characters: cut to at most 80 with its marker (the default for a value would be 200).
    const shown = `scope-${"k".repeat(53)}… 48 more characters`;
    expect(reasons.map((r) => r.message.split(" contains ")[0])).toEqual([
      `spec.extra key "${shown}"`,
    ]);
  });

  it.each(Object.entries(LOOKALIKES))(
    "%s is shown with its code points, not denied",
    (_n, { value }) => {
      expect(deceptive(userClient({ username: value }))).toEqual([]);
    },
  );

  it("applies to a bare PEM and to an undecodable request's object too", () => {
    expect(
      deceptive(decoded({ ...userClientSpec(), bare: true, cns: ["x\u202Ey"] })).map(
        (r) => r.field,
      ),
    ).toEqual(["request.subject.CN"]);
    const result = userClient({ username: "bob\x1b[2J" });
    if (!result.ok) throw new Error("unexpected fixture");
    const undecodable: DecodeResult = {
      ok: false,
      error: { code: "malformed-der", message: "DER ends early" },
      object: result.csr.object,
    };
    expect(codes(evaluate(DEFAULT_POLICY, undecodable).reasons)).toEqual([
      "deceptive-characters",
      "undecodable",
    ]);
  });
});

describe("subject-value-too-long: a note for the reviewer, never a denial", () => {
  it.each([
    ["CN", { cns: ["c".repeat(65)] }, "request.subject.CN is 65 characters"],
    ["O", { orgs: ["o".repeat(300)] }, "request.subject.O is 300 characters"],
  ])("%s over 64 characters", (_name, spec, start) => {
    const verdict = evaluate(DEFAULT_POLICY, userClient(spec));
    expect(verdict.decision).toBe("allow");
    const notes = verdict.notes.filter((n) => n.code === "subject-value-too-long");
    expect(notes).toHaveLength(1);
    expect(notes[0]?.message).toMatch(new RegExp(`^${start}, over X\\.520's upper bound of 64`));
  });

  it("OU over 64 characters, counted in characters rather than UTF-16 units", () => {
    const ou = (value: string): DecodeResult =>
      userClient({}, { attributes: [{ type: "OU", oid: "2.5.4.11", value }] });
    const long = evaluate(DEFAULT_POLICY, ou("\u{1F600}".repeat(65)));
    expect(long.notes.map((n) => n.field)).toEqual(["request.subject.OU"]);
    const fits = evaluate(DEFAULT_POLICY, ou("\u{1F600}".repeat(64)));
    expect(fits.notes).toEqual([]);
  });

  it("nothing for values within the bounds, or for other attributes", () => {
    const verdict = evaluate(
      DEFAULT_POLICY,
      userClient(
        { cns: ["c".repeat(64)], orgs: ["o".repeat(64)] },
        { attributes: [{ type: "L", oid: "2.5.4.7", value: "l".repeat(200) }] },
      ),
    );
    expect(verdict.notes).toEqual([]);
  });
});
