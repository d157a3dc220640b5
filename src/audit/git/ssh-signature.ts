/**
 * Checks git's SSH commit signatures (the SSHSIG format of OpenSSH's PROTOCOL.sshsig, namespace
 * "git") in-process with node:crypto, against the keys the audit trusts for the app's commits. One
 * `git verify-commit` per receipt would start ssh-keygen once per commit; this keeps a 10,000-record
 * audit to a couple of git processes.
 */
import { createHash, createPublicKey, verify, type KeyObject } from "node:crypto";
import type { SignatureCheck } from "../history.ts";

export interface TrustedKey {
  readonly type: string;
  /** The key in SSH wire format: what a signature names as its signer. */
  readonly blob: Buffer;
  readonly label: string;
  readonly key: KeyObject;
}

class Reader {
  private at = 0;
  private readonly buf: Buffer;
  constructor(buf: Buffer) {
    this.buf = buf;
  }
  bytes(): Buffer {
    if (this.at + 4 > this.buf.length) throw new RangeError("truncated length");
    const len = this.buf.readUInt32BE(this.at);
    this.at += 4;
    if (this.at + len > this.buf.length) throw new RangeError("truncated field");
    const out = this.buf.subarray(this.at, this.at + len);
    this.at += len;
    return out;
  }
  text(): string {
    return this.bytes().toString("latin1");
  }
  raw(n: number): Buffer {
    if (this.at + n > this.buf.length) throw new RangeError("truncated");
    const out = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
  u32(): number {
    return this.raw(4).readUInt32BE(0);
  }
  done(): boolean {
    return this.at === this.buf.length;
  }
}

function sshString(value: Buffer | string): Buffer {
  const body = typeof value === "string" ? Buffer.from(value, "latin1") : value;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
}

function unsigned(mpint: Buffer): Buffer {
  let i = 0;
  while (i < mpint.length - 1 && mpint[i] === 0) i++;
  return mpint.subarray(i);
}

const CURVES: Record<string, { crv: string; size: number; hash: string }> = {
  nistp256: { crv: "P-256", size: 32, hash: "sha256" },
  nistp384: { crv: "P-384", size: 48, hash: "sha384" },
  nistp521: { crv: "P-521", size: 66, hash: "sha512" },
};

/** A public key from its SSH wire blob; undefined for an unsupported or malformed key. */
export function keyFromBlob(blob: Buffer): { type: string; key: KeyObject } | undefined {
  try {
    const r = new Reader(blob);
    const type = r.text();
    if (type === "ssh-ed25519") {
      const x = r.bytes();
      const key = createPublicKey({
        key: { kty: "OKP", crv: "Ed25519", x: x.toString("base64url") },
        format: "jwk",
      });
      return { type, key };
    }
    if (type.startsWith("ecdsa-sha2-")) {
      const curve = CURVES[r.text()];
      const q = r.bytes();
      if (curve === undefined || q[0] !== 4 || q.length !== 1 + 2 * curve.size) return undefined;
      const x = q.subarray(1, 1 + curve.size).toString("base64url");
      const y = q.subarray(1 + curve.size).toString("base64url");
      const key = createPublicKey({ key: { kty: "EC", crv: curve.crv, x, y }, format: "jwk" });
      return { type, key };
    }
    if (type === "ssh-rsa") {
      const e = unsigned(r.bytes()).toString("base64url");
      const n = unsigned(r.bytes()).toString("base64url");
      const key = createPublicKey({ key: { kty: "RSA", n, e }, format: "jwk" });
      return { type, key };
    }
    return undefined;
  } catch {
    return undefined;
  }
}

const KEY_TYPE = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(?:256|384|521))$/;

/**
 * Reads trusted keys from OpenSSH public key lines (`ssh-ed25519 AAAA... comment`) or an
 * allowed-signers file (`principals [options] ssh-ed25519 AAAA...`). Lines without a key are
 * ignored; a key that does not parse is an error (a typo must not silently trust nothing).
 */
export function parseTrustedKeys(
  text: string,
): { ok: true; keys: TrustedKey[] } | { ok: false; message: string } {
  const keys: TrustedKey[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const tokens = trimmed.split(/[ \t]+/);
    const at = tokens.findIndex((t) => KEY_TYPE.test(t));
    if (at === -1) return { ok: false, message: `line ${index + 1}: no SSH public key found` };
    const blob = Buffer.from(tokens[at + 1] ?? "", "base64");
    const parsed = keyFromBlob(blob);
    if (parsed === undefined || parsed.type !== tokens[at])
      return {
        ok: false,
        message: `line ${index + 1}: the ${tokens[at] ?? ""} key does not parse`,
      };
    const label =
      tokens.slice(at + 2).join(" ") || (at > 0 ? (tokens[0] ?? "") : (tokens[at] ?? ""));
    keys.push({ type: parsed.type, blob, label, key: parsed.key });
  }
  if (keys.length === 0) return { ok: false, message: "no SSH public key found" };
  return { ok: true, keys };
}

function ecdsaSignature(sig: Buffer, size: number): Buffer {
  const r = new Reader(sig);
  const pad = (v: Buffer): Buffer => {
    const u = unsigned(v);
    if (u.length > size) throw new RangeError("ECDSA value too long");
    return Buffer.concat([Buffer.alloc(size - u.length), u]);
  };
  return Buffer.concat([pad(r.bytes()), pad(r.bytes())]);
}

function checkRaw(keyType: string, key: KeyObject, data: Buffer, signature: Buffer): boolean {
  const r = new Reader(signature);
  const sigType = r.text();
  const sig = r.bytes();
  if (keyType === "ssh-ed25519") return sigType === keyType && verify(null, data, key, sig);
  if (keyType.startsWith("ecdsa-sha2-")) {
    const curve = CURVES[keyType.slice("ecdsa-sha2-".length)];
    if (curve === undefined || sigType !== keyType) return false;
    return verify(
      curve.hash,
      data,
      { key, dsaEncoding: "ieee-p1363" },
      ecdsaSignature(sig, curve.size),
    );
  }
  if (keyType === "ssh-rsa") {
    if (sigType === "rsa-sha2-256") return verify("sha256", data, key, sig);
    if (sigType === "rsa-sha2-512") return verify("sha512", data, key, sig);
  }
  return false;
}

const ARMOR =
  /^-----BEGIN SSH SIGNATURE-----\n([A-Za-z0-9+/=\n]+)\n-----END SSH SIGNATURE-----\n?$/;

/** Checks one armored SSH signature over `payload` against the trusted keys. */
export function verifySshSignature(
  armored: string,
  payload: Buffer,
  trusted: readonly TrustedKey[],
): SignatureCheck {
  const armor = ARMOR.exec(armored.replace(/\r\n/g, "\n").trim() + "\n");
  if (armor === null) return { kind: "bad", reason: "the SSH signature armor is malformed" };
  try {
    const blob = Buffer.from((armor[1] ?? "").replace(/\n/g, ""), "base64");
    const r = new Reader(blob);
    if (r.raw(6).toString("latin1") !== "SSHSIG")
      return { kind: "bad", reason: "not an SSHSIG blob" };
    if (r.u32() !== 1) return { kind: "bad", reason: "unsupported SSHSIG version" };
    const publicKey = r.bytes();
    const namespace = r.bytes();
    const reserved = r.bytes();
    const hashAlgorithm = r.text();
    const signature = r.bytes();
    if (!r.done()) return { kind: "bad", reason: "trailing bytes after the SSH signature" };
    if (namespace.toString("latin1") !== "git")
      return { kind: "bad", reason: "the SSH signature is not in the git namespace" };
    if (hashAlgorithm !== "sha256" && hashAlgorithm !== "sha512")
      return { kind: "bad", reason: `unsupported hash ${hashAlgorithm}` };
    const signer = trusted.find((k) => k.blob.equals(publicKey));
    if (signer === undefined)
      return { kind: "bad", reason: "signed by a key the audit does not trust for the app" };
    const data = Buffer.concat([
      Buffer.from("SSHSIG", "latin1"),
      sshString(namespace),
      sshString(reserved),
      sshString(hashAlgorithm),
      sshString(createHash(hashAlgorithm).update(payload).digest()),
    ]);
    return checkRaw(signer.type, signer.key, data, signature)
      ? { kind: "verified", signer: signer.label }
      : {
          kind: "bad",
          reason: "the SSH signature does not verify: the commit was altered or forged",
        };
  } catch (error) {
    return {
      kind: "bad",
      reason: `the SSH signature is malformed (${error instanceof Error ? error.message : "unreadable"})`,
    };
  }
}

/** The check for one commit's signature, whatever its format. */
export function checkCommitSignature(
  signature: string | undefined,
  payload: Buffer,
  trusted: readonly TrustedKey[] | undefined,
): SignatureCheck {
  if (signature === undefined) return { kind: "unsigned" };
  if (signature.startsWith("-----BEGIN SSH SIGNATURE-----")) {
    if (trusted === undefined)
      return { kind: "unchecked", reason: "no signing key was given (--signing-key)" };
    return verifySshSignature(signature, payload, trusted);
  }
  if (signature.startsWith("-----BEGIN PGP SIGNATURE-----"))
    return {
      kind: "unchecked",
      reason: "OpenPGP signatures are checked through the GitHub API, not in a clone",
    };
  return { kind: "bad", reason: "unknown signature format" };
}
