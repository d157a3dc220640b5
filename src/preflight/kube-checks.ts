/**
 * Kubernetes checks of one cluster: a SelfSubjectAccessReview per needed right (fail when
 * denied) and per dangerous right (warn when allowed). The apiserver answers as the identity
 * the kubeconfig context names, so this is exactly the access `serve` will have.
 */
import {
  AuthorizationV1Api,
  V1ResourceAttributes,
  V1SelfSubjectAccessReview,
  V1SelfSubjectAccessReviewSpec,
  type KubeConfig,
} from "@kubernetes/client-node";
import type { CheckResult } from "./check-result.ts";
import { describeAccess, type AccessAttributes, type AccessCheck } from "./kube-access.ts";

async function allowed(authz: AuthorizationV1Api, a: AccessAttributes): Promise<boolean> {
  const attributes = Object.assign(new V1ResourceAttributes(), a);
  const spec = Object.assign(new V1SelfSubjectAccessReviewSpec(), {
    resourceAttributes: attributes,
  });
  const body = Object.assign(new V1SelfSubjectAccessReview(), {
    apiVersion: "authorization.k8s.io/v1",
    kind: "SelfSubjectAccessReview",
    spec,
  });
  const review = await authz.createSelfSubjectAccessReview({ body });
  return review.status?.allowed === true;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function checkKubeAccess(
  cluster: string,
  kubeConfig: KubeConfig,
  required: readonly AccessCheck[],
  excess: readonly AccessCheck[],
): Promise<CheckResult[]> {
  const section = `kubernetes: cluster ${cluster} (context ${kubeConfig.getCurrentContext()})`;
  const authz = kubeConfig.makeApiClient(AuthorizationV1Api);
  const results: CheckResult[] = [];
  try {
    for (const check of required) {
      const ok =
        (await allowed(authz, check.attributes)) ||
        (check.orWildcard !== undefined && (await allowed(authz, check.orWildcard)));
      const name = `may ${describeAccess(check.attributes)}`;
      results.push(
        ok
          ? { section, name, status: "pass" }
          : {
              section,
              name,
              status: "fail",
              detail: `denied; ${check.why}`,
              fix: `bind the identity to deploy/clusterrole.yaml and deploy/role.yaml (kubectl apply -k deploy/), adding this signer to the ClusterRole's approve list if it is not there`,
            },
      );
    }
    const extra: string[] = [];
    for (const check of excess) {
      if (await allowed(authz, check.attributes))
        extra.push(`${describeAccess(check.attributes)} (${check.why})`);
    }
    results.push(
      extra.length === 0
        ? { section, name: "no rights beyond what the app needs", status: "pass" }
        : {
            section,
            name: "rights beyond what the app needs",
            status: "warn",
            detail: extra.join("; "),
            fix: "run the app as its own ServiceAccount bound only to deploy/clusterrole.yaml and deploy/role.yaml (not cluster-admin, not system:masters)",
          },
    );
  } catch (error) {
    results.push({
      section,
      name: "reach the apiserver",
      status: "fail",
      detail: errorText(error),
      fix: "check the kubeconfig context (server, credentials) or the in-cluster ServiceAccount token",
    });
  }
  return results;
}
