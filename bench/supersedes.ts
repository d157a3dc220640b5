/**
 * `npm run bench:supersedes`: the "supersedes" scan of a burst of kubelet client CSRs that one
 * bootstrap token asks for (a node pool joining with one token: one requester, a CN per node),
 * each CSR reconciled once, as the controller does on a first pass and again on every resync.
 *
 * Times, in CPU seconds, `supersededBy` over the cache for every CSR (this tree: each cached
 * object's identity decoded once, src/controller/supersedes.ts) beside the same scan with a
 * decode per pair that passes the cheap filters (uid, signer, requester, created earlier), which
 * is what the controller did before. Both must find the same CSRs (none here: every node has its
 * own CN). BENCH_SUPERSEDES_CSRS sets the burst (default 1,000).
 */
import { loadYaml, type V1CertificateSigningRequest } from "@kubernetes/client-node";
import type { ClusterView } from "../src/controller/cluster-view.ts";
import { identityOf, supersededBy } from "../src/controller/supersedes.ts";
import { decodeCsrObject } from "../src/core/csr/decode.ts";
import { makeCsrObject } from "../test/support/make-csr.ts";

const n = Number(process.env.BENCH_SUPERSEDES_CSRS ?? 1000);
const start = Date.UTC(2026, 10, 30, 8, 0, 0);
const csrs = Array.from({ length: n }, (_, i) =>
  loadYaml<V1CertificateSigningRequest>(
    JSON.stringify(
      makeCsrObject({
        key: "p256",
        subject: { CN: `system:node:worker-${String(i)}`, O: ["system:nodes"] },
        signerName: "kubernetes.io/kube-apiserver-client-kubelet",
        usages: ["digital signature", "client auth"],
        username: "system:bootstrap:abcdef",
        groups: ["system:bootstrappers", "system:authenticated"],
        creationTimestamp: new Date(start + i * 1000).toISOString(),
        name: `csr-${String(i)}`,
      }),
    ),
  ),
);
const cluster: ClusterView = {
  name: "bench",
  cachedByUid: (uid) => csrs.find((c) => c.metadata?.uid === uid),
  cached: () => csrs,
  observedRank: (uid) => csrs.findIndex((c) => c.metadata?.uid === uid),
  readCsr: () => Promise.resolve(undefined),
  readNode: () => Promise.resolve(undefined),
};

function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

function identity(csr: V1CertificateSigningRequest): string | undefined {
  return identityOf(decodeCsrObject(csr));
}

let started = cpuSeconds();
let found = 0;
for (const csr of csrs) {
  const id = identity(csr);
  if (id !== undefined) found += supersededBy(cluster, csr, id).length;
}
const onceSeconds = cpuSeconds() - started;

started = cpuSeconds();
let foundPerPair = 0;
for (const [i, csr] of csrs.entries()) {
  const id = identity(csr);
  // Created one second apart in cache order: "earlier" is an earlier index.
  foundPerPair += csrs.filter(
    (other, j) =>
      j < i &&
      other.spec.signerName === csr.spec.signerName &&
      other.spec.username === csr.spec.username &&
      identity(other) === id,
  ).length;
}
const perPairSeconds = cpuSeconds() - started;

if (found !== foundPerPair) throw new Error(`the scans disagree: ${found} against ${foundPerPair}`);
process.stdout.write(
  `${JSON.stringify(
    {
      benchmark: "supersedes scan, one bootstrap token's burst, each CSR reconciled once",
      csrs: n,
      cpuSecondsDecodedOnce: Number(onceSeconds.toFixed(2)),
      cpuSecondsDecodePerPair: Number(perPairSeconds.toFixed(2)),
      superseded: found,
    },
    null,
    2,
  )}\n`,
);
