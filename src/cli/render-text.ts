import type { CsrObjectInfo, DecodedRequest, PublicKeyInfo } from "../core/csr/types.ts";
import type { Assessment } from "../core/assess.ts";
import { displayMessage, displayName, displayText } from "../core/display/index.ts";

/** Kubernetes deletes a CSR that is still pending this long after creation. */
const PENDING_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * No line of the text output is longer than this many characters, whatever the CSR holds: each
 * value is bounded by the display functions, and a row's list of values wraps onto more lines.
 */
export const TEXT_LINE_MAX_LENGTH = 400;

/** Bound for short machine-made values that are still input (timestamps, uids, OIDs, usages). */
const SHORT = { maxLength: 64 } as const;

/** A row: its label and its values, joined with ", " and wrapped to the line bound. */
type Row = readonly [label: string, values: readonly string[]];

/**
 * Renders one assessment for people: every decoded detail a reviewer needs, then the verdict.
 * Every string that came from the input goes through the display functions (core/display), so the
 * terminal shows it inert: controls, bidi and invisible characters as escapes, each value bounded,
 * non-ASCII code points of names noted.
 */
export function renderText(assessment: Assessment): string {
  const { decoded, verdict } = assessment;
  const object = decoded.ok ? decoded.csr.object : decoded.object;
  const rows: Row[] = [];
  if (object !== undefined) rows.push(...objectRows(object));
  if (decoded.ok) rows.push(...requestRows(decoded.csr.request));
  else
    rows.push([
      "request",
      [`cannot be decoded: [${decoded.error.code}] ${displayMessage(decoded.error.message)}`],
    ]);

  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [heading(object), ...rows.flatMap((row) => rowLines(row, width))];
  if (verdict.decision === "allow") {
    lines.push(`verdict: ALLOW, ${verdict.requiredApprovals} approvals required`);
  } else {
    lines.push("verdict: DENY");
  }
  for (const reason of verdict.reasons) {
    lines.push(`  - ${reason.code}: ${displayMessage(reason.message)}`);
  }
  for (const note of verdict.notes) {
    lines.push(`  note ${note.code}: ${displayMessage(note.message)}`);
  }
  return lines.join("\n") + "\n";
}

function codePoints(text: string): number {
  return Array.from(text).length;
}

/** The row's values packed greedily into lines of at most TEXT_LINE_MAX_LENGTH characters. */
function rowLines([label, values]: Row, width: number): string[] {
  const first = `  ${label.padEnd(width)}  `;
  const next = " ".repeat(first.length);
  const lines: string[] = [];
  let line = "";
  for (const value of values) {
    const prefix = lines.length === 0 ? first : next;
    const joined = line === "" ? value : `${line}, ${value}`;
    if (line !== "" && codePoints(prefix + joined + ",") > TEXT_LINE_MAX_LENGTH) {
      lines.push(`${prefix}${line},`);
      line = value;
    } else {
      line = joined;
    }
  }
  lines.push(`${lines.length === 0 ? first : next}${line}`);
  return lines;
}

function heading(object: CsrObjectInfo | undefined): string {
  if (object === undefined) return "PKCS#10 request (no Kubernetes object)";
  return `CSR ${displayName(object.name)}  uid ${displayText(object.uid, SHORT)}  ${object.phase}`;
}

function objectRows(o: CsrObjectInfo): Row[] {
  const { username, groups, extra } = o.requester;
  const extraValues = Object.entries(extra).flatMap(([key, values]) =>
    values.length === 0
      ? [`${displayText(key, SHORT)}: (no values)`]
      : values.map((value) => `${displayText(key, SHORT)}: ${displayText(value)}`),
  );
  return [
    ["created", [`${displayText(o.creationTimestamp, SHORT)}${deadline(o)}`]],
    ["signer", [displayName(o.signerName)]],
    ["requester", [displayName(username)]],
    ["groups", groups.length === 0 ? ["(none)"] : groups.map((g) => displayName(g))],
    ...(extraValues.length === 0 ? [] : [["extra", extraValues] as const]),
    ["usages", o.usages.map((u) => displayText(u, SHORT))],
    ["lifetime", [lifetime(o.expirationSeconds)]],
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

function requestRows(r: DecodedRequest): Row[] {
  const subject = r.subject.attributes.map(
    (a) => `${displayText(a.type, SHORT)}=${displayName(a.value)}`,
  );
  const sans = r.subjectAltNames.map((s) => `${s.type}:${displayName(s.value)}`);
  const extensions = r.extensions.map((e) => {
    const name = displayText(e.name, SHORT);
    return e.critical ? `${name} (critical)` : name;
  });
  return [
    ["subject", subject.length === 0 ? ["(empty)"] : subject],
    ["SANs", sans.length === 0 ? ["(none)"] : sans],
    ["key", [`${keyText(r.publicKey)}  sha256:${r.publicKeySha256}`]],
    [
      "signature",
      [
        `${displayText(r.signatureAlgorithm, SHORT)}, ${r.signatureValid ? "verifies" : "DOES NOT VERIFY"} (proof of possession)`,
      ],
    ],
    ["extensions", extensions.length === 0 ? ["(none)"] : extensions],
    ["request", [`sha256:${r.requestSha256}`]],
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
