/** Records of representative CSRs, built by the real decoder and the default policy. */
import { decodeCsrObject } from "../../../src/core/csr/decode.ts";
import { DEFAULT_POLICY, evaluate } from "../../../src/core/policy/index.ts";
import { buildRecord, type CsrRecord } from "../../../src/core/record/record.ts";
import type { BatchEntry } from "../../../src/core/record/render-batch.ts";
import { fixedKeyPair } from "../../support/fixed-keys.ts";
import {
  kubeletServing,
  makeCsrObject,
  userClient,
  type MakeCsrObjectOptions,
} from "../../support/make-csr.ts";

export const UID = "5b0c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3";
export const BASE_COMMIT = "0123456789abcdef0123456789abcdef01234567";
export const RECORDED_AT = new Date("2026-11-29T16:20:00.000Z");

export function recordFor(
  opts: MakeCsrObjectOptions,
  extra: { supersedes?: string[]; object?: Record<string, unknown> } = {},
): CsrRecord {
  const object =
    extra.object ??
    makeCsrObject({
      name: "csr-8k2lq",
      uid: UID,
      creationTimestamp: "2026-11-29T16:19:58Z",
      ...opts,
      keyPair: fixedKeyPair("rsa2048"),
      key: "rsa2048",
    });
  const decoded = decodeCsrObject(object);
  const verdict = evaluate(DEFAULT_POLICY, decoded);
  const spec = object.spec as { request: string };
  const built = buildRecord({
    cluster: "prod-eu",
    recordedAt: RECORDED_AT,
    decoded,
    specRequest: spec.request,
    verdict,
    policy: { source: "builtin", blobSha: null, configBlobSha: null, baseCommit: BASE_COMMIT },
    supersedes: extra.supersedes ?? [],
  });
  if (!built.ok) throw new Error(built.message);
  return built.record;
}

export const servingRecord = (): CsrRecord => recordFor(kubeletServing("worker-1", ["10.0.0.5"]));
export const userRecord = (): CsrRecord => recordFor(userClient("alice", ["dev"]));

/** A type with every field writable, at every depth: a fixture's copy to edit. */
export type Writable<T> = { -readonly [K in keyof T]: T[K] extends object ? Writable<T[K]> : T[K] };

let batchBase: CsrRecord | undefined;

/** The user-client record named `name`, with some fields changed, as an entry of a batch PR. */
export function batchEntry(
  name: string,
  edit: (r: Writable<CsrRecord>) => void = () => undefined,
): BatchEntry {
  batchBase ??= userRecord();
  const r = structuredClone(batchBase) as Writable<CsrRecord>;
  r.csr.name = name;
  edit(r);
  return { path: `clusters/prod-eu/${name}_${r.csr.uid}/record.yaml`, record: r };
}
