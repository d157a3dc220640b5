import type { PublicKeyInfo } from "../csr/types.ts";
import type { SignerRule } from "./policy-schema.ts";
import type { Reason } from "./verdict.ts";

const field = "request.publicKey";

/** The request's public key against the rule: a key type the rule does not name is denied. */
export function checkKey(rule: SignerRule["keys"], key: PublicKeyInfo): Reason[] {
  switch (key.algorithm) {
    case "RSA":
      if (rule.rsaMinBits === undefined) {
        return [{ code: "key-algorithm-not-allowed", message: "RSA keys are not allowed", field }];
      }
      return key.bits >= rule.rsaMinBits
        ? []
        : [
            {
              code: "key-too-small",
              message: `RSA key has ${key.bits} bits, at least ${rule.rsaMinBits} required`,
              field,
            },
          ];
    case "ECDSA":
      if (rule.ecdsaCurves === undefined || rule.ecdsaCurves.length === 0) {
        return [
          { code: "key-algorithm-not-allowed", message: "ECDSA keys are not allowed", field },
        ];
      }
      return rule.ecdsaCurves.includes(key.curve)
        ? []
        : [
            {
              code: "key-curve-not-allowed",
              message: `ECDSA curve ${key.curve} is not allowed (allowed: ${rule.ecdsaCurves.join(", ")})`,
              field,
            },
          ];
    case "Ed25519":
      return rule.ed25519 === true
        ? []
        : [{ code: "key-algorithm-not-allowed", message: "Ed25519 keys are not allowed", field }];
  }
}
