/**
 * What the audit tests that build repositories share: a maker of repositories (AuditRepoBuilder)
 * that are removed after each test, and the kubelet-serving CSR most of them record.
 */
import { afterEach } from "vitest";
import { AuditRepoBuilder } from "./audit-repo-builder.ts";

export type RepoOptions = Parameters<typeof AuditRepoBuilder.create>[0];

/**
 * Call once at the top of a test file: returns a maker of repositories, each removed after the
 * test that made it (the cleanup is registered in the calling file).
 */
export function auditRepos(): (options?: RepoOptions) => AuditRepoBuilder {
  const built: AuditRepoBuilder[] = [];
  afterEach(() => {
    for (const r of built.splice(0)) r.remove();
  });
  return (options) => {
    const r = AuditRepoBuilder.create(options);
    built.push(r);
    return r;
  };
}

/** A node's own kubelet-serving CSR, named `<node>-serving`, for these DNS names. */
export function servingCsr(node: string, dns = [node]): Record<string, unknown> & { name: string } {
  return {
    name: `${node}-serving`,
    key: "p256",
    subject: { CN: `system:node:${node}`, O: ["system:nodes"] },
    dns,
    ips: ["10.0.0.11"],
    signerName: "kubernetes.io/kubelet-serving",
    usages: ["digital signature", "server auth"],
    username: `system:node:${node}`,
    groups: ["system:nodes", "system:authenticated"],
  };
}
