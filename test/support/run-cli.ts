import { PassThrough } from "node:stream";
import { main } from "../../src/cli/main.ts";

export interface CliRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the command line in-process with in-memory streams, as a user's shell would see it. */
export async function runCli(
  argv: readonly string[],
  stdinText = "",
  env: NodeJS.ProcessEnv = {},
): Promise<CliRun> {
  const stdin = new PassThrough();
  stdin.end(stdinText);
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on("data", (chunk: Buffer) => out.push(chunk.toString("utf8")));
  stderr.on("data", (chunk: Buffer) => err.push(chunk.toString("utf8")));
  const status = await main(argv, { stdin, stdout, stderr, env });
  return { status, stdout: out.join(""), stderr: err.join("") };
}
