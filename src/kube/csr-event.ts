/**
 * A Kubernetes Event about a CSR (core/v1, in the `default` namespace, where the app's Role
 * allows it: cluster-scoped objects' Events go there). Messages must already be inert.
 */
import { randomBytes } from "node:crypto";
import { loadYaml, type CoreV1Api, type CoreV1Event } from "@kubernetes/client-node";

export const EVENT_NAMESPACE = "default";
export const EVENT_SOURCE = "csr-gitops";

export interface CsrEvent {
  readonly type: "Normal" | "Warning";
  /** CamelCase, stable: e.g. Approved, Denied, ApprovalRefused, CertificateMismatch. */
  readonly reason: string;
  readonly message: string;
}

export async function emitCsrEvent(
  core: CoreV1Api,
  csr: { readonly name: string; readonly uid: string },
  event: CsrEvent,
  now: Date,
): Promise<void> {
  await core.createNamespacedEvent({
    namespace: EVENT_NAMESPACE,
    // client-node's methods take its model classes; its YAML loader builds one from plain JSON.
    body: loadYaml<CoreV1Event>(
      JSON.stringify({
        apiVersion: "v1",
        kind: "Event",
        metadata: {
          name: `${csr.name}.${randomBytes(8).toString("hex")}`,
          namespace: EVENT_NAMESPACE,
        },
        involvedObject: {
          apiVersion: "certificates.k8s.io/v1",
          kind: "CertificateSigningRequest",
          name: csr.name,
          uid: csr.uid,
        },
        type: event.type,
        reason: event.reason,
        message: event.message.slice(0, 1024),
        source: { component: EVENT_SOURCE },
        reportingComponent: EVENT_SOURCE,
        reportingInstance: EVENT_SOURCE,
        firstTimestamp: now.toISOString(),
        lastTimestamp: now.toISOString(),
        count: 1,
      }),
    ),
  });
}
