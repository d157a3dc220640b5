/**
 * Fixed test keys, for outputs that must be the same on every run (snapshots): RSA PKCS#1 v1.5
 * and Ed25519 signatures are deterministic, so the same options give the same request bytes.
 * These keys are test fixtures only and protect nothing.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";

export type FixedKeyType = "rsa2048" | "ed25519";

export function fixedKeyPair(type: FixedKeyType): { privateKey: KeyObject; publicKey: KeyObject } {
  const pem = readFileSync(new URL(`fixtures/${type}-key.pem`, import.meta.url), "utf8");
  const privateKey = createPrivateKey(pem);
  return { privateKey, publicKey: createPublicKey(privateKey) };
}
