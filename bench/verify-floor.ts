/**
 * The floor under any CSR decoder: one `node:crypto` signature verification per key type, on this
 * machine. Reported beside the benchmark so its figures can be read against what OpenSSL alone costs.
 */
import { sign, verify } from "node:crypto";
import { cachedKeyPair, type CsrKeyType } from "../test/support/make-csr.ts";

const hashFor: Record<CsrKeyType, string | null> = {
  rsa2048: "sha256",
  rsa3072: "sha256",
  rsa4096: "sha256",
  p256: "sha256",
  p384: "sha384",
  p521: "sha512",
  ed25519: null,
};

/**
 * Median CPU microseconds (this process, user + system) of one verification, over `rounds`
 * batches of `batch` verifications. CPU time, like the Go reference's floor: a loaded machine
 * disturbs it much less than wall time.
 */
export function verifyFloor(key: CsrKeyType, rounds = 5, batch = 200): number {
  const { privateKey, publicKey } = cachedKeyPair(key);
  const data = Buffer.alloc(400, 0x5a); // about the size of a CertificationRequestInfo
  const signature = sign(hashFor[key], data, privateKey);
  const perRound: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const started = process.cpuUsage();
    for (let i = 0; i < batch; i++) verify(hashFor[key], data, publicKey, signature);
    const { user, system } = process.cpuUsage(started);
    perRound.push((user + system) / batch);
  }
  perRound.sort((a, b) => a - b);
  return perRound[Math.floor(rounds / 2)] ?? Number.NaN;
}
