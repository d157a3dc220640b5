/**
 * `npm run test:container`: what the Dockerfile's production stage holds, checked without a
 * container engine (none here, and no registry serves the base image). Mirrors the two stages:
 * bundle src/ with scripts/build.ts, then in an empty folder only what the final stage copies
 * (package.json, package-lock.json, app.yml, bin, templates, policy, dist) plus production
 * dependencies from `npm ci --omit=dev`, and runs the image's exact ENTRYPOINT + CMD there with
 * NODE_ENV=production and an otherwise empty environment: it must get as far as naming the
 * missing settings (exit 2), and `--help` must work. Fails if any package the lockfile marks
 * dev-only is installed.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const dockerfile = readFileSync(join(root, "Dockerfile"), "utf8");

function instruction(name: string): string[] {
  const line = dockerfile.split("\n").findLast((l) => l.startsWith(`${name} `));
  if (line === undefined) throw new Error(`the Dockerfile has no ${name}`);
  return JSON.parse(line.slice(name.length + 1)) as string[];
}

function fail(message: string): never {
  process.stderr.write(`container check failed: ${message}\n`);
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), "csr-gitops-image-"));
try {
  // Stage "build": the same bundle as `node scripts/build.ts` (its type check is `npm run typecheck`).
  execFileSync(
    process.execPath,
    [join(root, "scripts", "build.ts"), join(work, "dist", "bundle")],
    {
      stdio: "inherit",
    },
  );
  // Final stage: only what it copies, and production dependencies only.
  for (const entry of [
    "package.json",
    "package-lock.json",
    "app.yml",
    "bin",
    "templates",
    "policy",
  ])
    cpSync(join(root, entry), join(work, entry), { recursive: true });
  execFileSync(
    "npm",
    ["ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline"],
    { cwd: work, stdio: "inherit" },
  );
  // The lockfile marks every package only dev dependencies need: none may be installed.
  const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as {
    packages: Record<string, { dev?: boolean }>;
  };
  const devOnly = Object.entries(lock.packages)
    .filter(([path, entry]) => entry.dev === true && path.startsWith("node_modules/"))
    .map(([path]) => path);
  const present = devOnly.filter((path) => existsSync(join(work, path)));
  if (devOnly.length === 0) fail("the lockfile marks no dev-only package: cannot check");
  if (present.length > 0) fail(`dev-only packages installed: ${present.join(", ")}`);

  const [command = "", ...args] = [...instruction("ENTRYPOINT"), ...instruction("CMD")];
  const run = (extra: string[]) =>
    spawnSync(command === "node" ? process.execPath : command, [...args, ...extra], {
      cwd: work,
      env: { NODE_ENV: "production", PATH: process.env.PATH ?? "" },
      encoding: "utf8",
    });
  const help = run(["--help"]);
  if (help.status !== 0 || !help.stdout.includes("Usage: csr-gitops serve"))
    fail(`--help: exit ${String(help.status)}\n${help.stdout}${help.stderr}`);
  const bare = run([]);
  if (bare.status !== 2 || !bare.stderr.includes("APP_ID: is required"))
    fail(`start without settings: exit ${String(bare.status)}\n${bare.stdout}${bare.stderr}`);
  process.stdout.write(
    `container check passed: \`${[command, ...args].join(" ")}\` runs on production dependencies only\n${bare.stderr}`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
