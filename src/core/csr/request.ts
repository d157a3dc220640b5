import { readTlvHeader } from "./der.ts";
import { failure, type Failure } from "./decode-error.ts";
import { sha256Hex } from "./hashes.ts";
import { MAX_REQUEST_DER_BYTES } from "./limits.ts";
import { derToPem } from "./pem.ts";
import { decodePublicKey } from "./public-key.ts";
import { readRequestLayout } from "./request-layout.ts";
import { decodeRequestedExtensions } from "./requested-extensions.ts";
import { signatureScheme, verifySignature } from "./signature.ts";
import { decodeSubjectDer } from "./subject.ts";
import type { DecodedRequest } from "./types.ts";

/**
 * Checks that `der` is exactly one top-level SEQUENCE: a shorter input is truncated, a longer one
 * carries trailing data (which a lenient parser would ignore, letting two different byte strings
 * stand for one request).
 */
function checkOuterLength(der: Uint8Array): Failure | undefined {
  const outer = readTlvHeader(der, 0);
  if (!outer.ok) return failure("malformed-der", `not a DER CertificationRequest: ${outer.reason}`);
  if (outer.tlv.tag !== 0x30)
    return failure(
      "malformed-der",
      "not a DER CertificationRequest: does not start with a SEQUENCE",
    );
  if (outer.tlv.end > der.length) {
    return failure(
      "malformed-der",
      `truncated: the request declares ${outer.tlv.end} bytes but ${der.length} are present`,
    );
  }
  if (outer.tlv.end < der.length) {
    return failure(
      "trailing-data",
      `${der.length - outer.tlv.end} bytes of trailing data after the request`,
    );
  }
  return undefined;
}

/**
 * Decodes the DER of a PKCS#10 CertificationRequest: subject, SANs, key, extensions, signature
 * check and digests. A signature that does not verify is NOT an error: the request decodes with
 * `signatureValid: false` so reviewers see what was forged and policy can deny it.
 * `canonicalPem`, when the caller already holds it, must be exactly `derToPem(der)` (pemToDer's
 * `canonicalPem`): it is used as the request's PEM instead of encoding the DER again.
 */
export function decodeRequestDer(
  der: Uint8Array,
  canonicalPem?: string,
): { ok: true; request: DecodedRequest } | Failure {
  if (der.length > MAX_REQUEST_DER_BYTES) {
    return failure(
      "input-too-large",
      `request of ${der.length} bytes exceeds the ${MAX_REQUEST_DER_BYTES}-byte limit`,
    );
  }
  const outer = checkOuterLength(der);
  if (outer !== undefined) return outer;
  // The one parse: strict DER and the request's shape, on the raw bytes (request-layout.ts).
  const layout = readRequestLayout(der);
  if (!layout.ok) return layout;
  const { info, spki, signature, subject: subjectDer } = layout.layout;
  const subject = decodeSubjectDer(subjectDer);
  if (!subject.ok) {
    return failure(
      "malformed-der",
      `subject: ${subject.reason} (Go's crypto/x509, and so Kubernetes, refuses the request)`,
    );
  }
  const scheme = signatureScheme(layout.layout.signatureAlgorithm);
  if (!scheme.ok) return scheme;
  const key = decodePublicKey(layout.layout.keyAlgorithm, layout.layout.publicKey, spki);
  if (!key.ok) return key;
  const extensions = decodeRequestedExtensions(layout.layout.attributes);
  if (!extensions.ok) return extensions;
  return {
    ok: true,
    request: {
      subject: subject.subject,
      subjectAltNames: extensions.subjectAltNames,
      publicKey: key.info,
      signatureAlgorithm: scheme.scheme.name,
      signatureValid: verifySignature(scheme.scheme, key.info, key.key, info, signature),
      keyDefects: key.defects,
      extensions: extensions.extensions,
      requestSha256: sha256Hex(der),
      publicKeySha256: sha256Hex(spki),
      pem: canonicalPem ?? derToPem(der),
    },
  };
}
