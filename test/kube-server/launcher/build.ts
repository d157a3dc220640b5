import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  openSync,
  closeSync,
  readFileSync,
  readdirSync,
  renameSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { checkGo } from "./go-toolchain.ts";
import { KubeServerError } from "./kube-server-error.ts";
import { logTail } from "./log-tail.ts";
import { binaryPath, kubernetesVersion, moduleDir, requiredGoVersion } from "./paths.ts";

export interface BuildResult {
  binary: string;
  /** false when the cached binary was reused. */
  built: boolean;
  seconds: number;
}

/**
 * Digest of the server's Go sources (the main package, go.mod, go.sum). It is part of the cache
 * key (paths.ts binaryPath), so an edited main package builds a binary of its own.
 */
export function sourceDigest(): string {
  const hash = createHash("sha256");
  const files = readdirSync(moduleDir)
    .filter(
      (f) => (f.endsWith(".go") && !f.endsWith("_test.go")) || f === "go.mod" || f === "go.sum",
    )
    .sort();
  for (const file of files) {
    hash
      .update(file)
      .update("\0")
      .update(readFileSync(join(moduleDir, file)))
      .update("\0");
  }
  return hash.digest("hex");
}

/**
 * Builds the server binary unless a binary built from the same sources is cached. A cold build
 * compiles Kubernetes and takes many minutes: `onBuildStart` lets the caller say so.
 */
export async function ensureBuilt(
  env: NodeJS.ProcessEnv,
  onBuildStart: (log: string) => void = () => undefined,
): Promise<BuildResult> {
  const started = performance.now();
  const binary = binaryPath(env, kubernetesVersion(), sourceDigest());
  if (existsSync(binary)) {
    return { binary, built: false, seconds: (performance.now() - started) / 1000 };
  }
  checkGo(requiredGoVersion(), env);
  mkdirSync(dirname(binary), { recursive: true });
  const log = join(dirname(binary), "build.log");
  // Per process: two test runs that both find no binary build side by side, and the last
  // rename wins with an equally good binary.
  const partial = `${binary}.partial-${process.pid}`;
  onBuildStart(log);
  const code = await runGoBuild(partial, log, env);
  if (code !== 0) {
    throw new KubeServerError(
      `Building the Kubernetes test server failed (go build exit ${code}). Last lines of the build log:\n` +
        `${logTail(log)}\n  full log: ${log}`,
      "fix the error above (a network failure reaching the Go module proxy is worth a retry), then run `npm run kube-server -- build`",
    );
  }
  // Rename last, so an interrupted build never leaves a binary that looks complete.
  renameSync(partial, binary);
  return { binary, built: true, seconds: (performance.now() - started) / 1000 };
}

function runGoBuild(output: string, log: string, env: NodeJS.ProcessEnv): Promise<number> {
  const fd = openSync(log, "w");
  return new Promise((resolvePromise, reject) => {
    const child = spawn("go", ["build", "-o", output, "."], {
      cwd: moduleDir,
      // -mod=mod: go.sum is committed, no vendor folder. -buildvcs=false: no git stamping
      // (nothing reads it, and it fails in some checkouts). GOTOOLCHAIN=local: use the Go that
      // checkGo approved instead of silently downloading another one.
      env: { ...env, GOFLAGS: "-mod=mod -buildvcs=false", GOTOOLCHAIN: "local" },
      stdio: ["ignore", fd, fd],
    });
    child.on("error", (err) => {
      closeSync(fd);
      reject(err);
    });
    child.on("close", (code) => {
      closeSync(fd);
      resolvePromise(code ?? 1);
    });
  });
}
