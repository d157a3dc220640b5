import { describe, expect, it } from "vitest";
import { sourceDigest } from "./build.ts";
import { binaryPath } from "./paths.ts";

describe("where the server binary is cached", () => {
  const env = { XDG_CACHE_HOME: "/cache" };

  it("is keyed by the Kubernetes version and the Go sources' digest", () => {
    expect(binaryPath(env, "v1.37.2", `0123456789abcdef${"f".repeat(48)}`)).toBe(
      "/cache/csr-gitops/kube-server/v1.37.2/0123456789abcdef/kube-server",
    );
  });

  it("gives changed sources a binary of their own instead of reusing or replacing another", () => {
    const digest = sourceDigest();
    const changed = `${digest.startsWith("0") ? "1" : "0"}${digest.slice(1)}`;
    expect(binaryPath(env, "v1.37.2", changed)).not.toBe(binaryPath(env, "v1.37.2", digest));
    // Never the path of binaries cached before the digest was part of the key.
    expect(binaryPath(env, "v1.37.2", digest)).not.toBe(
      "/cache/csr-gitops/kube-server/v1.37.2/kube-server",
    );
  });
});
