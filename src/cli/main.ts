import type { Readable, Writable } from "node:stream";
import { auditCommand } from "./audit.ts";
import { inspectCommand } from "./inspect.ts";
import { preflightCommand } from "./preflight.ts";
import { serveCommand } from "./serve.ts";
import { displayText } from "../core/display/index.ts";

export interface CliIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** The environment (only the commands that need it read it; absent in most tests). */
  readonly env?: NodeJS.ProcessEnv;
}

/** A subcommand: gets its own arguments and returns the exit status. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly run: (argv: readonly string[], io: CliIo) => Promise<number>;
}

const commands: readonly Command[] = [inspectCommand, serveCommand, preflightCommand, auditCommand];

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    "Usage: csr-gitops <command> [options]",
    "",
    "Commands:",
    ...lines,
    "",
    'Run "csr-gitops <command> --help" for a command\'s options.',
    "",
  ].join("\n");
}

/** Runs the command line; returns the process exit status. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(usage());
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (command === undefined) {
    const what = name === undefined ? "no command given" : `unknown command "${displayText(name)}"`;
    io.stderr.write(`csr-gitops: ${what}\n\n${usage()}`);
    return 2;
  }
  return command.run(rest, io);
}
