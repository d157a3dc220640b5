import { execFileSync } from "node:child_process";
import { KubeServerError } from "./kube-server-error.ts";

/** Compares dotted versions numerically ("1.26.0" vs "1.25.7"); missing parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Parses `go env GOVERSION` output ("go1.26.8", "go1.26rc1") to "1.26.8" / "1.26". */
export function parseGoVersion(output: string): string | undefined {
  return /^go(\d+\.\d+(?:\.\d+)?)/.exec(output.trim())?.[1];
}

/**
 * Checks that `go` is on PATH and at least `required`. Go would otherwise try to download a newer
 * toolchain (GOTOOLCHAIN=auto) or fail deep inside the build with a less clear message.
 */
export function checkGo(required: string, env: NodeJS.ProcessEnv): string {
  let output: string;
  try {
    output = execFileSync("go", ["env", "GOVERSION"], { env, encoding: "utf8" });
  } catch (err) {
    throw new KubeServerError(
      "Go is not installed or not on PATH; the Kubernetes test server is built from Go sources.",
      `install Go ${required} or newer (https://go.dev/dl/) and put its bin folder on PATH`,
      { cause: err },
    );
  }
  const version = parseGoVersion(output);
  if (version === undefined || compareVersions(version, required) < 0) {
    throw new KubeServerError(
      `Go ${version ?? output.trim()} is too old: test/kube-server/go.mod needs Go ${required}.`,
      `install Go ${required} or newer (https://go.dev/dl/) and put it first on PATH`,
    );
  }
  return version;
}
