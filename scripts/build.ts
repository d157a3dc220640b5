/**
 * `npm run build` (also run by `npm ci` and by the Dockerfile's build stage): the CLI as one
 * bundled, minified ES module, `dist/bundle/csr-gitops.js`, which `bin/csr-gitops.js` runs, with
 * the audit's parse worker beside it (`dist/bundle/parse-worker.js`, started by file name).
 *
 * Why a bundle and not tsc's one file per module: the serving process's memory. Node keeps each
 * loaded module's source text for lazy compilation; @kubernetes/client-node's index alone loads
 * its whole generated API (ObservableAPI.js 7.2 MB, PromiseAPI.js 6.6 MB, ...) of which serve uses
 * three groups. Tree shaking drops what nothing calls and minifying shrinks the rest
 * (docs/benchmarks.md, "Memory of serve").
 *
 * Every dependency is bundled, so the bundle runs on Node alone. Files read at run time stay
 * files, found relative to the bundle as from src/ or a per-module build: templates/ and
 * package.json two levels up (dist/bundle/ like src/controller/). Type checking is `npm run
 * typecheck`; esbuild only strips the types.
 */
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "esbuild";

const root = join(import.meta.dirname, "..");
// Another folder as the first argument (scripts/container-check.ts builds into its own).
const outdir = resolve(root, process.argv[2] ?? join("dist", "bundle"));

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: {
    "csr-gitops": "src/cli/bin.ts",
    "parse-worker": "src/audit/parse-worker.ts",
  },
  outdir,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22.19",
  minify: true,
  // Names stay as written: error messages and stack traces (`err.name`, class names) read the same.
  keepNames: true,
  sourcemap: "linked",
  // The CommonJS dependencies call require() for Node's built-in modules; an ES module has none.
  banner: {
    js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
  },
  legalComments: "none",
  logLevel: "warning",
});
