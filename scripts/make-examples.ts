/**
 * Writes the example CSRs in examples/: `node scripts/make-examples.ts`.
 *
 * Keys come from fixed seeds, so names, keys, digests of the public keys and every field but
 * the signature are the same on every run. Ed25519 signatures are deterministic too; ECDSA ones
 * use a random nonce, so the ECDSA examples' signature bytes (and request digests) change each
 * time the script runs. Every example is a real, verifiable request.
 */
import {
  createECDH,
  createHash,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
} from "node:crypto";
import { writeFileSync } from "node:fs";
import { stringify } from "yaml";
import { makeCsrObject, makeCsrPem, type MakeCsrObjectOptions } from "../test/support/make-csr.ts";

const outDir = new URL("../examples/", import.meta.url);

function seed(label: string): Buffer {
  return createHash("sha256").update(`csr-gitops example key: ${label}`).digest();
}

function keyPair(privateKey: KeyObject): { privateKey: KeyObject; publicKey: KeyObject } {
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/** A P-256 key whose private scalar is derived from `label`. */
function p256(label: string): { privateKey: KeyObject; publicKey: KeyObject } {
  const d = seed(label);
  const ecdh = createECDH("prime256v1");
  ecdh.setPrivateKey(d);
  const point = ecdh.getPublicKey();
  const b64url = (b: Buffer): string => b.toString("base64url");
  return keyPair(
    createPrivateKey({
      format: "jwk",
      key: {
        kty: "EC",
        crv: "P-256",
        d: b64url(d),
        x: b64url(point.subarray(1, 33)),
        y: b64url(point.subarray(33)),
      },
    }),
  );
}

/** An Ed25519 key whose seed is derived from `label` (PKCS#8 wrapping of the raw seed). */
function ed25519(label: string): { privateKey: KeyObject; publicKey: KeyObject } {
  const pkcs8 = Buffer.concat([
    Buffer.from("302e020100300506032b657004220420", "hex"),
    seed(label),
  ]);
  return keyPair(createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" }));
}

function writeObject(file: string, opts: MakeCsrObjectOptions): void {
  const yaml = stringify(makeCsrObject(opts), { lineWidth: 0 });
  writeFileSync(new URL(file, outDir), yaml);
  console.log(`wrote examples/${file}`);
}

// A kubelet asking for its serving certificate, as it does after TLS bootstrap (pending).
writeObject("kubelet-serving.yaml", {
  keyPair: p256("kubelet-serving worker-1"),
  subject: { O: ["system:nodes"], CN: "system:node:worker-1" },
  dns: ["worker-1"],
  ips: ["10.0.0.11", "fd00:10::11"],
  name: "csr-8w5kq",
  uid: "6f0c2a8e-1c5b-4d2e-9a77-3f1b2c4d5e60",
  resourceVersion: "18342",
  creationTimestamp: "2025-06-02T09:14:27Z",
  signerName: "kubernetes.io/kubelet-serving",
  usages: ["digital signature", "server auth"],
  username: "system:node:worker-1",
  groups: ["system:nodes", "system:authenticated"],
});

// A person's client certificate, made with openssl and submitted by a cluster admin.
writeObject("user-client.yaml", {
  keyPair: ed25519("user-client alice"),
  subject: { O: ["dev-team"], CN: "alice" },
  name: "alice-2025-06",
  uid: "2d3e4f50-6a7b-4c8d-9e0f-112233445566",
  resourceVersion: "18401",
  creationTimestamp: "2025-06-02T10:02:11Z",
  signerName: "kubernetes.io/kube-apiserver-client",
  usages: ["digital signature", "client auth"],
  expirationSeconds: 86400,
  username: "kubernetes-admin",
  groups: ["kubeadm:cluster-admins", "system:authenticated"],
});

// A CI service account asking a custom signer for a system:masters identity: policy must deny.
writeObject("forged-masters.yaml", {
  keyPair: ed25519("forged-masters"),
  subject: { O: ["system:masters"], CN: "deployer" },
  name: "deployer-admin",
  uid: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
  resourceVersion: "18555",
  creationTimestamp: "2025-06-02T11:45:00Z",
  signerName: "corp.example.com/internal-ca",
  usages: ["digital signature", "client auth"],
  expirationSeconds: 31536000,
  username: "system:serviceaccount:ci:deployer",
  requesterUid: "0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5",
  groups: ["system:serviceaccounts", "system:serviceaccounts:ci", "system:authenticated"],
});

// A bare PKCS#10 request, as `openssl req -new` writes it.
writeFileSync(
  new URL("request.pem", outDir),
  makeCsrPem({
    keyPair: ed25519("request.pem"),
    subject: { C: "DE", O: ["example"], CN: "web.example.com" },
    dns: ["web.example.com"],
  }),
);
console.log("wrote examples/request.pem");
