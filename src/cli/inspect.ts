import { parseArgs } from "node:util";
import { stringify as toYaml } from "yaml";
import { assess, type Assessment } from "../core/assess.ts";
import { parseCsrInput } from "../core/csr/input.ts";
import { displayMessage } from "../core/display/index.ts";
import {
  DEFAULT_POLICY,
  formatPolicyError,
  loadPolicy,
  type Policy,
} from "../core/policy/index.ts";
import type { CliIo, Command } from "./main.ts";
import { readText } from "./read-text.ts";
import { renderText } from "./render-text.ts";

/** Larger input than this is refused before parsing; the decoder applies its own caps too. */
const MAX_INPUT_BYTES = 4 * 1024 * 1024;
const MAX_POLICY_BYTES = 1024 * 1024;

const help = `Usage: csr-gitops inspect [FILE|-] [--policy FILE] [--output text|json|yaml]

Decodes each CertificateSigningRequest in FILE (or standard input when FILE is "-" or absent) and
judges it by the policy. Input: a Kubernetes CSR object as "kubectl get csr NAME -o yaml" (or -o json)
prints it, a List of them, several YAML documents, or a bare PKCS#10 PEM.

Options:
  --policy FILE   Policy YAML (default: the built-in default policy).
  --output FMT    text (default, for people), json or yaml (for scripts).
  -h, --help      Show this help.

Exit status: 0 when every CSR is allowed, 1 when any is denied (an undecodable CSR is denied),
2 when the input or the policy cannot be read or parsed at all.
`;

const formats = ["text", "json", "yaml"] as const;
type Format = (typeof formats)[number];

export const inspectCommand: Command = {
  name: "inspect",
  summary: "Decode CertificateSigningRequests and judge them by policy.",
  run: inspect,
};

async function inspect(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseInspectArgs(argv);
  if (args.kind === "help") {
    io.stdout.write(help);
    return 0;
  }
  if (args.kind === "error") {
    io.stderr.write(`csr-gitops inspect: ${displayMessage(args.message)}\n\n${help}`);
    return 2;
  }

  const policy = await readPolicy(args.policyFile, io);
  if (policy === undefined) return 2;

  const input = await readText(args.file, io.stdin, MAX_INPUT_BYTES);
  if (!input.ok) return fail(io, input.message);
  const parsed = parseCsrInput(input.text);
  if (!parsed.ok) return fail(io, `${args.file}: [${parsed.error.code}] ${parsed.error.message}`);
  if (parsed.items.length === 0)
    return fail(io, `${args.file}: no CertificateSigningRequest found`);

  const assessments = parsed.items.map((item) => assess(item, policy));
  io.stdout.write(render(assessments, args.format));
  return assessments.every((a) => a.verdict.decision === "allow") ? 0 : 1;
}

async function readPolicy(file: string | undefined, io: CliIo): Promise<Policy | undefined> {
  if (file === undefined) return DEFAULT_POLICY;
  const text = await readText(file, io.stdin, MAX_POLICY_BYTES);
  if (!text.ok) {
    fail(io, text.message);
    return undefined;
  }
  const loaded = loadPolicy(text.text, file);
  if (loaded.ok) return loaded.policy;
  for (const error of loaded.errors)
    io.stderr.write(`${displayMessage(formatPolicyError(error))}\n`);
  io.stderr.write("csr-gitops inspect: the policy was rejected; nothing was evaluated\n");
  return undefined;
}

/** Messages echo the file name and input-derived text: shown inert, like every CSR field. */
function fail(io: CliIo, message: string): 2 {
  io.stderr.write(`csr-gitops inspect: ${displayMessage(message)}\n`);
  return 2;
}

type InspectArgs =
  | { readonly kind: "help" }
  | { readonly kind: "error"; readonly message: string }
  | {
      readonly kind: "run";
      readonly file: string;
      readonly policyFile: string | undefined;
      readonly format: Format;
    };

function parseInspectArgs(argv: readonly string[]): InspectArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        policy: { type: "string" },
        output: { type: "string", short: "o", default: "text" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    return { kind: "error", message: error instanceof Error ? error.message : String(error) };
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { kind: "help" };
  if (positionals.length > 1) return { kind: "error", message: "give at most one input file" };
  const format = formats.find((f) => f === values.output);
  if (format === undefined) {
    return { kind: "error", message: `--output must be one of ${formats.join(", ")}` };
  }
  return { kind: "run", file: positionals[0] ?? "-", policyFile: values.policy, format };
}

function render(assessments: readonly Assessment[], format: Format): string {
  switch (format) {
    case "text":
      return assessments.map(renderText).join("\n");
    case "json":
      return JSON.stringify(assessments.map(toReport), null, 2) + "\n";
    case "yaml":
      return toYaml(assessments.map(toReport));
  }
}

/** The machine-readable shape: decoded details (or the decode error) next to the verdict. */
function toReport(a: Assessment): Record<string, unknown> {
  const d = a.decoded;
  return d.ok
    ? { object: d.csr.object ?? null, request: d.csr.request, error: null, verdict: a.verdict }
    : { object: d.object ?? null, request: null, error: d.error, verdict: a.verdict };
}
