import {
  loadYaml,
  type CoreV1Event,
  type V1Lease,
  type V1SelfSubjectReview,
} from "@kubernetes/client-node";

/** A Kubernetes object as plain data (what a manifest says). */
export type PlainObject = { apiVersion: string; kind: string } & Record<string, unknown>;

/*
 * client-node's API methods take instances of its model classes; its YAML loader builds them from
 * plain objects (chosen by apiVersion and kind), as it does for the apiserver's responses.
 */

export function asLease(plain: PlainObject): V1Lease {
  return loadYaml<V1Lease>(JSON.stringify(plain));
}

export function asEvent(plain: PlainObject): CoreV1Event {
  return loadYaml<CoreV1Event>(JSON.stringify(plain));
}

export function asSelfSubjectReview(plain: PlainObject): V1SelfSubjectReview {
  return loadYaml<V1SelfSubjectReview>(JSON.stringify(plain));
}
