/**
 * `npm run test:container`: what the Dockerfile's production stage holds, checked without a
 * container engine (none here, and no registry serves the base image). The image's files in an
 * empty folder (scripts/image-layout.ts: the bundle and what the final stage copies, no
 * node_modules), and the image's exact ENTRYPOINT + CMD run there with NODE_ENV=production and an
 * otherwise empty environment: it must get as far as naming the missing settings (exit 2), and
 * `--help` must work. The end-to-end tests run `serve` from the same layout through whole flows.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assembleImage } from "./image-layout.ts";

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
  assembleImage(work);
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
    `container check passed: \`${[command, ...args].join(" ")}\` runs on the bundle alone, no node_modules\n${bare.stderr}`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
