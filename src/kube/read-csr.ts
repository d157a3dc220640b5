/** Reads one CSR by name, now; a 404 is "absent", not an error. */
import type { CertificatesV1Api, V1CertificateSigningRequest } from "@kubernetes/client-node";
import { kubeStatus } from "./kube-status.ts";

export type ReadCsrResult =
  | { readonly present: false }
  | { readonly present: true; readonly object: V1CertificateSigningRequest };

export async function readCsr(api: CertificatesV1Api, name: string): Promise<ReadCsrResult> {
  try {
    return { present: true, object: await api.readCertificateSigningRequest({ name }) };
  } catch (error) {
    if (kubeStatus(error) === 404) return { present: false };
    throw error;
  }
}
