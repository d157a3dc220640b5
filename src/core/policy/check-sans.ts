import type { SubjectAltName } from "../csr/types.ts";
import { matchAnyDnsPattern } from "./dns-pattern.ts";
import { matchAnyGlob } from "./glob.ts";
import { cidrContains, parseCidr, parseIpAddress, type CidrBlock } from "./ip-address.ts";
import type { SignerRule } from "./policy-schema.ts";
import type { Reason } from "./verdict.ts";

function blocks(cidrs: readonly string[]): CidrBlock[] {
  // The schema already rejected malformed blocks; skipping here can only deny more.
  return cidrs.flatMap((c) => {
    const parsed = parseCidr(c);
    return parsed.ok ? [parsed.block] : [];
  });
}

function ipAllowed(cidrs: readonly string[] | undefined, value: string): boolean {
  if (cidrs === undefined) return false;
  const address = parseIpAddress(value);
  return address !== undefined && blocks(cidrs).some((b) => cidrContains(b, address));
}

function checkOne(
  rule: NonNullable<SignerRule["subjectAltNames"]> | undefined,
  san: SubjectAltName,
  field: string,
): Reason | undefined {
  switch (san.type) {
    case "DNS":
      return rule?.dnsNames !== undefined && matchAnyDnsPattern(rule.dnsNames, san.value)
        ? undefined
        : { code: "san-dns-not-allowed", message: `DNS name "${san.value}" is not allowed`, field };
    case "IP":
      return ipAllowed(rule?.ipAddresses, san.value)
        ? undefined
        : { code: "san-ip-not-allowed", message: `IP address ${san.value} is not allowed`, field };
    case "email":
      if (rule?.emailAddresses === undefined) {
        return {
          code: "san-email-forbidden",
          message: `email SAN "${san.value}" is forbidden`,
          field,
        };
      }
      return matchAnyGlob(rule.emailAddresses, san.value)
        ? undefined
        : { code: "san-email-not-allowed", message: `email "${san.value}" is not allowed`, field };
    case "URI":
      if (rule?.uris === undefined) {
        return { code: "san-uri-forbidden", message: `URI SAN "${san.value}" is forbidden`, field };
      }
      return matchAnyGlob(rule.uris, san.value)
        ? undefined
        : { code: "san-uri-not-allowed", message: `URI "${san.value}" is not allowed`, field };
    case "other":
      return {
        code: "san-forbidden",
        message: `SAN ${san.value} is of a form never allowed`,
        field,
      };
  }
}

/** Every SAN must be allowed by its type's allow-list; absent lists allow nothing. */
export function checkSubjectAltNames(
  rule: SignerRule["subjectAltNames"],
  sans: readonly SubjectAltName[],
): Reason[] {
  const reasons: Reason[] = [];
  if (rule?.required === true && sans.length === 0) {
    reasons.push({
      code: "san-required",
      message: "at least one subjectAltName is required",
      field: "request.subjectAltNames",
    });
  }
  if (rule?.maxCount !== undefined && sans.length > rule.maxCount) {
    reasons.push({
      code: "san-too-many",
      message: `${sans.length} subjectAltNames requested, at most ${rule.maxCount} allowed`,
      field: "request.subjectAltNames",
    });
  }
  sans.forEach((san, i) => {
    const reason = checkOne(rule, san, `request.subjectAltNames[${i}]`);
    if (reason !== undefined) reasons.push(reason);
  });
  return reasons;
}
