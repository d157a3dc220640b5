/**
 * A CSR as the cluster shows it now, reduced to what the comparison with the ledger needs. Parsed
 * once from the apiserver's object; anything malformed is kept visible rather than dropped.
 */
import { X509Certificate, createHash } from "node:crypto";
import { pemToDer } from "../../core/csr/pem.ts";
import { sha256Hex } from "../../core/csr/hashes.ts";

export interface ClusterCondition {
  readonly type: string;
  readonly status: string;
  readonly reason: string;
  readonly message: string;
  readonly at: string | undefined;
}

export interface IssuedCertificate {
  readonly serial: string;
  readonly publicKeySha256: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly sha256: string;
}

export interface ClusterCsr {
  readonly cluster: string;
  readonly name: string;
  readonly uid: string;
  readonly signerName: string;
  readonly username: string;
  readonly groups: readonly string[];
  readonly creationTimestamp: string | undefined;
  readonly conditions: readonly ClusterCondition[];
  /** SHA-256 of the request's DER; undefined when spec.request is not a PEM request. */
  readonly requestSha256: string | undefined;
  /** The first certificate of status.certificate; undefined when not issued (or unreadable). */
  readonly certificate: IssuedCertificate | undefined;
  /** Set when status.certificate is present but cannot be read. */
  readonly certificateError: string | undefined;
}

export type ClusterPhase = "pending" | "approved" | "issued" | "denied" | "failed";

export function phaseOf(csr: ClusterCsr): ClusterPhase {
  const has = (type: string): boolean =>
    csr.conditions.some((c) => c.type === type && c.status === "True");
  if (has("Failed")) return "failed";
  if (has("Denied")) return "denied";
  if (has("Approved")) return csr.certificate === undefined ? "approved" : "issued";
  return "pending";
}

function isoOf(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  return typeof value === "string" ? value : undefined;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** Normalises a serial number to lower-case hexadecimal without leading zeros. */
export function normalSerial(serial: string): string {
  const hex = serial
    .toLowerCase()
    .replace(/[^0-9a-f]/g, "")
    .replace(/^0+(?=.)/, "");
  return hex;
}

function readCertificate(base64: string): { cert?: IssuedCertificate; error?: string } {
  try {
    const pem = Buffer.from(base64, "base64").toString("utf8");
    const first = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(pem);
    if (first === null) return { error: "status.certificate holds no PEM certificate" };
    const x509 = new X509Certificate(first[0]);
    const spki = x509.publicKey.export({ type: "spki", format: "der" });
    return {
      cert: {
        serial: normalSerial(x509.serialNumber),
        publicKeySha256: sha256Hex(spki),
        notBefore: new Date(x509.validFrom).toISOString(),
        notAfter: new Date(x509.validTo).toISOString(),
        sha256: createHash("sha256").update(x509.raw).digest("hex"),
      },
    };
  } catch (error) {
    return {
      error: `status.certificate cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/** From the object the apiserver returned (client-node's model or plain JSON). */
export function toClusterCsr(cluster: string, object: unknown): ClusterCsr {
  const o = (object ?? {}) as {
    metadata?: { name?: unknown; uid?: unknown; creationTimestamp?: unknown };
    spec?: { request?: unknown; signerName?: unknown; username?: unknown; groups?: unknown };
    status?: { conditions?: unknown; certificate?: unknown };
  };
  let requestSha256: string | undefined;
  const request = o.spec?.request;
  if (typeof request === "string") {
    const der = pemToDer(Buffer.from(request, "base64").toString("utf8"));
    if (der.ok) requestSha256 = sha256Hex(der.der);
  }
  const conditions = Array.isArray(o.status?.conditions) ? (o.status.conditions as unknown[]) : [];
  const certificate =
    typeof o.status?.certificate === "string" && o.status.certificate !== ""
      ? readCertificate(o.status.certificate)
      : {};
  return {
    cluster,
    name: text(o.metadata?.name),
    uid: text(o.metadata?.uid),
    signerName: text(o.spec?.signerName),
    username: text(o.spec?.username),
    groups: Array.isArray(o.spec?.groups) ? o.spec.groups.filter((g) => typeof g === "string") : [],
    creationTimestamp: isoOf(o.metadata?.creationTimestamp),
    conditions: conditions.map((c) => {
      const cond = (c ?? {}) as Record<string, unknown>;
      return {
        type: text(cond.type),
        status: text(cond.status),
        reason: text(cond.reason),
        message: text(cond.message),
        at: isoOf(cond.lastUpdateTime) ?? isoOf(cond.lastTransitionTime),
      };
    }),
    requestSha256,
    certificate: certificate.cert,
    certificateError: certificate.error,
  };
}
