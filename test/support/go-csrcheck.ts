/**
 * Runs test/kube-server/csrcheck, a small Go program that reads CSRs exactly as Kubernetes does
 * (crypto/x509, the apiserver's create-time validation, the kube-controller-manager signer rules),
 * so tests can hold the TypeScript decoder and policy against the real thing. Built once per
 * source version into ~/.cache/csr-gitops/csrcheck/ (Go's own build cache makes a rebuild cheap).
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const MODULE_DIR = fileURLToPath(new URL("../kube-server/", import.meta.url));

export interface GoCheckInput {
  id: string;
  /** PEM of the request. */
  request: string;
  signerName: string;
  usages: string[];
  expirationSeconds?: number | undefined;
}

export interface GoCheckOutput {
  id: string;
  /** crypto/x509's refusal of the request; "" when it parses. */
  parseError: string;
  /** The apiserver's create-time validation errors. */
  createErrors: string[];
  /** The signer's refusal; "" when it would sign (or the request does not parse). */
  signerError: string;
  subject?: { commonName: string; organizations: string[]; organizationalUnits: string[] };
  dnsNames?: string[];
  emailAddresses?: string[];
  ipAddresses?: string[];
  uris?: string[];
}

function binaryPath(): string {
  const hash = createHash("sha256");
  for (const file of ["csrcheck/main.go", "go.mod", "go.sum"]) {
    hash.update(readFileSync(join(MODULE_DIR, file)));
  }
  const dir = join(homedir(), ".cache", "csr-gitops", "csrcheck", hash.digest("hex").slice(0, 16));
  const bin = join(dir, "csrcheck");
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    execFileSync("go", ["build", "-o", bin, "./csrcheck"], { cwd: MODULE_DIR, stdio: "inherit" });
  }
  return bin;
}

/** Go's reading of every input, in order, in one run of the helper. */
export function goCheck(inputs: readonly GoCheckInput[]): GoCheckOutput[] {
  const stdin = inputs.map((i) => JSON.stringify(i)).join("\n") + "\n";
  const stdout = execFileSync(binaryPath(), [], { input: stdin, maxBuffer: 256 * 1024 * 1024 });
  const outputs = stdout
    .toString("utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as GoCheckOutput);
  if (outputs.length !== inputs.length) {
    throw new Error(`csrcheck answered ${outputs.length} of ${inputs.length} inputs`);
  }
  return outputs;
}
