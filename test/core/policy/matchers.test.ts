import { BlockList } from "node:net";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isValidDnsPattern, matchDnsPattern } from "../../../src/core/policy/dns-pattern.ts";
import { matchGlob } from "../../../src/core/policy/glob.ts";
import { cidrContains, parseCidr, parseIpAddress } from "../../../src/core/policy/ip-address.ts";

describe("glob patterns", () => {
  it.each([
    ["system:node:*", "system:node:a", true],
    ["system:node:*", "system:node:", true],
    ["system:node:*", "system:nodes", false],
    ["*", "", true],
    ["a*b*c", "abc", true],
    ["a*b*c", "aXbYc", true],
    ["a*b*c", "acb", false],
    ["ab*ba", "aba", false],
    // A middle part must be there, between the prefix and the suffix, not overlapping them.
    ["a*b*c", "aXc", false],
    ["a*bc*c", "abc", false],
    ["a*b*b", "ab", false],
    ["a*b*b", "abb", true],
    ["*b*", "abc", true],
    ["*b*", "ac", false],
    // A middle part may start the value when the pattern opens with a star.
    ["*a*", "ab", true],
    ["**", "x", true],
    // Middle parts are found one after the other, never overlapping.
    ["*ab*ba*", "aba", false],
    ["*ab*ba*", "abba", true],
    ["exact", "exact", true],
    ["exact", "Exact", false],
    ["*.svc", "x.svc.evil", false],
  ])("%s vs %s -> %s", (pattern, value, expected) => {
    expect(matchGlob(pattern, value)).toBe(expected);
  });
});

describe("DNS patterns", () => {
  it.each([
    ["*.example.com", "a.example.com", true],
    ["*.example.com", "example.com", false],
    ["*.example.com", "a.b.example.com", false],
    ["*.example.com", "*.example.com", true],
    ["a.example.com", "*.example.com", false],
    ["**.example.com", "a.b.example.com", true],
    ["**.example.com", "example.com", false],
    ["**.example.com", "*.a.example.com", true],
    ["**", "anything.at.all", true],
    ["*.*.example.com", "a.*.example.com", false],
    ["*.example.com", "a*.example.com", false],
    ["node-1", "NODE-1", true],
    ["a.example.com", "a.example.com.", false],
    ["a.example.com", "a..example.com", false],
    // A name is at most 253 characters.
    ["**", `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(61)}`, true],
    ["**", `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(62)}`, false],
  ])("%s vs %s -> %s", (pattern, name, expected) => {
    expect(matchDnsPattern(pattern, name)).toBe(expected);
  });

  it.each([
    ["*.example.com", true],
    ["**.example.com", true],
    ["**", true],
    ["a.**.com", false],
    ["a*.example.com", false],
    ["a..b", false],
    ["", false],
    ["-a.example.com", false],
  ])("pattern %s is valid: %s", (pattern, expected) => {
    expect(isValidDnsPattern(pattern)).toBe(expected);
  });
});

describe("IP addresses and CIDR blocks", () => {
  it.each([
    ["10.0.0.1", [10, 0, 0, 1]],
    ["::1", [...Array<number>(15).fill(0), 1]],
    ["::", Array<number>(16).fill(0)],
    ["fd00::", [0xfd, 0, ...Array<number>(14).fill(0)]],
    ["::ffff:1.2.3.4", [...Array<number>(10).fill(0), 0xff, 0xff, 1, 2, 3, 4]],
    ["1:2:3:4:5:6:7:8", [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]],
  ])("parses %s", (text, bytes) => {
    expect(parseIpAddress(text)?.bytes).toEqual(bytes);
  });

  it.each([
    "256.0.0.1",
    "1.2.3",
    "01.2.3.4",
    "1::2::3",
    "1:2:3:4:5:6:7:8:9",
    "1:2:3:4:5:6:7::8",
    "fe80::1%eth0",
    "",
    "::g",
  ])("rejects address %s", (text) => {
    expect(parseIpAddress(text)).toBeUndefined();
  });

  it.each(["10.0.0.1/8", "10.0.0.0/33", "::1/64", "10.0.0.0/", "10.0.0.0/08", "fd00::/129"])(
    "rejects block %s",
    (text) => {
      expect(parseCidr(text).ok).toBe(false);
    },
  );

  it.each([
    ["10.0.0.1/8", '"10.0.0.1/8" has host bits set beyond /8'],
    ["10.0.0.0/33", '"/33" is not a prefix length from 0 to 32'],
    ["fd00::/129", '"/129" is not a prefix length from 0 to 128'],
    ["10.0.0.0/08", '"/08" is not a prefix length from 0 to 32'],
    ["10.0.0.300/8", '"10.0.0.300" is not an IP address'],
    ["/8", '"" is not an IP address'],
  ])("block %s is refused: %s", (text, message) => {
    expect(parseCidr(text)).toEqual({ ok: false, message });
  });

  it.each([
    ["10.0.0.0/8", "10.255.255.255", true],
    ["10.0.0.0/8", "11.0.0.0", false],
    ["10.20.0.0/15", "10.21.0.1", true],
    ["10.20.0.0/15", "10.22.0.1", false],
    ["0.0.0.0/0", "1.2.3.4", true],
    ["0.0.0.0/0", "::1", false],
    ["::/0", "10.0.0.1", false],
    ["10.0.0.7", "10.0.0.7", true],
    ["10.0.0.7", "10.0.0.6", false],
    ["fd00:20::/64", "fd00:20::ffff:1", true],
    ["fd00:20::/64", "fd00:20:0:1::1", false],
  ])("%s contains %s: %s", (block, address, expected) => {
    const parsed = parseCidr(block);
    const ipAddress = parseIpAddress(address);
    if (!parsed.ok || ipAddress === undefined) throw new Error("test input must parse");
    expect(cidrContains(parsed.block, ipAddress)).toBe(expected);
  });

  it("agrees with node:net BlockList on random IPv4 and IPv6 blocks", () => {
    const v4 = fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 }), fc.ipV4());
    const v6 = fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 }), fc.ipV6());
    const check = (family: "ipv4" | "ipv6") => (net: string, prefix: number, address: string) => {
      const host = parseIpAddress(net);
      const ipAddress = parseIpAddress(address);
      if (host === undefined || ipAddress === undefined) return false;
      // Clear host bits to get a valid block, then compare with Node's matcher.
      const masked = host.bytes.map(
        (b, i) => b & ((0xff << (8 - Math.max(0, Math.min(8, prefix - i * 8)))) & 0xff),
      );
      const text =
        family === "ipv4"
          ? masked.join(".")
          : Array.from({ length: 8 }, (_, i) =>
              (((masked[2 * i] ?? 0) << 8) | (masked[2 * i + 1] ?? 0)).toString(16),
            ).join(":");
      const block = parseCidr(`${text}/${prefix}`);
      if (!block.ok) return false;
      const list = new BlockList();
      list.addSubnet(text, prefix, family);
      return cidrContains(block.block, ipAddress) === list.check(address, family);
    };
    fc.assert(
      fc.property(v4, ([n, p, a]) => check("ipv4")(n, p, a)),
      { seed: 20251201, numRuns: 1000 },
    );
    fc.assert(
      fc.property(v6, ([n, p, a]) => check("ipv6")(n, p, a)),
      { seed: 20251202, numRuns: 1000 },
    );
  });
});
