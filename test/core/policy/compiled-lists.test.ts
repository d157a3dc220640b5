/**
 * The policy's lists are compiled once per policy (compile-per-list.ts): the compiled form must be
 * reused for the same list, never shared with another list, and give exactly the verdicts of the
 * per-pattern functions it replaces.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compilePerList } from "../../../src/core/policy/compile-per-list.ts";
import {
  anyDnsPatternMayCover,
  dnsPatternMayCover,
  matchAnyDnsPattern,
  matchDnsPattern,
} from "../../../src/core/policy/dns-pattern.ts";
import { matchAnyGlob, matchGlob } from "../../../src/core/policy/glob.ts";
import { DEFAULT_POLICY, evaluate, PolicySchema } from "../../../src/core/policy/index.ts";
import { resolveAll } from "../../../src/core/policy/requester-template.ts";
import type { Policy, PolicyInput } from "../../../src/core/policy/index.ts";
import { codes, decoded, dns, ip, userClientSpec } from "./decoded-csr.ts";

describe("compilePerList", () => {
  it("compiles a list once and hands back the same compiled value", () => {
    const calls: (readonly string[])[] = [];
    const lengths = compilePerList((list) => {
      calls.push(list);
      return { count: list.length };
    });
    const list = ["a", "b"];
    const first = lengths(list);
    expect(lengths(list)).toBe(first);
    expect(first).toEqual({ count: 2 });
    expect(calls).toEqual([list]);
  });

  it("compiles another list on its own, even with the same contents", () => {
    let calls = 0;
    const joined = compilePerList((list) => {
      calls++;
      return list.join(",");
    });
    expect(joined(["a"])).toBe("a");
    expect(joined(["b", "c"])).toBe("b,c");
    expect(joined(["a"])).toBe("a");
    expect(calls).toBe(3);
  });
});

describe("DNS pattern lists read the name once", () => {
  const forbidden = ["kubernetes.default.svc", "**.svc", "localhost", "*.example.com"];

  it.each([
    ["kubernetes.default.svc", true],
    ["*.default.svc", true],
    ["a.b.svc", true],
    ["*.svc", true],
    ["*.example.com", true],
    ["*.a.example.com", false],
    ["LOCALHOST", true],
    // A bare "*" is a certificate for every one-label name, "localhost" among them.
    ["*", true],
    ["node-1", false],
    ["node-1.svc.", false],
    ["a..svc", false],
    ["bad name.svc", false],
  ])("the deny-list may cover %s: %s", (name, expected) => {
    expect(anyDnsPatternMayCover(forbidden, name)).toBe(expected);
    expect(forbidden.some((p) => dnsPatternMayCover(p, name))).toBe(expected);
  });

  it("an empty list covers and matches nothing", () => {
    expect(anyDnsPatternMayCover([], "a.svc")).toBe(false);
    expect(anyDnsPatternMayCover([], "*.svc")).toBe(false);
    expect(matchAnyDnsPattern([], "a.svc")).toBe(false);
  });

  it("a wildcard name is tried against every pattern, not only the first", () => {
    expect(anyDnsPatternMayCover(["a.b.c", "kubernetes.default.svc"], "*.default.svc")).toBe(true);
    expect(anyDnsPatternMayCover(["kubernetes.default.svc", "a.b.c"], "*.x.y")).toBe(false);
  });

  it("agrees with the one-pattern functions on random lists and names (seeded)", () => {
    const label = fc.constantFrom("*", "**", "a", "B", "svc", "x-y", "", "a*", "é", "k8s");
    const text = fc.array(label, { minLength: 1, maxLength: 4 }).map((l) => l.join("."));
    fc.assert(
      fc.property(fc.array(text, { maxLength: 4 }), text, (patterns, name) => {
        expect(anyDnsPatternMayCover(patterns, name)).toBe(
          patterns.some((p) => dnsPatternMayCover(p, name)),
        );
        expect(matchAnyDnsPattern(patterns, name)).toBe(
          patterns.some((p) => matchDnsPattern(p, name)),
        );
      }),
      { seed: 20261129, numRuns: 2000 },
    );
  });
});

describe("glob lists are split once", () => {
  it("a list matches as its patterns do, every time it is asked", () => {
    const list = ["system:node:*", "exact", "a*b*c"];
    for (let round = 0; round < 2; round++) {
      expect(matchAnyGlob(list, "system:node:x")).toBe(true);
      expect(matchAnyGlob(list, "exact")).toBe(true);
      expect(matchAnyGlob(list, "aXbYc")).toBe(true);
      expect(matchAnyGlob(list, "Exact")).toBe(false);
      expect(matchAnyGlob(list, "acb")).toBe(false);
    }
    expect(matchAnyGlob([], "")).toBe(false);
  });

  it("agrees with matchGlob on random lists and values (seeded)", () => {
    const piece = fc.constantFrom("*", "a", "b", ":", "ab", "");
    const pattern = fc.array(piece, { maxLength: 5 }).map((p) => p.join(""));
    const value = fc
      .array(fc.constantFrom("a", "b", ":", "c"), { maxLength: 6 })
      .map((v) => v.join(""));
    fc.assert(
      fc.property(fc.array(pattern, { maxLength: 4 }), value, (patterns, v) => {
        expect(matchAnyGlob(patterns, v)).toBe(patterns.some((p) => matchGlob(p, v)));
      }),
      { seed: 20261130, numRuns: 2000 },
    );
  });
});

describe("template lists", () => {
  const values = { "{node}": "node-1" };

  it("a list without templates is handed back as it is, so its compiled forms are reused", () => {
    const list = ["system:nodes", "*.example.com"];
    expect(resolveAll(list, values)).toBe(list);
    expect(resolveAll(list, {})).toBe(list);
  });

  it("a list with one template among plain patterns resolves them all", () => {
    expect(resolveAll(["plain", "{node}", "**.{node}"], values)).toEqual([
      "plain",
      "node-1",
      "**.node-1",
    ]);
    expect(resolveAll(["{node}", "plain"], {})).toEqual(["plain"]);
  });
});

/** The default policy with the kubelet-serving rule's lists replaced. */
function servingPolicy(sans: Record<string, unknown>, extra: Record<string, unknown> = {}): Policy {
  const input = structuredClone(DEFAULT_POLICY) as unknown as PolicyInput;
  const rule = input.signers["kubernetes.io/kubelet-serving"];
  if (rule === undefined) throw new Error("the default policy has a kubelet-serving rule");
  rule.subjectAltNames = { ...rule.subjectAltNames, ...sans };
  Object.assign(rule, extra);
  return PolicySchema.parse(input);
}

describe("each policy is judged by its own compiled lists", () => {
  const csr = decoded({ sans: [dns("node-1"), ip("10.1.2.3")] });

  it("two policies differing only in their CIDR lists, evaluated in turn", () => {
    const open = servingPolicy({ ipAddresses: ["10.0.0.0/8"], forbiddenIpAddresses: [] });
    const closed = servingPolicy({
      ipAddresses: ["10.0.0.0/8"],
      forbiddenIpAddresses: ["10.1.0.0/16"],
    });
    const narrow = servingPolicy({ ipAddresses: ["10.2.0.0/16"], forbiddenIpAddresses: [] });
    for (let round = 0; round < 2; round++) {
      expect(evaluate(open, csr).decision).toBe("allow");
      expect(codes(evaluate(closed, csr).reasons)).toEqual(["san-ip-forbidden"]);
      expect(codes(evaluate(narrow, csr).reasons)).toEqual(["san-ip-not-allowed"]);
    }
  });

  it("two policies differing only in their forbidden DNS names, evaluated in turn", () => {
    const plain = servingPolicy({ forbiddenDnsNames: [] });
    const below = servingPolicy({ forbiddenDnsNames: ["*.node-1"] });
    const named = servingPolicy({ forbiddenDnsNames: ["NODE-1"] });
    for (let round = 0; round < 2; round++) {
      expect(evaluate(plain, csr).decision).toBe("allow");
      // Names one label below node-1, not node-1 itself.
      expect(evaluate(below, csr).decision).toBe("allow");
      expect(codes(evaluate(named, csr).reasons)).toEqual(["san-dns-forbidden"]);
    }
  });

  it("two policies differing only in their allowed usages, evaluated in turn", () => {
    const wide = servingPolicy({});
    const narrow = servingPolicy(
      {},
      { usages: { allowed: ["server auth"], required: ["server auth"] } },
    );
    for (let round = 0; round < 2; round++) {
      expect(evaluate(wide, csr).decision).toBe("allow");
      expect(codes(evaluate(narrow, csr).reasons)).toEqual(["usage-not-allowed"]);
    }
  });

  it("forbidden organisations: the policy's list and the rule's, each compiled on its own", () => {
    const input = structuredClone(DEFAULT_POLICY) as unknown as PolicyInput;
    input.forbiddenOrganizations = ["Team-Red"];
    const policy = PolicySchema.parse(input);
    for (let round = 0; round < 2; round++) {
      // Folded for the policy's own list ...
      expect(
        codes(evaluate(policy, decoded({ ...userClientSpec(), orgs: ["team-red"] })).reasons),
      ).toEqual(["org-forbidden"]);
      // ... and for the rule's ("system:*"), with the policy's list in front of it.
      expect(
        codes(evaluate(policy, decoded({ ...userClientSpec(), orgs: ["SYSTEM:x"] })).reasons),
      ).toEqual(["org-forbidden"]);
      expect(
        evaluate(policy, decoded({ ...userClientSpec(), orgs: ["system-masters"] })).decision,
      ).toBe("allow");
      expect(
        evaluate(DEFAULT_POLICY, decoded({ ...userClientSpec(), orgs: ["team-red"] })).decision,
      ).toBe("allow");
    }
  });

  it("the same policy judges the same CSR the same every time", () => {
    const first = evaluate(DEFAULT_POLICY, csr);
    expect(evaluate(DEFAULT_POLICY, csr)).toEqual(first);
    expect(first.decision).toBe("allow");
  });
});
