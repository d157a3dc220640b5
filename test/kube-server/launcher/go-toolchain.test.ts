import { describe, expect, it } from "vitest";
import { compareVersions, parseGoVersion } from "./go-toolchain.ts";

describe("Go version checks", () => {
  it.each([
    ["go1.26.8", "1.26.8"],
    ["go1.26.0\n", "1.26.0"],
    ["go1.27rc1", "1.27"],
    ["devel go1.27-abc", undefined],
    ["", undefined],
  ])("reads %j as %j", (output, version) => {
    expect(parseGoVersion(output)).toBe(version);
  });

  it.each([
    ["1.26.8", "1.26.0", 1],
    ["1.26", "1.26.0", 0],
    ["1.25.9", "1.26.0", -1],
    ["1.100.0", "1.26.0", 1],
  ])("compares %s with %s numerically", (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign);
  });
});
