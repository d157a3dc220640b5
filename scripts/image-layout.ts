/**
 * The container image's files, laid out in a folder without a container engine: the bundle that
 * the Dockerfile's build stage writes (`scripts/build.ts`) and what its final stage copies beside
 * it. No node_modules: the bundle holds every dependency. `npm run test:container` and the
 * end-to-end tests (test/e2e/harness/serve-process.ts) run `serve` from such a folder, so they run
 * what ships. The final stage's start command, environment and files are pinned against the
 * Dockerfile by test/serve/dockerfile.test.ts.
 */
import { execFileSync } from "node:child_process";
import { cpSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");

/** Where a test run's laid-out image is, when its global setup made one (test/support/kube-global-setup.ts). */
export const IMAGE_DIR_ENV = "CSR_GITOPS_TEST_IMAGE_DIR";

/** What the final stage copies from the project, besides the build stage's `dist`. */
export const IMAGE_FILES = ["package.json", "app.yml", "bin", "templates", "policy"] as const;

/** The final stage's ENV lines. */
export const IMAGE_ENV: Readonly<Record<string, string>> = {
  NODE_ENV: "production",
  NODE_OPTIONS: "--max-semi-space-size=2",
  GLIBC_TUNABLES:
    "glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=131072:glibc.malloc.trim_threshold=131072",
};

/** The node flags and script of the ENTRYPOINT, relative to the image's folder. */
export const IMAGE_ENTRYPOINT_ARGS = ["--optimize-for-size", "bin/csr-gitops.js"] as const;

/** Bundles src/ into `dir`/dist/bundle and copies the final stage's files into `dir`. */
export function assembleImage(dir: string): void {
  execFileSync(process.execPath, [join(root, "scripts", "build.ts"), join(dir, "dist", "bundle")], {
    stdio: "inherit",
  });
  for (const entry of IMAGE_FILES) cpSync(join(root, entry), join(dir, entry), { recursive: true });
}
