/**
 * The decoded form of a Kubernetes CertificateSigningRequest: everything a reviewer and the policy
 * need, as plain data. Produced by `decode*` in this folder; never holds SDK objects.
 */
import type { KeyDefect } from "./key-defects.ts";

export type { KeyDefect, KeyDefectCode } from "./key-defects.ts";

/** Derived from status.conditions and status.certificate, in this order of precedence. */
export type CsrPhase = "Pending" | "Approved" | "Denied" | "Failed" | "Issued";

export interface CsrCondition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
  readonly lastUpdateTime?: string;
}

/** spec.username/uid/groups/extra: set by the apiserver to the real requester. */
export interface Requester {
  readonly username: string;
  readonly uid: string;
  readonly groups: readonly string[];
  readonly extra: Readonly<Record<string, readonly string[]>>;
}

/** One relative distinguished name attribute, in the order it appears in the request. */
export interface SubjectAttribute {
  /** Short name where one is known (CN, O, OU, C, ST, L, SERIALNUMBER, ...), else the dotted OID. */
  readonly type: string;
  readonly oid: string;
  /** The value as Kubernetes (Go's crypto/x509) reads it; "#" + DER hex when Go ignores it. */
  readonly value: string;
  /** ASN.1 type of the value ("UTF8String", "BMPString", "INTEGER", ...). */
  readonly valueType?: string;
  /**
   * Present when the value is not a string type Go reads (UniversalString, INTEGER, ...):
   * Kubernetes then ignores the attribute, so it is neither the CN nor an O.
   */
  readonly notAString?: true;
}

export interface Subject {
  readonly attributes: readonly SubjectAttribute[];
  /** First CN Kubernetes reads, or "" when there is none. */
  readonly commonName: string;
  readonly organizations: readonly string[];
  readonly organizationalUnits: readonly string[];
}

export type SubjectAltName =
  | { readonly type: "DNS"; readonly value: string }
  | { readonly type: "IP"; readonly value: string; readonly version: 4 | 6 }
  | { readonly type: "email"; readonly value: string }
  | { readonly type: "URI"; readonly value: string }
  /** Any other GeneralName form (otherName, directoryName, ...): kept so policy can deny it. */
  | { readonly type: "other"; readonly value: string };

export type PublicKeyInfo =
  | { readonly algorithm: "RSA"; readonly bits: number }
  | { readonly algorithm: "ECDSA"; readonly curve: "P-256" | "P-384" | "P-521" }
  | { readonly algorithm: "Ed25519" };

export interface RequestedExtension {
  readonly oid: string;
  /** Short name where known (subjectAltName, keyUsage, extKeyUsage, basicConstraints, ...). */
  readonly name: string;
  readonly critical: boolean;
}

/** The PKCS#10 request itself, decoded and with its proof of possession checked. */
export interface DecodedRequest {
  readonly subject: Subject;
  readonly subjectAltNames: readonly SubjectAltName[];
  readonly publicKey: PublicKeyInfo;
  /** e.g. "sha256WithRSAEncryption", "ecdsa-with-SHA256", "Ed25519". */
  readonly signatureAlgorithm: string;
  /** True only when the signature verifies with the request's own public key. */
  readonly signatureValid: boolean;
  /**
   * Why the key proves nothing (an RSA exponent of 1, an EC key with a known private key, ...);
   * empty for a sound key. See key-defects.ts. The decoder always sets it.
   */
  readonly keyDefects?: readonly KeyDefect[];
  readonly extensions: readonly RequestedExtension[];
  /** Lower-case hex SHA-256 of the request's DER encoding. */
  readonly requestSha256: string;
  /** Lower-case hex SHA-256 of the DER SubjectPublicKeyInfo. */
  readonly publicKeySha256: string;
  /** The request as one canonical PEM block ("CERTIFICATE REQUEST"). */
  readonly pem: string;
}

/** The Kubernetes object around the request. Absent when the input was a bare PEM. */
export interface CsrObjectInfo {
  readonly name: string;
  readonly uid: string;
  readonly resourceVersion: string;
  readonly creationTimestamp: string;
  readonly signerName: string;
  readonly usages: readonly string[];
  /** spec.expirationSeconds, or undefined when the requester left it to the signer. */
  readonly expirationSeconds: number | undefined;
  readonly requester: Requester;
  readonly phase: CsrPhase;
  readonly conditions: readonly CsrCondition[];
}

export interface DecodedCsr {
  /** Undefined for a bare PKCS#10 PEM input. */
  readonly object: CsrObjectInfo | undefined;
  readonly request: DecodedRequest;
}

/** Every way decoding can fail. `code` is stable; `message` is for people. */
export type DecodeErrorCode =
  | "input-too-large"
  | "not-yaml-or-json"
  | "not-a-csr-object"
  | "invalid-object-field"
  | "not-base64"
  | "not-pem"
  | "wrong-pem-type"
  | "multiple-pem-blocks"
  | "malformed-der"
  | "trailing-data"
  | "unsupported-key-algorithm"
  | "unsupported-signature-algorithm"
  | "invalid-public-key"
  | "malformed-extension";

export interface DecodeError {
  readonly code: DecodeErrorCode;
  readonly message: string;
}

export type DecodeResult =
  | { readonly ok: true; readonly csr: DecodedCsr }
  | {
      readonly ok: false;
      readonly error: DecodeError;
      /** What could be read of the object before the request failed, for the record and the PR. */
      readonly object: CsrObjectInfo | undefined;
    };
