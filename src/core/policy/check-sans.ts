import type { SubjectAltName } from "../csr/types.ts";
import { compilePerList } from "./compile-per-list.ts";
import { anyDnsPatternMayCover, matchAnyDnsPattern } from "./dns-pattern.ts";
import { matchAnyGlob } from "./glob.ts";
import {
  cidrContains,
  parseCidr,
  parseIpAddress,
  type CidrBlock,
  type IpAddress,
} from "./ip-address.ts";
import type { SignerRule } from "./policy-schema.ts";
import { resolveAll, type Template } from "./requester-template.ts";
import { isPlainUri } from "./uri-syntax.ts";
import type { Reason } from "./verdict.ts";

type Rule = NonNullable<SignerRule["subjectAltNames"]>;
type Values = Partial<Record<Template, string>>;

/** An absent list, as one list (so it is compiled once too). */
const NONE: readonly string[] = [];

/** A policy's CIDR list, parsed once per policy. */
const blocks = compilePerList((cidrs): readonly CidrBlock[] =>
  // The schema already rejected malformed blocks; skipping here can only deny more.
  cidrs.flatMap((c) => {
    const parsed = parseCidr(c);
    return parsed.ok ? [parsed.block] : [];
  }),
);

/**
 * An IPv4-mapped IPv6 SAN (::ffff:a.b.c.d) is never allowed. Go's x509.CreateCertificate writes
 * To4() of every IP, so the certificate would carry the IPv4 address a.b.c.d: judged as IPv6, an
 * allowed "::/0" would let any IPv4 address through; judged as IPv4 it would differ from what the
 * reviewer reads. No honest client asks for one, so it is denied either way.
 */
function isIpv4Mapped(address: IpAddress): boolean {
  const b = address.bytes;
  return (
    address.version === 6 &&
    b.slice(0, 10).every((x) => x === 0) &&
    b[10] === 0xff &&
    b[11] === 0xff
  );
}

function ipAllowed(cidrs: readonly string[] | undefined, address: IpAddress | undefined): boolean {
  if (cidrs === undefined) return false;
  if (address === undefined || isIpv4Mapped(address)) return false;
  return blocks(cidrs).some((b) => cidrContains(b, address));
}

/** In a deny-list; an address that does not parse counts as in it (fail closed). */
function ipForbidden(
  cidrs: readonly string[] | undefined,
  address: IpAddress | undefined,
): boolean {
  if (cidrs === undefined || cidrs.length === 0) return false;
  return address === undefined || blocks(cidrs).some((b) => cidrContains(b, address));
}

/** The field of the SAN at `index`, named only when a reason is given. */
function sanField(index: number): string {
  return `request.subjectAltNames[${index}]`;
}

/** `allowed`: the rule's DNS allow-list resolved for this requester (resolveAll). */
function dnsReasons(
  rule: Rule | undefined,
  value: string,
  allowed: readonly string[],
  index: number,
): Reason[] {
  const reasons: Reason[] = [];
  if (value.startsWith("*") && rule?.wildcardDnsNames !== true) {
    reasons.push({
      code: "san-dns-wildcard",
      message: `wildcard DNS name "${value}" is not allowed (a certificate for every name below it)`,
      field: sanField(index),
    });
  }
  // A wildcard covers the names a forbidden pattern names ("*.default.svc" covers
  // "kubernetes.default.svc"), so deny-lists are read with dnsPatternMayCover, as tiers are.
  if (anyDnsPatternMayCover(rule?.forbiddenDnsNames ?? NONE, value)) {
    reasons.push({
      code: "san-dns-forbidden",
      message: `DNS name "${value}" is forbidden`,
      field: sanField(index),
    });
  }
  if (!matchAnyDnsPattern(allowed, value)) {
    reasons.push({
      code: "san-dns-not-allowed",
      message: `DNS name "${value}" is not allowed`,
      field: sanField(index),
    });
  }
  return reasons;
}

function ipReasons(rule: Rule | undefined, value: string, index: number): Reason[] {
  const reasons: Reason[] = [];
  const address = parseIpAddress(value);
  if (ipForbidden(rule?.forbiddenIpAddresses, address)) {
    reasons.push({
      code: "san-ip-forbidden",
      message: `IP address ${value} is forbidden`,
      field: sanField(index),
    });
  }
  if (!ipAllowed(rule?.ipAddresses, address)) {
    reasons.push({
      code: "san-ip-not-allowed",
      message: `IP address ${value} is not allowed`,
      field: sanField(index),
    });
  }
  return reasons;
}

/** C0 controls, space and DEL: never part of a mail address or URI anyone should be issued. */
function hasControlOrSpace(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) return true;
  }
  return false;
}

function checkOne(
  rule: Rule | undefined,
  san: Exclude<SubjectAltName, { type: "DNS" } | { type: "IP" }>,
  values: Values,
  field: string,
): Reason | undefined {
  switch (san.type) {
    case "email":
      if (rule?.emailAddresses === undefined) {
        return {
          code: "san-email-forbidden",
          message: `email SAN "${san.value}" is forbidden`,
          field,
        };
      }
      // One "@" only: "a@evil.com@example.com" must not pass for a mailbox at example.com.
      return !hasControlOrSpace(san.value) &&
        san.value.split("@").length === 2 &&
        matchAnyGlob(resolveAll(rule.emailAddresses, values), san.value)
        ? undefined
        : { code: "san-email-not-allowed", message: `email "${san.value}" is not allowed`, field };
    case "URI":
      if (rule?.uris === undefined) {
        return { code: "san-uri-forbidden", message: `URI SAN "${san.value}" is forbidden`, field };
      }
      // Only a plain URI Go's net/url reads (uri-syntax.ts): Kubernetes refuses any other.
      return !hasControlOrSpace(san.value) &&
        isPlainUri(san.value) &&
        matchAnyGlob(resolveAll(rule.uris, values), san.value)
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

/**
 * Every SAN must be allowed by its type's allow-list (absent lists allow nothing) and be in no
 * deny-list. `values` are the requester's template values: without them, a templated pattern
 * matches nothing.
 */
export function checkSubjectAltNames(
  rule: SignerRule["subjectAltNames"],
  sans: readonly SubjectAltName[],
  values: Values = {},
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
  // Resolved once per CSR, at its first DNS SAN, rather than once per DNS SAN.
  let allowedDns: readonly string[] | undefined;
  sans.forEach((san, i) => {
    if (san.type === "DNS") {
      allowedDns ??= rule?.dnsNames === undefined ? NONE : resolveAll(rule.dnsNames, values);
      reasons.push(...dnsReasons(rule, san.value, allowedDns, i));
    } else if (san.type === "IP") reasons.push(...ipReasons(rule, san.value, i));
    else {
      const reason = checkOne(rule, san, values, sanField(i));
      if (reason !== undefined) reasons.push(reason);
    }
  });
  return reasons;
}
