import { exitStatus, renderChecklist } from "../preflight/check-result.ts";
import { runPreflight } from "../preflight/run-preflight.ts";
import { readSettings } from "../serve/settings.ts";
import type { Command } from "./main.ts";

const help = `Usage: csr-gitops preflight

Checks a setup before it is trusted, with the same settings (environment) as serve, and prints a
checklist with a fix for each failure: the app's Kubernetes access in each cluster (needed rights,
and rights beyond them), the GitHub App's installation, permissions and events, branch protection,
CODEOWNERS, and the config and policy on the default branch. docs/preflight.md explains each check.

Exit status: 0 when every check passes (warnings allowed), 1 when any fails, 2 when a setting is
missing or invalid or the checks cannot run.
`;

export const preflightCommand: Command = {
  name: "preflight",
  summary: "Check the GitHub and Kubernetes setup; print a checklist with fixes.",
  async run(argv, io) {
    if (argv.includes("--help") || argv.includes("-h")) {
      io.stdout.write(help);
      return 0;
    }
    if (argv.length > 0) {
      io.stderr.write(
        "csr-gitops preflight: takes no arguments (settings come from the environment)\n",
      );
      return 2;
    }
    const settings = readSettings(process.env);
    if (!settings.ok) {
      io.stderr.write(
        `csr-gitops preflight: invalid settings (see docs/configuration.md):\n${settings.errors.map((e) => `  ${e}\n`).join("")}`,
      );
      return 2;
    }
    try {
      const results = await runPreflight(settings.settings);
      io.stdout.write(renderChecklist(results));
      return exitStatus(results);
    } catch (error) {
      io.stderr.write(
        `csr-gitops preflight: cannot run: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      return 2;
    }
  },
};
