import { decodeBase64Strict } from "./base64.ts";
import { parseCsrObject } from "./csr-object.ts";
import { MAX_INPUT_BYTES } from "./limits.ts";
import { pemToDer } from "./pem.ts";
import { decodeRequestDer } from "./request.ts";
import type { DecodeResult } from "./types.ts";

export { decodeRequestDer } from "./request.ts";

/** Decodes a bare PKCS#10 PEM (the result's `object` is undefined). Never throws. */
export function decodeCsrPem(pem: string): DecodeResult {
  const der = pemToDer(pem);
  if (!der.ok) return { ...der, object: undefined };
  const request = decodeRequestDer(der.der, der.canonicalPem);
  if (!request.ok) return { ...request, object: undefined };
  return { ok: true, csr: { object: undefined, request: request.request } };
}

/**
 * Decodes one Kubernetes CertificateSigningRequest object (parsed from YAML/JSON, or a
 * client-node object). When the object is valid but its request is not, the failure still
 * carries the object's details so the record and the PR can show who asked for what.
 */
export function decodeCsrObject(obj: unknown): DecodeResult {
  const fields = parseCsrObject(obj);
  if (!fields.ok) return { ...fields, object: undefined };
  const object = fields.info;
  if (fields.request.length > MAX_INPUT_BYTES) {
    return {
      ok: false,
      error: { code: "input-too-large", message: "spec.request is over 1 MiB" },
      object,
    };
  }
  const pemBytes = decodeBase64Strict(fields.request);
  if (pemBytes === undefined) {
    return {
      ok: false,
      error: { code: "not-base64", message: "spec.request is not valid base64" },
      object,
    };
  }
  const decoded = decodeCsrPem(
    Buffer.from(pemBytes.buffer, pemBytes.byteOffset, pemBytes.length).toString("latin1"),
  );
  if (!decoded.ok) {
    const { code, message } = decoded.error;
    return { ok: false, error: { code, message: `spec.request: ${message}` }, object };
  }
  return { ok: true, csr: { object, request: decoded.csr.request } };
}
