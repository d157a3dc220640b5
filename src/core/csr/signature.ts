import { constants, verify, type KeyObject } from "node:crypto";
import { failure, type Failure } from "./decode-error.ts";
import { readPssParameters } from "./pss-parameters.ts";
import type { AlgorithmIdentifier } from "./request-layout.ts";
import type { PublicKeyInfo } from "./types.ts";

type Hash = "sha1" | "sha256" | "sha384" | "sha512";

/** How to check one signature: the name shown to reviewers and the node:crypto call. */
export interface SignatureScheme {
  readonly name: string;
  /** Which key algorithm this scheme belongs to; any other key cannot have made the signature. */
  readonly keyAlgorithm: PublicKeyInfo["algorithm"];
  readonly hash: Hash | null;
  readonly pss?: { readonly saltLength: number };
}

const SCHEMES: Readonly<Record<string, SignatureScheme>> = {
  "1.2.840.113549.1.1.5": { name: "sha1WithRSAEncryption", keyAlgorithm: "RSA", hash: "sha1" },
  "1.2.840.113549.1.1.11": { name: "sha256WithRSAEncryption", keyAlgorithm: "RSA", hash: "sha256" },
  "1.2.840.113549.1.1.12": { name: "sha384WithRSAEncryption", keyAlgorithm: "RSA", hash: "sha384" },
  "1.2.840.113549.1.1.13": { name: "sha512WithRSAEncryption", keyAlgorithm: "RSA", hash: "sha512" },
  "1.2.840.10045.4.1": { name: "ecdsa-with-SHA1", keyAlgorithm: "ECDSA", hash: "sha1" },
  "1.2.840.10045.4.3.2": { name: "ecdsa-with-SHA256", keyAlgorithm: "ECDSA", hash: "sha256" },
  "1.2.840.10045.4.3.3": { name: "ecdsa-with-SHA384", keyAlgorithm: "ECDSA", hash: "sha384" },
  "1.2.840.10045.4.3.4": { name: "ecdsa-with-SHA512", keyAlgorithm: "ECDSA", hash: "sha512" },
  "1.3.101.112": { name: "Ed25519", keyAlgorithm: "Ed25519", hash: null },
};

const OID_RSASSA_PSS = "1.2.840.113549.1.1.10";
const OID_MGF1 = "1.2.840.113549.1.1.8";

const HASHES: Readonly<Record<string, Hash>> = {
  "1.3.14.3.2.26": "sha1",
  "2.16.840.1.101.3.4.2.1": "sha256",
  "2.16.840.1.101.3.4.2.2": "sha384",
  "2.16.840.1.101.3.4.2.3": "sha512",
};

const KNOWN_UNSUPPORTED: Readonly<Record<string, string>> = {
  "1.2.840.113549.1.1.4": "md5WithRSAEncryption",
  "1.2.840.113549.1.1.2": "md2WithRSAEncryption",
  "1.2.840.113549.1.1.14": "sha224WithRSAEncryption",
  "1.2.840.10045.4.3.1": "ecdsa-with-SHA224",
  "1.2.840.10040.4.3": "dsa-with-sha1",
  "2.16.840.1.101.3.4.3.2": "dsa-with-sha256",
  "1.3.101.113": "Ed448",
};

/** The scheme named by the request's signatureAlgorithm, or an unsupported-signature-algorithm error. */
export function signatureScheme(
  algorithm: AlgorithmIdentifier,
): { ok: true; scheme: SignatureScheme } | Failure {
  const { oid } = algorithm;
  const known = SCHEMES[oid];
  if (known !== undefined) return { ok: true, scheme: known };
  if (oid === OID_RSASSA_PSS) return pssScheme(algorithm.parameters);
  const name = KNOWN_UNSUPPORTED[oid];
  return failure(
    "unsupported-signature-algorithm",
    `signature algorithm ${name === undefined ? oid : `${name} (${oid})`} is not supported`,
  );
}

/** RSASSA-PSS: hash, MGF1 with the same hash, and salt length come from the parameters (RFC 4055). */
function pssScheme(
  parameters: Uint8Array | undefined,
): { ok: true; scheme: SignatureScheme } | Failure {
  if (parameters === undefined) {
    return failure(
      "unsupported-signature-algorithm",
      "RSASSA-PSS without parameters is not supported",
    );
  }
  const params = readPssParameters(parameters);
  if (typeof params === "string") {
    return failure(
      "unsupported-signature-algorithm",
      `RSASSA-PSS parameters do not parse: ${params}`,
    );
  }
  const hash = HASHES[params.hash];
  const mgfHash =
    params.maskGenerator === OID_MGF1 && params.maskGeneratorHash !== undefined
      ? HASHES[params.maskGeneratorHash]
      : undefined;
  if (hash === undefined || hash !== mgfHash || params.trailerField !== 1) {
    return failure(
      "unsupported-signature-algorithm",
      "RSASSA-PSS with other than MGF1 of the same SHA hash is not supported",
    );
  }
  return {
    ok: true,
    scheme: {
      name: `rsassa-pss-${hash}`,
      keyAlgorithm: "RSA",
      hash,
      pss: { saltLength: params.saltLength },
    },
  };
}

/**
 * Whether `signature` over `signed` verifies with `key` under `scheme`. Any failure, including a
 * key of the wrong kind or a signature node:crypto cannot read, is simply "does not verify".
 */
export function verifySignature(
  scheme: SignatureScheme,
  keyInfo: PublicKeyInfo,
  key: KeyObject,
  signed: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (scheme.keyAlgorithm !== keyInfo.algorithm) return false;
  try {
    if (scheme.pss !== undefined) {
      return verify(
        scheme.hash,
        signed,
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: scheme.pss.saltLength },
        signature,
      );
    }
    return verify(scheme.hash, signed, key, signature);
  } catch {
    return false;
  }
}
