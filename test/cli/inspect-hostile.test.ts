/**
 * `inspect` with real CSRs whose subject, SANs and requester fields are hostile: the text output
 * must show them inert (no raw control, bidi or invisible character, no line over the bound, no
 * fake verdict line) and the verdict must be deny with `deceptive-characters`. JSON and YAML
 * output keep the exact values.
 */
import { describe, expect, it } from "vitest";
import { parse as parseYaml, stringify } from "yaml";
import { TEXT_LINE_MAX_LENGTH } from "../../src/cli/render-text.ts";
import {
  LONG,
  LOOKALIKES,
  MARKUP,
  longestLine,
  RAW_HIDDEN,
  TERMINAL_AND_INVISIBLE,
} from "../support/hostile-strings.ts";
import { kubeletServing, makeCsrObject, userClient } from "../support/make-csr.ts";
import { runCli } from "../support/run-cli.ts";

/** IA5String (DNS and email SANs) holds ASCII only. */
const ASCII = /^[\p{ASCII}]*$/u;

/** A user client CSR with the value in every field an attacker controls. */
function everywhere(value: string): Record<string, unknown> {
  return makeCsrObject({
    ...userClient("alice", ["team-a"]),
    name: "csr-hostile",
    subject: { CN: value, O: [value], OU: [value] },
    // DNS and email SANs are IA5String: ASCII only.
    ...(ASCII.test(value) ? { dns: [value], emails: [value] } : { uris: ["spiffe://x/y"] }),
    username: value,
    groups: ["system:authenticated", value],
    extra: { [value]: [value], scopes: [value] },
  });
}

function expectInert(stdout: string): void {
  // Line feeds end the output's own lines; nothing else hidden may appear.
  expect(stdout.split("\n").join("")).not.toMatch(RAW_HIDDEN);
  expect(longestLine(stdout)).toBeLessThanOrEqual(TEXT_LINE_MAX_LENGTH);
  // Only the real verdict starts a line with "verdict:"; no value can start a new line.
  expect(stdout.split("\n").filter((line) => line.startsWith("verdict:"))).toHaveLength(1);
}

describe("inspect shows hostile CSR fields inert and denies them", () => {
  it.each(Object.entries(TERMINAL_AND_INVISIBLE))("%s", async (_name, value) => {
    const run = await runCli(["inspect", "-"], JSON.stringify(everywhere(value)));
    expect(run.status).toBe(1);
    expect(run.stderr).toBe("");
    expectInert(run.stdout);
    expect(run.stdout).toContain("verdict: DENY");
    for (const field of [
      "request.subject.CN",
      "request.subject.O",
      "request.subject.OU",
      "spec.username",
      "spec.groups[1]",
      "spec.extra key",
      'spec.extra["scopes"][0]',
    ]) {
      expect(run.stdout).toContain(`- deceptive-characters: ${field}`);
    }
    if (ASCII.test(value)) {
      expect(run.stdout).toContain("- deceptive-characters: request.subjectAltNames[0] (DNS)");
      expect(run.stdout).toContain("- deceptive-characters: request.subjectAltNames[1] (email)");
    }
  });

  it("shows the fake-verdict CN as one escaped line, exactly where the CN goes", async () => {
    const cn = TERMINAL_AND_INVISIBLE["CSI clear screen and a fake green verdict on its own line"];
    const run = await runCli(["inspect", "-"], stringify(everywhere(cn ?? "")));
    expect(run.stdout).toContain(
      "CN=alice\\x1b[2J\\x1b[1;32m verdict: ALLOW\\x1b[0m\\r\\nverdict: ALLOW",
    );
    expect(run.stdout).toMatch(/requester +alice\\x1b\[2J/);
  });

  it("a kubelet serving CSR with a control in a DNS SAN is denied, the rest still shown", async () => {
    const object = makeCsrObject({
      ...kubeletServing("worker-1"),
      dns: ["worker-1", "worker-1\rverdict: ALLOW"],
    });
    const run = await runCli(["inspect", "-"], stringify(object));
    expect(run.status).toBe(1);
    expectInert(run.stdout);
    expect(run.stdout).toContain("DNS:worker-1, DNS:worker-1\\rverdict: ALLOW");
    expect(run.stdout).toMatch(
      /- deceptive-characters: request\.subjectAltNames\[1\] \(DNS\) contains a hidden character: U\+000D CARRIAGE RETURN/,
    );
  });

  it.each(Object.entries(LOOKALIKES))(
    "%s: shown with its code points beside it, not denied for that",
    async (_name, { value, codePoints }) => {
      const object = makeCsrObject({ ...userClient(value, ["team-a"]), username: value });
      const run = await runCli(["inspect", "-"], stringify(object));
      expectInert(run.stdout);
      const note = `(non-ASCII: ${codePoints.join(", ")})`;
      expect(run.stdout).toContain(`requester   ${value} ${note}`);
      expect(run.stdout).toContain(`CN=${value} ${note}`);
      expect(run.stdout).not.toContain("deceptive-characters");
    },
  );

  it.each(Object.entries(MARKUP))(
    "%s: printed as it is (a terminal renders no markup)",
    async (_name, value) => {
      const object = makeCsrObject({ ...userClient("alice", ["team-a"]), subject: { CN: value } });
      const run = await runCli(["inspect", "-"], stringify(object));
      expectInert(run.stdout);
    },
  );
});

describe("inspect bounds long values", () => {
  it("a 4,000-character CN: cut with a marker, noted as over X.520's bound, lines bounded", async () => {
    const object = makeCsrObject({
      ...userClient("alice", ["team-a"]),
      subject: { CN: LONG["4,000-character CN"] ?? "", O: ["o".repeat(65)] },
    });
    const run = await runCli(["inspect", "-"], stringify(object));
    expectInert(run.stdout);
    expect(run.stdout).toMatch(/CN=x+… 3,\d\d\d more characters/);
    expect(run.stdout).toContain(
      "note subject-value-too-long: request.subject.CN is 4,000 characters, over X.520's upper bound of 64",
    );
    expect(run.stdout).toContain("note subject-value-too-long: request.subject.O is 65 characters");
  });

  it("many long SANs and groups wrap onto more lines, each within the bound", async () => {
    const names = Array.from({ length: 40 }, (_, i) => `n${i}-${"d".repeat(60)}.example.com`);
    const groups = Array.from({ length: 40 }, (_, i) => `group-${i}-${"g".repeat(150)}`);
    const object = makeCsrObject({ ...userClient("alice", groups), dns: names, groups });
    const run = await runCli(["inspect", "-"], stringify(object));
    expectInert(run.stdout);
    for (const name of names) expect(run.stdout).toContain(`DNS:${name}`);
    for (const group of groups) expect(run.stdout).toContain(group);
  });

  it("1,000 escapes and 500 astral characters stay within the line bound", async () => {
    for (const value of [LONG["1,000 escapes"] ?? "", LONG["long astral"] ?? ""]) {
      const object = makeCsrObject({
        ...userClient("alice", []),
        subject: { CN: value },
        username: value,
      });
      const run = await runCli(["inspect", "-"], JSON.stringify(object));
      expectInert(run.stdout);
      expect(run.stdout).toContain("more characters");
    }
  });
});

describe("machine-readable output keeps exact data", () => {
  it("JSON and YAML hold the hostile values byte for byte", async () => {
    const value =
      TERMINAL_AND_INVISIBLE["CSI clear screen and a fake green verdict on its own line"] ?? "";
    const input = JSON.stringify(everywhere(value));
    const json = JSON.parse((await runCli(["inspect", "-", "-o", "json"], input)).stdout) as {
      request: { subject: { commonName: string } };
      object: { requester: { username: string } };
      verdict: { reasons: { code: string }[] };
    }[];
    expect(json[0]?.request.subject.commonName).toBe(value);
    expect(json[0]?.object.requester.username).toBe(value);
    expect(json[0]?.verdict.reasons.map((r) => r.code)).toContain("deceptive-characters");
    const yaml = parseYaml(
      (await runCli(["inspect", "-", "-o", "yaml"], input)).stdout,
    ) as typeof json;
    expect(yaml).toEqual(json);
  });
});

describe("error messages that echo input are inert too", () => {
  it("a file name with escapes", async () => {
    const run = await runCli(["inspect", "/nonexistent/\x1b]0;pwned\x07\u202Eyaml.txt"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("\\x1b]0;pwned\\x07<U+202E>yaml.txt");
    expect(run.stderr.trimEnd()).not.toMatch(RAW_HIDDEN);
  });

  it("an unknown command and a bad option", async () => {
    const command = await runCli(["\x1b[2Jinspect"]);
    expect(command.stderr).toContain('unknown command "\\x1b[2Jinspect"');
    const option = await runCli(["inspect", "--\x1b[2Jpolicy"]);
    expect(option.stderr).toContain("\\x1b[2Jpolicy");
    for (const run of [command, option])
      expect(run.stderr.split("\n").join("")).not.toMatch(RAW_HIDDEN);
  });

  it("a YAML error quoting the input", async () => {
    const run = await runCli(["inspect", "-"], "a: \x1b[2J\u202E\n  b: [\n");
    expect(run.status).toBe(2);
    expect(run.stderr.split("\n").join("")).not.toMatch(RAW_HIDDEN);
    expect(longestLine(run.stderr)).toBeLessThanOrEqual(TEXT_LINE_MAX_LENGTH);
  });

  it("a policy file whose errors quote hostile keys", async () => {
    const run = await runCli(
      ["inspect", "--policy", "-"],
      'apiVersion: csr-gitops/v1\nkind: Policy\n"\x1b[2J\u200B": 1\n',
    );
    expect(run.status).toBe(2);
    expect(run.stderr.split("\n").join("")).not.toMatch(RAW_HIDDEN);
  });
});
