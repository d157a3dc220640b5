/**
 * The Kubernetes access csr-gitops needs (deploy/clusterrole.yaml, deploy/role.yaml) and the
 * rights it must not have, as SelfSubjectAccessReview attributes. Pure: the caller asks.
 */

export interface AccessAttributes {
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  readonly subresource?: string;
  readonly name?: string;
  /** Absent: cluster-wide. */
  readonly namespace?: string;
}

export interface AccessCheck {
  readonly attributes: AccessAttributes;
  /** Why the app needs it (needed), or why having it is a risk (excess). */
  readonly why: string;
  /** For a `signers` name: the `<domain>/*` form RBAC may grant it with instead. */
  readonly orWildcard?: AccessAttributes;
}

const CERTS = "certificates.k8s.io";

/** `verb group/resource[/sub][ name][ in ns]`, as printed in the checklist. */
export function describeAccess(a: AccessAttributes): string {
  const resource = `${a.group === "" ? "" : `${a.group}/`}${a.resource}${a.subresource === undefined ? "" : `/${a.subresource}`}`;
  const name = a.name === undefined ? "" : ` ${a.name}`;
  const where = a.namespace === undefined ? "" : ` in namespace ${a.namespace}`;
  return `${a.verb} ${resource}${name}${where}`;
}

/** What the app needs; `signers` are the signerNames the policy names (approve on each). */
export function requiredAccess(
  signers: readonly string[],
  leaseNamespace: string,
): readonly AccessCheck[] {
  const read = (resource: string, group: string, why: string): AccessCheck[] =>
    ["get", "list", "watch"].map((verb) => ({ attributes: { verb, group, resource }, why }));
  return [
    ...read("certificatesigningrequests", CERTS, "the controller watches CSRs"),
    {
      attributes: {
        verb: "update",
        group: CERTS,
        resource: "certificatesigningrequests",
        subresource: "approval",
      },
      why: "the app writes the Approved or Denied condition",
    },
    ...signers.map((signer) => {
      const domain = signer.split("/")[0] ?? signer;
      return {
        attributes: { verb: "approve", group: CERTS, resource: "signers", name: signer },
        orWildcard: { verb: "approve", group: CERTS, resource: "signers", name: `${domain}/*` },
        why: `the policy names ${signer}; approving its CSRs needs approve on the signer`,
      };
    }),
    ...read("nodes", "", "the cluster checks read Nodes"),
    ...["create", "patch"].map((verb) => ({
      attributes: { verb, group: "", resource: "events", namespace: "default" },
      why: "the controller records Events on CSRs",
    })),
    ...["get", "create", "update"].map((verb) => ({
      attributes: {
        verb,
        group: "coordination.k8s.io",
        resource: "leases",
        namespace: leaseNamespace,
      },
      why: "leader election holds a Lease",
    })),
  ];
}

/** Rights beyond what the app needs that preflight warns about. */
export function excessAccess(signers: readonly string[]): readonly AccessCheck[] {
  return [
    {
      attributes: { verb: "*", group: "*", resource: "*" },
      why: "every right on everything (cluster-admin)",
    },
    {
      attributes: { verb: "get", group: "", resource: "secrets" },
      why: "reads Secrets in every namespace",
    },
    {
      attributes: { verb: "sign", group: CERTS, resource: "signers" },
      why: "may sign certificates for any signer",
    },
    ...signers.map((signer) => ({
      attributes: { verb: "sign", group: CERTS, resource: "signers", name: signer },
      why: `may sign certificates for ${signer}`,
    })),
    {
      attributes: {
        verb: "update",
        group: CERTS,
        resource: "certificatesigningrequests",
        subresource: "status",
      },
      why: "may write a certificate into a CSR's status",
    },
    {
      attributes: { verb: "create", group: CERTS, resource: "certificatesigningrequests" },
      why: "may create CSRs (and so request certificates itself)",
    },
  ];
}
