/**
 * Writes the Approved or Denied condition by a PUT of the approval subresource whose body is the
 * object just read: its metadata.uid and metadata.resourceVersion are preconditions, so a CSR
 * that changed (409) or was replaced (409, uid) since the read is never written. Never a PATCH by
 * name, never a blind retry: on a conflict the caller re-reads and re-verifies everything.
 */
import {
  dumpYaml,
  loadYaml,
  type CertificatesV1Api,
  type V1CertificateSigningRequest,
} from "@kubernetes/client-node";
import { parse } from "yaml";
import { kubeStatus } from "./kube-status.ts";

export interface DecisionCondition {
  readonly type: "Approved" | "Denied";
  readonly reason: string;
  readonly message: string;
}

export type WriteDecisionResult =
  | { readonly ok: true; readonly object: V1CertificateSigningRequest }
  | {
      readonly ok: false;
      readonly kind: "conflict" | "not-found" | "invalid";
      readonly message: string;
    };

interface PlainCsr {
  status?: { conditions?: unknown[] } & Record<string, unknown>;
}

function loadPlain(yaml: string): PlainCsr {
  return parse(yaml) as PlainCsr;
}

/** Kubernetes caps condition messages at 32 KiB; keep them far shorter and on one line. */
const MESSAGE_MAX = 1024;

export async function writeCsrDecision(
  api: CertificatesV1Api,
  object: V1CertificateSigningRequest,
  condition: DecisionCondition,
  now: Date,
): Promise<WriteDecisionResult> {
  const name = object.metadata?.name;
  if (
    name === undefined ||
    object.metadata?.uid === undefined ||
    object.metadata.resourceVersion === undefined
  )
    return {
      ok: false,
      kind: "invalid",
      message: "the object read has no name, uid or resourceVersion",
    };
  // client-node's methods take its model classes; its YAML (de)serializer converts both ways.
  const plain = loadPlain(dumpYaml(object));
  const conditions = Array.isArray(plain.status?.conditions) ? plain.status.conditions : [];
  plain.status = {
    ...plain.status,
    conditions: [
      ...conditions,
      {
        type: condition.type,
        status: "True",
        reason: condition.reason,
        message: condition.message.slice(0, MESSAGE_MAX),
        lastUpdateTime: now.toISOString().replace(/\.\d{3}Z$/, "Z"),
      },
    ],
  };
  const body = loadYaml<V1CertificateSigningRequest>(JSON.stringify(plain));
  try {
    const written = await api.replaceCertificateSigningRequestApproval({ name, body });
    return { ok: true, object: written };
  } catch (error) {
    const status = kubeStatus(error);
    if (status === 409)
      return { ok: false, kind: "conflict", message: "the CSR changed since it was read" };
    if (status === 404)
      return { ok: false, kind: "not-found", message: "the CSR no longer exists" };
    if (status === 422) return { ok: false, kind: "invalid", message: (error as Error).message };
    throw error;
  }
}
