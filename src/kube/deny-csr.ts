/**
 * Writes a Denied condition on a CSR: a PUT of the approval subresource with the object just read,
 * so its uid and resourceVersion are preconditions (a replaced or changed CSR gives 409: re-read,
 * never a blind retry). Used by `policyDenied: deny`.
 */
import {
  dumpYaml,
  loadYaml,
  type CertificatesV1Api,
  type V1CertificateSigningRequest,
} from "@kubernetes/client-node";
import { parse } from "yaml";

export async function denyCsr(
  certificates: CertificatesV1Api,
  csr: V1CertificateSigningRequest,
  reason: string,
  message: string,
  now: Date,
): Promise<void> {
  const name = csr.metadata?.name;
  if (name === undefined) throw new Error("a CSR without a name cannot be denied");
  const plain = parse(dumpYaml(csr)) as {
    status?: { conditions?: unknown[] };
  } & Record<string, unknown>;
  const status = plain.status ?? {};
  status.conditions = [
    ...(status.conditions ?? []),
    {
      type: "Denied",
      status: "True",
      reason,
      message,
      lastUpdateTime: now.toISOString().replace(/\.\d{3}Z$/, "Z"),
    },
  ];
  plain.status = status;
  const body = loadYaml<V1CertificateSigningRequest>(JSON.stringify(plain));
  await certificates.replaceCertificateSigningRequestApproval({ name, body });
}
