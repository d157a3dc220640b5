import { failure, type Failure } from "./decode-error.ts";
import { extensionValueProblem, readExtensionList } from "./extension-shapes.ts";
import {
  extensionName,
  OID_BASIC_CONSTRAINTS,
  OID_EXT_KEY_USAGE,
  OID_EXTENSION_REQUEST,
  OID_KEY_USAGE,
  OID_SUBJECT_ALT_NAME,
} from "./oid-names.ts";
import type { RequestAttribute } from "./request-layout.ts";
import { checkStrictDer } from "./strict-der.ts";
import { decodeSubjectAltNames } from "./subject-alt-names.ts";
import type { RequestedExtension, SubjectAltName } from "./types.ts";

export type RequestedExtensionsResult =
  { ok: true; extensions: RequestedExtension[]; subjectAltNames: SubjectAltName[] } | Failure;

/**
 * Extensions whose value we check for well-formedness because policy or the signer reads them:
 * a value that does not parse means the request is not what it claims to be.
 */
const CHECKED_VALUES: ReadonlySet<string> = new Set([
  OID_KEY_USAGE,
  OID_EXT_KEY_USAGE,
  OID_BASIC_CONSTRAINTS,
]);

/**
 * The extensionRequest attribute (PKCS#9) of a request: every extension (oid, name, critical) in
 * order, and the SANs. Exactly one extensionRequest attribute with one value is accepted; repeated
 * extensions are rejected (RFC 5280 4.2), since a signer could read either copy.
 */
export function decodeRequestedExtensions(
  attributes: readonly RequestAttribute[],
): RequestedExtensionsResult {
  const requests = attributes.filter((a) => a.oid === OID_EXTENSION_REQUEST);
  if (requests.length === 0) return { ok: true, extensions: [], subjectAltNames: [] };
  const [request] = requests;
  if (requests.length > 1 || request === undefined) {
    return failure("malformed-extension", "more than one extensionRequest attribute");
  }
  const [value] = request.values;
  if (request.values.length !== 1 || value === undefined) {
    return failure("malformed-extension", "extensionRequest attribute must hold exactly one value");
  }
  // The request's strict DER walk has checked these bytes; this reads the list's shape.
  const listed = readExtensionList(value);
  if (typeof listed === "string") {
    return failure("malformed-extension", `extensionRequest is not in DER form: ${listed}`);
  }
  const extensions: RequestedExtension[] = [];
  let subjectAltNames: SubjectAltName[] = [];
  const seen = new Set<string>();
  for (const { oid, critical, value: valueDer } of listed) {
    if (seen.has(oid))
      return failure("malformed-extension", `extension ${extensionName(oid)} appears twice`);
    seen.add(oid);
    extensions.push({ oid, name: extensionName(oid), critical });
    if (oid === OID_SUBJECT_ALT_NAME) {
      const sans = decodeSubjectAltNames(valueDer);
      if (!sans.ok) return sans;
      subjectAltNames = sans.names;
      continue;
    }
    if (!CHECKED_VALUES.has(oid)) continue;
    // An OCTET STRING's content is not part of the request's walk: check it here.
    const checked = checkStrictDer(valueDer);
    const problem = checked.ok ? extensionValueProblem(oid, valueDer) : checked.reason;
    if (problem !== undefined)
      return failure("malformed-extension", `${extensionName(oid)}: not in DER form: ${problem}`);
  }
  return { ok: true, extensions, subjectAltNames };
}
