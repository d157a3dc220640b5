/** `npm run demo -- [--json] [--kubeconfig PATH] [--out DIR]`. */
import { parseArgs } from "node:util";

export interface DemoArgs {
  readonly json: boolean;
  readonly kubeconfig: string | undefined;
  readonly out: string | undefined;
  readonly yes: boolean;
}

export const USAGE = `usage: npm run demo -- [--json] [--kubeconfig PATH [--yes]] [--out DIR]
  --json             narrate on stderr; print only a JSON summary on stdout (use npm run -s)
  --kubeconfig PATH  use your own disposable cluster (kind, k3d) instead of the test server
  --yes              with --kubeconfig: do not wait 10 s after the warning
  --out DIR          where to write the audit repository, reports and PR pages (default: a new temp folder)`;

export function parseDemoArgs(argv: readonly string[]): DemoArgs | { error: string } {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        json: { type: "boolean", default: false },
        kubeconfig: { type: "string" },
        out: { type: "string" },
        yes: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
    });
    if (values.help) return { error: USAGE };
    return { json: values.json, kubeconfig: values.kubeconfig, out: values.out, yes: values.yes };
  } catch (error) {
    return { error: `${error instanceof Error ? error.message : String(error)}\n${USAGE}` };
  }
}
