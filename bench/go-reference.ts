/**
 * The Go reference for `npm run bench` (bench/go/): a Go approver's path, standard library only,
 * over the same corpus. Built with the Go toolchain the Kubernetes test server already needs,
 * once per source version into ~/.cache/csr-gitops/bench-go/, and run with GOMAXPROCS=1 (one core,
 * like the one Node.js thread). The process stays up so Go passes can alternate with Node passes.
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { createInterface, type Interface } from "node:readline";
import { fileURLToPath } from "node:url";

const MODULE_DIR = fileURLToPath(new URL("./go/", import.meta.url));

export interface GoPass {
  readonly csrsPerSecond: number;
  readonly cpuCsrsPerSecond: number;
  readonly cpuMicrosecondsByKey: Readonly<Record<string, number>>;
  readonly allowed: number;
}

export interface GoFloor {
  readonly cpuMicrosecondsByKey: Readonly<Record<string, number>>;
}

function binaryPath(): string {
  const hash = createHash("sha256");
  for (const file of ["main.go", "go.mod"]) hash.update(readFileSync(join(MODULE_DIR, file)));
  const dir = join(homedir(), ".cache", "csr-gitops", "bench-go", hash.digest("hex").slice(0, 16));
  const bin = join(dir, "csrbench");
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    execFileSync("go", ["build", "-o", bin, "."], { cwd: MODULE_DIR, stdio: "inherit" });
  }
  return bin;
}

export interface GoReference {
  pass(): Promise<GoPass>;
  floor(): Promise<GoFloor>;
  close(): void;
  readonly goVersion: string;
}

/**
 * Writes the corpus (`key request` lines, request = spec.request as the objects carry it) to
 * `corpusFile` and starts the Go reference on it.
 */
export function startGoReference(
  corpus: readonly { key: string; request: string }[],
  corpusFile: string,
): GoReference {
  writeFileSync(corpusFile, corpus.map((s) => `${s.key} ${s.request}\n`).join(""));
  const bin = binaryPath();
  const goVersion = execFileSync("go", ["env", "GOVERSION"], { cwd: MODULE_DIR }).toString().trim();
  const child: ChildProcessWithoutNullStreams = spawn(bin, [corpusFile], {
    env: { ...process.env, GOMAXPROCS: "1" },
  });
  child.stderr.pipe(process.stderr);
  const lines: Interface = createInterface({ input: child.stdout });
  const iterator = lines[Symbol.asyncIterator]();
  async function ask(command: string): Promise<unknown> {
    child.stdin.write(`${command}\n`);
    const next = await iterator.next();
    if (next.done === true) throw new Error(`the Go reference exited during "${command}"`);
    return JSON.parse(next.value) as unknown;
  }
  return {
    goVersion,
    pass: async () => (await ask("pass")) as GoPass,
    floor: async () => (await ask("floor")) as GoFloor,
    close: () => {
      child.stdin.end();
      lines.close();
    },
  };
}
