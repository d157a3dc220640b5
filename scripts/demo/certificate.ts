/** What an issued certificate says, for the narration and the summary (node:crypto reads it). */
import { X509Certificate } from "node:crypto";

export interface CertificateFacts {
  readonly subject: string;
  readonly issuer: string;
  readonly serial: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly subjectAltNames: string;
  readonly sha256: string;
}

/** `status.certificate` of a CSR (base64 of PEM) read; undefined when absent. */
export function certificateFacts(
  statusCertificate: string | undefined,
): CertificateFacts | undefined {
  if (statusCertificate === undefined || statusCertificate === "") return undefined;
  const cert = new X509Certificate(Buffer.from(statusCertificate, "base64"));
  return {
    subject: cert.subject.replace(/\n/g, ", "),
    issuer: cert.issuer.replace(/\n/g, ", "),
    serial: cert.serialNumber.toLowerCase(),
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
    subjectAltNames: cert.subjectAltName ?? "",
    sha256: cert.fingerprint256.replace(/:/g, "").toLowerCase(),
  };
}
