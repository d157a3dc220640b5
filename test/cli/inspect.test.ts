import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml, stringify } from "yaml";
import {
  kubeletClient,
  kubeletServing,
  makeCsrObject,
  makeCsrPem,
  userClient,
} from "../support/make-csr.ts";
import { runCli } from "../support/run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "csr-gitops-inspect-"));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const serving = makeCsrObject({ ...kubeletServing("worker-1"), name: "csr-serving" });
/** worker-2 asks for worker-1's name: the classic node impersonation attempt. */
const impersonating = makeCsrObject({
  ...kubeletServing("worker-1"),
  username: "system:node:worker-2",
  name: "csr-impersonating",
});

interface Report {
  object: { name: string } | null;
  request: { subject: { commonName: string } } | null;
  error: { code: string } | null;
  verdict: { decision: string; reasons: { code: string }[]; requiredApprovals: number };
}

describe("csr-gitops inspect", () => {
  it("prints every detail a reviewer needs and allows a proper kubelet serving CSR", async () => {
    const run = await runCli(["inspect", file("serving.yaml", stringify(serving))]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("CSR csr-serving");
    expect(run.stdout).toContain("kubernetes.io/kubelet-serving");
    expect(run.stdout).toMatch(/requester +system:node:worker-1\n +groups +system:nodes\b/);
    expect(run.stdout).toContain("O=system:nodes, CN=system:node:worker-1");
    expect(run.stdout).toContain("DNS:worker-1, IP:10.0.0.11");
    expect(run.stdout).toContain("ECDSA P-256");
    expect(run.stdout).toContain("verifies (proof of possession)");
    expect(run.stdout).toContain("deleted by Kubernetes if still pending at");
    expect(run.stdout).toContain("verdict: ALLOW, 2 approvals required");
  });

  it("denies a node asking for another node's name, with the reason, and exits 1", async () => {
    const run = await runCli(["inspect", file("imp.json", JSON.stringify(impersonating))]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("verdict: DENY");
    expect(run.stdout).toMatch(/- cn-not-requester-node: /);
  });

  it("judges every CSR of a List and reports each in JSON", async () => {
    const list = { apiVersion: "v1", kind: "List", items: [serving, impersonating] };
    const run = await runCli(["inspect", "-", "--output", "json"], JSON.stringify(list));
    expect(run.status).toBe(1);
    const reports = JSON.parse(run.stdout) as Report[];
    expect(reports.map((r) => [r.object?.name, r.verdict.decision])).toEqual([
      ["csr-serving", "allow"],
      ["csr-impersonating", "deny"],
    ]);
    expect(reports[0]?.request?.subject.commonName).toBe("system:node:worker-1");
  });

  it("writes YAML that parses back to the same reports as JSON", async () => {
    const input = file("two.yaml", `${stringify(serving)}---\n${stringify(impersonating)}`);
    const yamlRun = await runCli(["inspect", input, "-o", "yaml"]);
    const jsonRun = await runCli(["inspect", input, "-o", "json"]);
    expect(yamlRun.status).toBe(1);
    expect(parseYaml(yamlRun.stdout)).toEqual(JSON.parse(jsonRun.stdout));
  });

  it("exits 0 only when every CSR is allowed", async () => {
    const objects = [
      serving,
      makeCsrObject({ ...kubeletClient("worker-3"), name: "csr-client" }),
      makeCsrObject({ ...userClient("alice", ["team-a"]), name: "csr-alice" }),
    ];
    const run = await runCli(["inspect", "-"], objects.map((o) => stringify(o)).join("---\n"));
    expect(run.stdout.match(/verdict: ALLOW/g)).toHaveLength(3);
    expect(run.status).toBe(0);
  });

  it("decodes a bare PEM but denies it: there is no signer or requester to judge", async () => {
    const run = await runCli(["inspect", "-"], makeCsrPem({ subject: { CN: "x" } }));
    expect(run.stdout).toContain("PKCS#10 request (no Kubernetes object)");
    expect(run.stdout).toContain("no-kubernetes-object");
    expect(run.status).toBe(1);
  });

  it("denies a CSR whose request cannot be decoded, showing the object and the decode error", async () => {
    const broken = structuredClone(serving) as { spec: { request: string } };
    broken.spec.request = Buffer.from("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n").toString(
      "base64",
    );
    const run = await runCli(["inspect", "-", "-o", "json"], JSON.stringify(broken));
    expect(run.status).toBe(1);
    const [report] = JSON.parse(run.stdout) as Report[];
    expect(report?.object?.name).toBe("csr-serving");
    expect(report?.error?.code).toMatch(/^(not-pem|malformed-der)$/);
    expect(report?.verdict.decision).toBe("deny");
    expect(report?.verdict.reasons.map((r) => r.code)).toContain("undecodable");
  });

  it("applies a policy file: a custom signer allowed there is allowed", async () => {
    const policy = file(
      "policy.yaml",
      [
        "apiVersion: csr-gitops/v2",
        "kind: Policy",
        "requiredApprovals: 3",
        "signers:",
        "  example.com/internal:",
        "    usages:",
        '      allowed: ["digital signature", "server auth"]',
        '      required: ["server auth"]',
        "    subjectAltNames:",
        '      dnsNames: ["*.internal.example.com"]',
        "    keys:",
        '      ecdsaCurves: ["P-256"]',
        "",
      ].join("\n"),
    );
    const csr = makeCsrObject({
      name: "csr-internal",
      subject: { CN: "api.internal.example.com" },
      dns: ["api.internal.example.com"],
      signerName: "example.com/internal",
      usages: ["digital signature", "server auth"],
    });
    const run = await runCli(["inspect", "--policy", policy, "-"], stringify(csr));
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("verdict: ALLOW, 3 approvals required");
    expect(run.status).toBe(0);

    const byDefault = await runCli(["inspect", "-"], stringify(csr));
    expect(byDefault.stdout).toContain("unknown-signer");
    expect(byDefault.status).toBe(1);
  });

  it("rejects a broken policy with file, line and field, and evaluates nothing", async () => {
    const policy = file(
      "bad-policy.yaml",
      "apiVersion: csr-gitops/v2\nkind: Policy\nrequiredApprovals: two\nsignerz: {}\n",
    );
    const run = await runCli(["inspect", "--policy", policy, "-"], stringify(serving));
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`${policy}:3:`);
    expect(run.stderr).toContain("requiredApprovals");
    expect(run.stderr).toContain("the policy was rejected; nothing was evaluated");
  });

  it.each([
    ["a missing file", ["inspect", join(dir, "nope.yaml")], "", /cannot read .*nope\.yaml/],
    ["input that is not YAML or JSON", ["inspect", "-"], "a: [unclosed", /not-yaml-or-json/],
    ["an empty input", ["inspect", "-"], "", /no CertificateSigningRequest/],
    ["a missing policy", ["inspect", "--policy", join(dir, "none.yaml")], "", /cannot read/],
    ["an unknown output format", ["inspect", "-o", "xml"], "", /--output must be one of/],
    ["an unknown option", ["inspect", "--frobnicate"], "", /Unknown option/],
    ["two input files", ["inspect", "a", "b"], "", /at most one input file/],
  ])("exits 2 with a specific message for %s", async (_name, argv, stdin, message) => {
    const run = await runCli(argv, stdin);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it("refuses input larger than its cap before parsing it", async () => {
    const run = await runCli(["inspect", "-"], "#".repeat(4 * 1024 * 1024 + 1));
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("larger than 4194304 bytes");
  });
});

describe("csr-gitops help", () => {
  it.each([[["--help"]], [["inspect", "--help"]], [["inspect", "-h"]]])(
    "%j prints usage and exits 0",
    async (argv) => {
      const run = await runCli(argv);
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/^Usage: csr-gitops/);
    },
  );

  it("names the problem and exits 2 for no command or an unknown one", async () => {
    expect((await runCli([])).stderr).toContain("no command given");
    const unknown = await runCli(["approve-everything"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown command "approve-everything"');
  });
});
