import type { CsrObjectInfo, DecodedRequest, PublicKeyInfo } from "../core/csr/types.ts";
import type { Assessment } from "../core/assess.ts";

/** Kubernetes deletes a CSR that is still pending this long after creation. */
const PENDING_TTL_MS = 24 * 60 * 60 * 1000;

/** Renders one assessment for people: every decoded detail a reviewer needs, then the verdict. */
export function renderText(assessment: Assessment): string {
  const { decoded, verdict } = assessment;
  const object = decoded.ok ? decoded.csr.object : decoded.object;
  const rows: [string, string][] = [];
  if (object !== undefined) rows.push(...objectRows(object));
  if (decoded.ok) rows.push(...requestRows(decoded.csr.request));
  else
    rows.push(["request", `cannot be decoded: [${decoded.error.code}] ${decoded.error.message}`]);

  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [heading(object), ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)];
  if (verdict.decision === "allow") {
    lines.push(`verdict: ALLOW, ${verdict.requiredApprovals} approvals required`);
  } else {
    lines.push("verdict: DENY");
  }
  for (const reason of verdict.reasons) lines.push(`  - ${reason.code}: ${reason.message}`);
  for (const note of verdict.notes) lines.push(`  note ${note.code}: ${note.message}`);
  return lines.join("\n") + "\n";
}

function heading(object: CsrObjectInfo | undefined): string {
  if (object === undefined) return "PKCS#10 request (no Kubernetes object)";
  return `CSR ${object.name}  uid ${object.uid}  ${object.phase}`;
}

function objectRows(o: CsrObjectInfo): [string, string][] {
  const groups = o.requester.groups.length > 0 ? `  groups: ${o.requester.groups.join(", ")}` : "";
  return [
    ["created", `${o.creationTimestamp}${deadline(o)}`],
    ["signer", o.signerName],
    ["requester", `${o.requester.username}${groups}`],
    ["usages", o.usages.join(", ")],
    ["lifetime", lifetime(o.expirationSeconds)],
  ];
}

function deadline(o: CsrObjectInfo): string {
  const created = Date.parse(o.creationTimestamp);
  if (o.phase !== "Pending" || Number.isNaN(created)) return "";
  const at = new Date(created + PENDING_TTL_MS).toISOString().replace(".000Z", "Z");
  return ` (deleted by Kubernetes if still pending at ${at})`;
}

function lifetime(seconds: number | undefined): string {
  if (seconds === undefined) return "not requested (signer default)";
  return `${seconds} s (${humanDuration(seconds)})`;
}

function humanDuration(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

function requestRows(r: DecodedRequest): [string, string][] {
  const subject = r.subject.attributes.map((a) => `${a.type}=${a.value}`).join(", ");
  const sans = r.subjectAltNames.map((s) => `${s.type}:${s.value}`).join(", ");
  const extensions = r.extensions.map((e) => (e.critical ? `${e.name} (critical)` : e.name));
  return [
    ["subject", subject === "" ? "(empty)" : subject],
    ["SANs", sans === "" ? "(none)" : sans],
    ["key", `${keyText(r.publicKey)}  sha256:${r.publicKeySha256}`],
    [
      "signature",
      `${r.signatureAlgorithm}, ${r.signatureValid ? "verifies" : "DOES NOT VERIFY"} (proof of possession)`,
    ],
    ["extensions", extensions.length === 0 ? "(none)" : extensions.join(", ")],
    ["request", `sha256:${r.requestSha256}`],
  ];
}

function keyText(key: PublicKeyInfo): string {
  switch (key.algorithm) {
    case "RSA":
      return `RSA ${key.bits} bits`;
    case "ECDSA":
      return `ECDSA ${key.curve}`;
    case "Ed25519":
      return "Ed25519";
  }
}
