/**
 * Checks that hold for every CSR whatever its signer and the policy's rules: input the apiserver
 * would never have accepted (so it is forged or hand-written), keys that prove nothing, and
 * readings that differ between Kubernetes and other software. Only SHA-1 has a policy switch.
 */
import type { CsrObjectInfo, DecodedRequest } from "../csr/types.ts";
import type { Policy } from "./policy-schema.ts";
import type { Reason } from "./verdict.ts";

/** The apiserver refuses less than 600 seconds; the field is an int32. */
const MIN_EXPIRATION_SECONDS = 600;
const MAX_INT32 = 2 ** 31 - 1;

function requestChecks(policy: Policy, request: DecodedRequest): Reason[] {
  const reasons: Reason[] = (request.keyDefects ?? []).map((d) => ({
    code: d.code,
    message: d.message,
    field: "request.publicKey",
  }));
  if (!policy.allowSha1Signatures && /sha-?1(?![0-9])/i.test(request.signatureAlgorithm)) {
    reasons.push({
      code: "signature-sha1",
      message: `the request is signed with ${request.signatureAlgorithm}; SHA-1 is refused (policy switch allowSha1Signatures)`,
      field: "request.signatureAlgorithm",
    });
  }
  request.subject.attributes.forEach((a, i) => {
    if (a.notAString === true) {
      reasons.push({
        code: "subject-value-not-string",
        message: `subject ${a.type} is a ${a.valueType ?? "non-string"} (${a.value}): Kubernetes ignores it, other software may not`,
        field: `request.subject.attributes[${i}]`,
      });
    }
  });
  return reasons;
}

function objectChecks(object: CsrObjectInfo): Reason[] {
  const reasons: Reason[] = [];
  const seconds = object.expirationSeconds;
  if (seconds !== undefined && (seconds < MIN_EXPIRATION_SECONDS || seconds > MAX_INT32)) {
    reasons.push({
      code: "expiration-invalid",
      message: `expirationSeconds ${seconds} is outside what the apiserver accepts (${MIN_EXPIRATION_SECONDS} to ${MAX_INT32}): the object is forged or hand-written`,
      field: "spec.expirationSeconds",
    });
  }
  if (object.requester.username === "") {
    reasons.push({
      code: "requester-missing",
      message:
        "spec.username is empty: the apiserver always sets it, so the object is forged or hand-written",
      field: "spec.username",
    });
  }
  return reasons;
}

/** Every invariant the CSR breaks; empty when it breaks none. */
export function checkInvariants(
  policy: Policy,
  request: DecodedRequest,
  object: CsrObjectInfo | undefined,
): Reason[] {
  return [...requestChecks(policy, request), ...(object === undefined ? [] : objectChecks(object))];
}
