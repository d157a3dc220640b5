#!/usr/bin/env node
// Installed entry point: runs the compiled CLI (`npm run build` writes dist/).
import { main } from "../dist/cli/main.js";

process.exitCode = await main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});
