import type { Readable, Writable } from "node:stream";

export interface CliIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
}

const usage = `Usage: csr-gitops <command> [options]

Commands:
  inspect [FILE|-]   Decode CertificateSigningRequests and judge them by policy.

Run "csr-gitops <command> --help" for a command's options.
`;

/** Runs the command line; returns the process exit status. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command] = argv;
  if (command === undefined || command === "--help" || command === "-h") {
    io.stdout.write(usage);
    return command === undefined ? 2 : 0;
  }
  io.stderr.write(`csr-gitops: unknown command "${command}"\n\n${usage}`);
  return Promise.resolve(2);
}
