/** One PR being reconciled: the GitHub client, where it is, what was read, and the app's deps. */
import type { V1CertificateSigningRequest } from "@kubernetes/client-node";
import { decodeCsrObject } from "../core/csr/decode.ts";
import type { LiveCsr } from "../core/approval/index.ts";
import type { GitHubApi, RepoRef } from "../github/github-api.ts";
import type { PullSnapshot } from "../github/read-pull-snapshot.ts";
import type { ReadCsrResult } from "../kube/read-csr.ts";
import type { AppDeps, ClusterClients } from "./app-deps.ts";

export interface PullContext {
  readonly api: GitHubApi;
  readonly repo: RepoRef;
  readonly number: number;
  readonly snapshot: PullSnapshot;
  readonly cluster: string;
  readonly kube: ClusterClients;
  readonly deps: AppDeps;
}

export function liveOf(read: ReadCsrResult): LiveCsr {
  return read.present
    ? { present: true, decoded: decodeCsrObject(read.object) }
    : { present: false };
}

export function csrIdentity(object: V1CertificateSigningRequest): { name: string; uid: string } {
  return { name: object.metadata?.name ?? "", uid: object.metadata?.uid ?? "" };
}

export function repoName(repo: RepoRef): string {
  return `${repo.owner}/${repo.repo}`;
}
