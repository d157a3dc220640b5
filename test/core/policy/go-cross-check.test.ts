/**
 * The verdict never allows what Kubernetes would refuse. Every red-team case and a seeded run of
 * requests with hostile subject strings and SAN values are judged by the default policy and by a
 * permissive policy (which allows every name, so that allows actually happen), and each request
 * is read by Go through test/kube-server/csrcheck: crypto/x509's parser, the apiserver's
 * create-time validation and the kube-controller-manager signer rules. An allow for a request
 * any of those refuses is a fail-open. Where Go parses the request, the decoder must also read
 * the same subject and SANs.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeCsrObject } from "../../../src/core/csr/decode.ts";
import type { DecodeResult } from "../../../src/core/csr/types.ts";
import { DEFAULT_POLICY, evaluate, loadPolicy } from "../../../src/core/policy/index.ts";
import type { Policy } from "../../../src/core/policy/policy-schema.ts";
import { goCheck, type GoCheckOutput } from "../../support/go-csrcheck.ts";
import {
  makeCsrObject,
  makeCsrPem,
  userClient,
  type MakeCsrObjectOptions,
} from "../../support/make-csr.ts";
import { failOpenCases } from "./fail-open-cases.ts";
import { isPlainUri } from "../../../src/core/policy/uri-syntax.ts";
import { hostileCsr } from "./hostile-names.ts";

const SEED = 20261129;
const RUNS = 400;

const ANY_KEY = "{ rsaMinBits: 2048, ecdsaCurves: [P-256, P-384, P-521], ed25519: true }";
const ANY_NAME =
  "{ dnsNames: ['**'], wildcardDnsNames: true, ipAddresses: [0.0.0.0/0, '::/0'], emailAddresses: ['*'], uris: ['*'] }";

/** Every signer allows every name and every usage the signer takes: only Go can refuse. */
function permissivePolicy(): Policy {
  const usages = "[digital signature, key encipherment, server auth, client auth]";
  const rule = `{ usages: { allowed: ${usages} }, subjectAltNames: ${ANY_NAME}, keys: ${ANY_KEY} }`;
  const text = `apiVersion: csr-gitops/v2
kind: Policy
forbiddenOrganizations: []
allowSha1Signatures: true
signers:
  kubernetes.io/kubelet-serving: ${rule}
  kubernetes.io/kube-apiserver-client-kubelet: ${rule}
  kubernetes.io/kube-apiserver-client: ${rule}
`;
  const loaded = loadPolicy(text, "permissive.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.policy;
}

interface Judged {
  readonly name: string;
  readonly csr: MakeCsrObjectOptions;
  readonly decoded: DecodeResult;
  readonly go: GoCheckOutput;
}

function judgeAll(named: readonly { name: string; csr: MakeCsrObjectOptions }[]): Judged[] {
  const go = goCheck(
    named.map((n, i) => ({
      id: String(i),
      request: makeCsrPem(n.csr),
      signerName: n.csr.signerName ?? "kubernetes.io/kube-apiserver-client",
      usages: n.csr.usages ?? ["digital signature", "client auth"],
      expirationSeconds: n.csr.expirationSeconds,
    })),
  );
  return named.map((n, i) => {
    const answer = go[i];
    if (answer === undefined) throw new Error(`no Go answer for ${n.name}`);
    return { ...n, decoded: decodeCsrObject(makeCsrObject(n.csr)), go: answer };
  });
}

/** Why Kubernetes refuses the request, or undefined when it would create and sign it. */
function kubernetesRefusal(go: GoCheckOutput): string | undefined {
  if (go.parseError !== "") return `crypto/x509: ${go.parseError}`;
  if (go.createErrors.length > 0) return `apiserver: ${go.createErrors.join("; ")}`;
  if (go.signerError !== "") return `signer: ${go.signerError}`;
  return undefined;
}

/** URI SANs at the edges of what Go's net/url reads, with whether the policy's grammar takes them. */
const URIS: readonly (readonly [string, boolean])[] = [
  ["spiffe://prod.example.com/ns/payments/sa/api", true],
  ["https://[fd00::1]:8443/x?y=1#z", true],
  ["https://a.example.com:443", true],
  ["urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66", true],
  ["https://a/%41%2F", true],
  ["spiffe:///no-host", true],
  ["https://a/%zz", false],
  ["https://a/%4", false],
  ["https://a..b/", false],
  ["https://a./", false],
  ["https://user@host/", false],
  ["https://h:port/", false],
  ["https://[fd00::1/", false],
  ["https://a/b c", false],
  ["//no-scheme", false],
  ["1http://a", false],
  ["https://a%41.example.com/", false],
  ["https://é.example.com/", false],
  // The authority ends at the end of the URI too, and what follows an IPv6 host is a port or
  // nothing; "[" and "]" are refused in the path, query and fragment.
  ["https://[fd00::1]", true],
  ["https://a.example.com.", false],
  ["https://a.example.com:8x", false],
  ["https://[fd00::1]x/", false],
  ["https://a.example.com/[x]", false],
  ["https://a.example.com?q=[x]", false],
  ["https:///[x]", false],
];
const uriCsr = (uri: string): MakeCsrObjectOptions => ({ ...userClient("alice"), uris: [uri] });

const generated = fc.sample(hostileCsr, { seed: SEED, numRuns: RUNS });
const cases = judgeAll([
  ...failOpenCases(),
  ...URIS.map(([uri]) => ({ name: `URI ${uri}`, csr: uriCsr(uri) })),
  ...generated.map((csr, i) => ({ name: `generated #${i}`, csr })),
]);
const permissive = permissivePolicy();

describe("no verdict allows what Go's parser, the apiserver or the signer refuses", () => {
  it.each([
    ["the default policy", DEFAULT_POLICY],
    ["a policy that allows every name", permissive],
  ] as const)("%s", (_name, policy) => {
    const failOpens = cases.flatMap((c) => {
      const refusal = kubernetesRefusal(c.go);
      const verdict = evaluate(policy, c.decoded);
      return verdict.decision === "allow" && refusal !== undefined ? [`${c.name}: ${refusal}`] : [];
    });
    expect(failOpens).toEqual([]);
  });

  it("the run is not vacuous: the permissive policy allows many, Go refuses many", () => {
    const allowed = cases.filter((c) => evaluate(permissive, c.decoded).decision === "allow");
    const refused = cases.filter((c) => kubernetesRefusal(c.go) !== undefined);
    expect(allowed.length).toBeGreaterThan(RUNS / 10);
    expect(refused.length).toBeGreaterThan(RUNS / 10);
  });
});

describe("URI SANs: the policy's grammar is a part of what Go reads", () => {
  it.each(URIS)("%s: plain %s", (uri, plain) => {
    expect(isPlainUri(uri)).toBe(plain);
    const go = cases.find((c) => c.name === `URI ${uri}`)?.go;
    if (plain) expect(go?.parseError).toBe("");
  });
});

describe("where Go parses a request, the decoder reads the same names", () => {
  it.each(cases.filter((c) => c.go.parseError === "").map((c) => [c.name, c] as const))(
    "%s",
    (_name, c) => {
      expect(c.decoded.ok).toBe(true);
      if (!c.decoded.ok) return;
      const { subject, subjectAltNames } = c.decoded.csr.request;
      const values = (type: string): string[] =>
        subjectAltNames.filter((s) => s.type === type).map((s) => s.value);
      expect({
        organizations: subject.organizations,
        organizationalUnits: subject.organizationalUnits,
        dnsNames: values("DNS"),
        emailAddresses: values("email"),
        ipAddresses: values("IP"),
      }).toEqual({
        organizations: c.go.subject?.organizations,
        organizationalUnits: c.go.subject?.organizationalUnits,
        dnsNames: c.go.dnsNames,
        emailAddresses: c.go.emailAddresses,
        ipAddresses: c.go.ipAddresses,
      });
      // Go keeps the last CN; with more than one, the policy refuses the request anyway.
      const cns = subject.attributes.filter((a) => a.type === "CN" && a.notAString !== true);
      if (cns.length <= 1) expect(subject.commonName).toBe(c.go.subject?.commonName);
    },
  );
});
