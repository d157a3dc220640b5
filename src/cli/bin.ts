// Process wiring for the command line: the only place that touches process.argv and exit status.
import { main } from "./main.ts";

process.exitCode = await main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
