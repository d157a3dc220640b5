import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { readFileSync } from "node:fs";

/** The Go module of the server: test/kube-server/. */
export const moduleDir = resolve(import.meta.dirname, "..");

/** The Kubernetes release the server is pinned to, read from go.mod (the one source of truth). */
export function kubernetesVersion(): string {
  const goMod = readFileSync(join(moduleDir, "go.mod"), "utf8");
  const match = /^\s*k8s\.io\/kubernetes (v\S+)/m.exec(goMod);
  if (!match?.[1]) {
    throw new Error(`no k8s.io/kubernetes requirement in ${join(moduleDir, "go.mod")}`);
  }
  return match[1];
}

/** The Go version go.mod asks for (its `go` directive), e.g. "1.26.0". */
export function requiredGoVersion(): string {
  const goMod = readFileSync(join(moduleDir, "go.mod"), "utf8");
  const match = /^go (\d+\.\d+(?:\.\d+)?)\s*$/m.exec(goMod);
  if (!match?.[1]) {
    throw new Error(`no go directive in ${join(moduleDir, "go.mod")}`);
  }
  return match[1];
}

type Env = Readonly<Record<string, string | undefined>>;

/** `${XDG_CACHE_HOME:-~/.cache}/csr-gitops/kube-server`. */
export function cacheRoot(env: Env): string {
  // Like the shell's ${XDG_CACHE_HOME:-~/.cache}: an empty value counts as unset.
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg !== undefined && xdg !== "" ? xdg : join(homedir(), ".cache");
  return join(base, "csr-gitops", "kube-server");
}

/**
 * Where the binary built from one version of the Go sources is cached: a folder per Kubernetes
 * version and source digest (its first 16 hex digits), so a changed server is always rebuilt and
 * never overwrites the binary that checkouts of other source versions still use.
 */
export function binaryPath(env: Env, version: string, sourceDigest: string): string {
  return join(cacheRoot(env), version, sourceDigest.slice(0, 16), "kube-server");
}

/** The state folder `npm run kube-server -- start` uses unless told otherwise. */
export function defaultStateDir(env: Env): string {
  return join(cacheRoot(env), "state");
}
