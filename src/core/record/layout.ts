/**
 * Where things live in the audit repository (docs/audit-repo.md): record and receipt paths, and
 * the app's branch names. Pure. Every name that goes into a path is checked against the alphabet
 * the apiserver allows, so no CSR can choose a path outside its cluster folder.
 */
import { createHash } from "node:crypto";

export const CONFIG_PATH = ".github/csr-gitops.yml";
export const POLICY_PATH = ".github/csr-gitops/policy.yaml";
export const TITLE_TEMPLATE_PATH = ".github/csr-gitops/title.md";
export const BODY_TEMPLATE_PATH = ".github/csr-gitops/body.md";
export const BRANCH_PREFIX = "csr-gitops/";
export const RECORD_FILE = "record.yaml";
export const DECISION_FILE = "decision.yaml";
export const CERTIFICATE_FILE = "certificate.yaml";

/** A DNS label, as Kubernetes and this project's config accept cluster names. */
const CLUSTER = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** A DNS-1123 subdomain: what the apiserver accepts as a CSR's metadata.name. */
const CSR_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** metadata.uid: the apiserver writes an RFC 4122 UUID in lower case. */
const UID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isClusterName(value: string): boolean {
  return CLUSTER.test(value);
}
export function isCsrName(value: string): boolean {
  return CSR_NAME.test(value);
}
export function isCsrUid(value: string): boolean {
  return UID.test(value);
}

/** The identity of one CSR in the audit repository. */
export interface CsrKey {
  readonly cluster: string;
  readonly name: string;
  readonly uid: string;
}

export type LayoutResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

function checkKey(key: CsrKey): string | undefined {
  if (!isClusterName(key.cluster))
    return `cluster name ${JSON.stringify(key.cluster)} is not a DNS label`;
  if (!isCsrName(key.name)) return `CSR name ${JSON.stringify(key.name)} is not a DNS subdomain`;
  if (!isCsrUid(key.uid)) return `CSR uid ${JSON.stringify(key.uid)} is not a lower-case UUID`;
  return undefined;
}

/** `clusters/<cluster>/<name>_<uid>`: the folder of one CSR's record and receipts. */
export function csrFolder(key: CsrKey): LayoutResult<string> {
  const problem = checkKey(key);
  if (problem !== undefined) return { ok: false, message: problem };
  return { ok: true, value: `clusters/${key.cluster}/${key.name}_${key.uid}` };
}

function inFolder(key: CsrKey, file: string): LayoutResult<string> {
  const folder = csrFolder(key);
  return folder.ok ? { ok: true, value: `${folder.value}/${file}` } : folder;
}

export const recordPath = (key: CsrKey): LayoutResult<string> => inFolder(key, RECORD_FILE);
export const decisionPath = (key: CsrKey): LayoutResult<string> => inFolder(key, DECISION_FILE);
export const certificatePath = (key: CsrKey): LayoutResult<string> =>
  inFolder(key, CERTIFICATE_FILE);

const RECORD_PATH =
  /^clusters\/([^/]+)\/([^/_]+)_([^/_]+)\/(record\.yaml|decision\.yaml|certificate\.yaml)$/;

export type CsrFileKind = "record" | "decision" | "certificate";

/** Reads a path back into its key and file kind; anything else (or any invalid name) is refused. */
export function parseCsrPath(
  path: string,
): LayoutResult<{ readonly key: CsrKey; readonly kind: CsrFileKind }> {
  const match = RECORD_PATH.exec(path);
  if (match === null)
    return { ok: false, message: `${JSON.stringify(path)} is not a CSR file path` };
  const [, cluster = "", name = "", uid = "", file = ""] = match;
  const key = { cluster, name, uid };
  const problem = checkKey(key);
  if (problem !== undefined) return { ok: false, message: problem };
  const kind = file.slice(0, file.indexOf(".")) as CsrFileKind;
  return { ok: true, value: { key, kind } };
}

/** `csr-gitops/<cluster>/<uid>`: the app's branch for a PR of one CSR. */
export function singleBranch(key: CsrKey): LayoutResult<string> {
  const problem = checkKey(key);
  if (problem !== undefined) return { ok: false, message: problem };
  return { ok: true, value: `${BRANCH_PREFIX}${key.cluster}/${key.uid}` };
}

/** First 16 hex digits of the SHA-256 of the sorted uids joined by newlines. */
export function batchId(uids: readonly string[]): string {
  return createHash("sha256")
    .update([...uids].sort().join("\n"))
    .digest("hex")
    .slice(0, 16);
}

/** `csr-gitops/<cluster>/batch-<id>`: the app's branch for a PR of several CSRs. */
export function batchBranch(keys: readonly CsrKey[]): LayoutResult<string> {
  const first = keys[0];
  if (first === undefined) return { ok: false, message: "a batch needs at least one CSR" };
  for (const key of keys) {
    const problem = checkKey(key);
    if (problem !== undefined) return { ok: false, message: problem };
    if (key.cluster !== first.cluster) return { ok: false, message: "a batch holds one cluster" };
  }
  const id = batchId(keys.map((k) => k.uid));
  return { ok: true, value: `${BRANCH_PREFIX}${first.cluster}/batch-${id}` };
}

export type AppBranch =
  | { readonly kind: "single"; readonly cluster: string; readonly uid: string }
  | { readonly kind: "batch"; readonly cluster: string; readonly batchId: string };

/** Reads an app branch name back; undefined for any branch the app does not make. */
export function parseAppBranch(branch: string): AppBranch | undefined {
  const match = /^csr-gitops\/([^/]+)\/([^/]+)$/.exec(branch);
  if (match === null) return undefined;
  const [, cluster = "", rest = ""] = match;
  if (!isClusterName(cluster)) return undefined;
  if (isCsrUid(rest)) return { kind: "single", cluster, uid: rest };
  const batch = /^batch-([0-9a-f]{16})$/.exec(rest);
  return batch?.[1] === undefined ? undefined : { kind: "batch", cluster, batchId: batch[1] };
}
