/**
 * Every reason a verdict can carry, with what it means. Codes are stable kebab-case strings: PR
 * bodies, check runs, metrics and audit records key on them, so a code is never renamed or reused.
 * `signer-rule-*` codes are the kube-controller-manager signer's own checks (built in, always on).
 */
export const REASON_CODE_MEANINGS = {
  // Input and object state.
  undecodable: "The request could not be decoded; the message is the decoder's error.",
  "signature-invalid":
    "The PKCS#10 signature does not verify with the request's own key (no proof of possession).",
  "no-kubernetes-object":
    "A bare PEM request: no signer, usages or requester to judge it by, so it cannot be allowed.",
  "not-pending": "The CSR is already Approved, Denied, Failed or Issued: a decision is final.",
  "legacy-unknown-signer": "kubernetes.io/legacy-unknown is never approved (rejected in v1).",
  "unknown-signer": "The policy has no rule for this signerName; unknown signers are denied.",
  "evaluation-failed": "The policy could not be evaluated (a bug); denied rather than guessed.",

  // Always on: what a reviewer reads must be what is there.
  "deceptive-characters":
    "A subject value, SAN or requester field holds a control, bidi or invisible character (named in the message).",

  // Built-in kube-controller-manager signer checks.
  "signer-rule-org-not-system-nodes":
    "Kubelet signers: the subject O must be exactly [system:nodes].",
  "signer-rule-cn-not-system-node":
    'Kubelet signers: the subject CN must start with "system:node:".',
  "signer-rule-san-dns-or-ip-required": "kubelet-serving: at least one DNS or IP SAN is required.",
  "signer-rule-san-email-not-allowed": "Kubelet signers: email SANs are not allowed.",
  "signer-rule-san-uri-not-allowed": "Kubelet signers: URI SANs are not allowed.",
  "signer-rule-san-dns-not-allowed": "kube-apiserver-client-kubelet: DNS SANs are not allowed.",
  "signer-rule-san-ip-not-allowed": "kube-apiserver-client-kubelet: IP SANs are not allowed.",
  "signer-rule-usages-mismatch":
    "Kubelet signers: the usages are not one of the exact sets the signer accepts.",
  "signer-rule-client-auth-missing":
    'kube-apiserver-client: the usages must include "client auth".',
  "signer-rule-usage-not-allowed":
    'kube-apiserver-client: only "digital signature" and "key encipherment" may accompany "client auth".',
  "signer-rule-org-system-masters":
    "kube-apiserver-client: O=system:masters is refused by the apiserver (CertificateSubjectRestriction).",
  "subject-multiple-cn":
    "The subject has more than one CN; tools disagree on which one counts, so it is refused.",

  // Policy rules: usages.
  "usage-not-allowed": "A requested usage is not in the signer rule's allowed usages.",
  "usage-missing": "A usage the signer rule requires was not requested.",

  // Policy rules: subject.
  "cn-mismatch": "The subject CN matches none of the rule's commonName patterns.",
  "cn-forbidden": "The subject CN matches one of the rule's forbidden commonName patterns.",
  "cn-not-requester-node":
    'The CN names a node ("system:node:...") other than the requesting node: a node may only ask for its own name.',
  "cn-not-requester": "The CN is not the requester's username, and the rule requires it to be.",
  "org-forbidden": "A subject O matches a forbidden organisation (e.g. system:masters).",
  "org-not-allowed": "A subject O matches none of the rule's allowed organisation patterns.",

  // Policy rules: subject alternative names.
  "san-required": "The rule requires at least one SAN and the request has none.",
  "san-too-many": "The request has more SANs than the rule's maxCount.",
  "san-dns-not-allowed":
    "A DNS SAN matches none of the rule's dnsNames patterns (or none are allowed).",
  "san-ip-not-allowed":
    "An IP SAN lies in none of the rule's ipAddresses CIDRs (or none are allowed).",
  "san-email-forbidden":
    "An email SAN was requested and the rule has no emailAddresses allow-list.",
  "san-email-not-allowed": "An email SAN matches none of the rule's emailAddresses patterns.",
  "san-uri-forbidden": "A URI SAN was requested and the rule has no uris allow-list.",
  "san-uri-not-allowed": "A URI SAN matches none of the rule's uris patterns.",
  "san-forbidden":
    "A SAN of another form (otherName, directoryName, ...) was requested; those are never allowed.",

  // Policy rules: key.
  "key-algorithm-not-allowed":
    "The key's algorithm (RSA, ECDSA or Ed25519) is not allowed by the rule.",
  "key-too-small": "The RSA key is shorter than the rule's rsaMinBits.",
  "key-curve-not-allowed": "The ECDSA curve is not in the rule's ecdsaCurves.",

  // Policy rules: lifetime.
  "lifetime-too-long": "spec.expirationSeconds exceeds the rule's maxSeconds.",
  "lifetime-missing":
    "spec.expirationSeconds is unset (the signer would pick its own duration) and the rule requires it.",

  // Policy rules: requester.
  "requester-not-allowed":
    "The requester's username matches none of the rule's usernames patterns.",
  "requester-group-missing": "The requester is not in a group the rule requires.",
  "requester-group-forbidden": "The requester is in a group the rule forbids.",

  // Invariants: every CSR, whatever its signer and the policy (check-invariants.ts).
  "expiration-invalid":
    "spec.expirationSeconds is below 600 or above 2^31-1: the apiserver never accepts that, so the object is forged.",
  "requester-missing":
    "spec.username is empty: the apiserver always sets it, so the object is forged or hand-written.",
  "key-rsa-exponent-invalid":
    "The RSA public exponent is below 3, even, or above 2^31-1: with e = 1 anyone can make the signature.",
  "key-rsa-modulus-even": "The RSA modulus is even: not a product of two large primes.",
  "key-ec-known-private-key":
    "The EC public key is a small multiple of the curve's generator (or its negative): its private key is known.",
  "key-ed25519-small-order":
    "The Ed25519 public key is a point of small order: signatures verify without a private key.",
  "signature-sha1":
    "The request is signed with SHA-1, refused unless the policy sets allowSha1Signatures.",
  "subject-value-not-string":
    "A subject value is not a string type Kubernetes reads (UniversalString, INTEGER, ...): Kubernetes ignores it, other software may not.",

  // Policy rules: SAN and requester deny-lists.
  "san-dns-wildcard":
    "A wildcard DNS SAN was requested and the rule does not set wildcardDnsNames: true.",
  "san-dns-forbidden": "A DNS SAN matches (or, as a wildcard, covers) a forbiddenDnsNames pattern.",
  "san-ip-forbidden": "An IP SAN lies in one of the rule's forbiddenIpAddresses blocks.",
  "requester-forbidden": "The requester's username matches one of the rule's forbiddenUsernames.",

  // Notes (informational, never a reason to deny).
  "tier-applied": "A risk tier's condition holds; it raised the required approvals.",
  "subject-value-too-long":
    "A subject CN, O or OU is longer than X.520's upper bound of 64 characters; the reviewer is told.",
} as const satisfies Record<string, string>;

export type ReasonCode = keyof typeof REASON_CODE_MEANINGS;

/** Every reason code, in documentation order. */
export const REASON_CODES = Object.keys(REASON_CODE_MEANINGS) as readonly ReasonCode[];
