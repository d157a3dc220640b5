/** Extra RBAC the scenarios grant on the shared test server (made once, kept; 409 means made). */
import { loadYaml, type V1ClusterRole, type V1ClusterRoleBinding } from "@kubernetes/client-node";
import { isKubeConflict } from "../../src/kube/kube-errors.ts";
import { kubeClients } from "../support/kube-clients.ts";

export interface Rule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly verbs: readonly string[];
}

/** A ClusterRole `name` with `rules`, bound to the user `user`. */
export async function grantClusterRole(
  name: string,
  rules: readonly Rule[],
  user: string,
): Promise<void> {
  const { rbac } = kubeClients("admin");
  const role = loadYaml<V1ClusterRole>(
    JSON.stringify({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name },
      rules,
    }),
  );
  const binding = loadYaml<V1ClusterRoleBinding>(
    JSON.stringify({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: user }],
    }),
  );
  for (const create of [
    () => rbac.createClusterRole({ body: role }),
    () => rbac.createClusterRoleBinding({ body: binding }),
  ]) {
    try {
      await create();
    } catch (error) {
      if (!isKubeConflict(error)) throw error;
    }
  }
}
