/**
 * Size limits applied before any parsing, so hostile input cannot make decoding slow or
 * memory-hungry. A real CSR object is a few KiB; a real request a few hundred bytes to ~2 KiB.
 */

/** Largest input text accepted (YAML, JSON or PEM), in UTF-8 bytes. */
export const MAX_INPUT_BYTES = 1024 * 1024;

/** Largest DER CertificationRequest accepted. */
export const MAX_REQUEST_DER_BYTES = 64 * 1024;

/** Largest RSA modulus accepted, in bits; checked from the encoding before any key math. */
export const MAX_RSA_BITS = 16384;

/** YAML alias expansions allowed per document (defeats "billion laughs"). */
export const MAX_YAML_ALIASES = 50;

/**
 * Nesting depth and element count of the strict DER walk (`strict-der.ts`), and the same limits
 * for the certificate parser of `src/core/record` (@peculiar/asn1-schema).
 */
export const ASN1_PARSE_LIMITS = {
  maxDepth: 32,
  maxNodes: 4096,
  maxContentLength: MAX_REQUEST_DER_BYTES,
} as const;
