import { startServe } from "../serve/serve.ts";
import { readSettings } from "../serve/settings.ts";
import type { Command } from "./main.ts";

const help = `Usage: csr-gitops serve

Runs the GitHub webhook server (the approval app) and the CSR controller in one process.
Every setting comes from the environment: docs/configuration.md lists them all.

Endpoints on PORT: the webhook path (default /api/github/webhooks), /healthz, /readyz, /metrics.
SIGTERM or SIGINT: stop taking work, finish what is in flight, release the Lease, exit 0.

Exit status: 2 when a setting is missing or invalid (each one is named), 1 when start-up fails.
`;

export const serveCommand: Command = {
  name: "serve",
  summary: "Run the controller and the approval app (settings from the environment).",
  async run(argv, io) {
    if (argv.includes("--help") || argv.includes("-h")) {
      io.stdout.write(help);
      return 0;
    }
    if (argv.length > 0) {
      io.stderr.write(
        `csr-gitops serve: takes no arguments (settings come from the environment)\n`,
      );
      return 2;
    }
    const settings = readSettings(process.env);
    if (!settings.ok) {
      io.stderr.write(
        `csr-gitops serve: invalid settings (see docs/configuration.md):\n${settings.errors.map((e) => `  ${e}\n`).join("")}`,
      );
      return 2;
    }
    let running;
    try {
      running = await startServe(settings.settings);
    } catch (error) {
      io.stderr.write(
        `csr-gitops serve: start-up failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      return 1;
    }
    const server = running;
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        void server.stop().then(resolve);
      };
      process.once("SIGTERM", stop);
      process.once("SIGINT", stop);
    });
    return 0;
  },
};
