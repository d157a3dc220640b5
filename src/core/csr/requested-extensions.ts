import type { Attributes } from "@peculiar/asn1-csr";
import { AsnConvert } from "@peculiar/asn1-schema";
import { BasicConstraints, ExtendedKeyUsage, Extensions, KeyUsage } from "@peculiar/asn1-x509";
import { describeThrown, failure, type Failure } from "./decode-error.ts";
import { extensionListProblem, extensionValueProblem } from "./extension-shapes.ts";
import { ASN1_PARSE_LIMITS } from "./limits.ts";
import {
  extensionName,
  OID_BASIC_CONSTRAINTS,
  OID_EXT_KEY_USAGE,
  OID_EXTENSION_REQUEST,
  OID_KEY_USAGE,
  OID_SUBJECT_ALT_NAME,
} from "./oid-names.ts";
import { checkStrictDer } from "./strict-der.ts";
import { decodeSubjectAltNames } from "./subject-alt-names.ts";
import type { RequestedExtension, SubjectAltName } from "./types.ts";

export type RequestedExtensionsResult =
  { ok: true; extensions: RequestedExtension[]; subjectAltNames: SubjectAltName[] } | Failure;

/**
 * Extensions whose value we check for well-formedness because policy or the signer reads them:
 * a value that does not parse means the request is not what it claims to be.
 */
const VALUE_SCHEMAS: Readonly<Record<string, new () => unknown>> = {
  [OID_KEY_USAGE]: KeyUsage,
  [OID_EXT_KEY_USAGE]: ExtendedKeyUsage,
  [OID_BASIC_CONSTRAINTS]: BasicConstraints,
};

/**
 * The extensionRequest attribute (PKCS#9) of a request: every extension (oid, name, critical) in
 * order, and the SANs. Exactly one extensionRequest attribute with one value is accepted; repeated
 * extensions are rejected (RFC 5280 4.2), since a signer could read either copy.
 */
export function decodeRequestedExtensions(
  attributes: Attributes | undefined,
): RequestedExtensionsResult {
  const requests =
    attributes === undefined ? [] : attributes.filter((a) => a.type === OID_EXTENSION_REQUEST);
  if (requests.length === 0) return { ok: true, extensions: [], subjectAltNames: [] };
  const [request] = requests;
  if (requests.length > 1 || request === undefined) {
    return failure("malformed-extension", "more than one extensionRequest attribute");
  }
  const [value] = request.values;
  if (request.values.length !== 1 || value === undefined) {
    return failure("malformed-extension", "extensionRequest attribute must hold exactly one value");
  }
  // Strict DER and the list's shape on the raw bytes, then the schema parser reads it.
  const listDer = new Uint8Array(value);
  const listProblem = checkDerProblem(listDer) ?? extensionListProblem(listDer);
  if (listProblem !== undefined) {
    return failure("malformed-extension", `extensionRequest is not in DER form: ${listProblem}`);
  }
  let parsed: Extensions;
  try {
    parsed = AsnConvert.parse(value, Extensions, { berOptions: ASN1_PARSE_LIMITS });
  } catch (thrown) {
    return failure(
      "malformed-extension",
      `extensionRequest is not a list of extensions: ${describeThrown(thrown)}`,
    );
  }
  const extensions: RequestedExtension[] = [];
  let subjectAltNames: SubjectAltName[] = [];
  const seen = new Set<string>();
  for (const ext of parsed) {
    const oid = ext.extnID;
    if (seen.has(oid))
      return failure("malformed-extension", `extension ${extensionName(oid)} appears twice`);
    seen.add(oid);
    extensions.push({ oid, name: extensionName(oid), critical: ext.critical });
    const valueDer = new Uint8Array(ext.extnValue.buffer);
    if (oid === OID_SUBJECT_ALT_NAME) {
      const sans = decodeSubjectAltNames(valueDer);
      if (!sans.ok) return sans;
      subjectAltNames = sans.names;
      continue;
    }
    const schema = VALUE_SCHEMAS[oid];
    if (schema === undefined) continue;
    const problem = checkDerProblem(valueDer) ?? extensionValueProblem(oid, valueDer);
    if (problem !== undefined)
      return failure("malformed-extension", `${extensionName(oid)}: not in DER form: ${problem}`);
    try {
      AsnConvert.parse(valueDer, schema, { berOptions: ASN1_PARSE_LIMITS });
    } catch (thrown) {
      return failure("malformed-extension", `${extensionName(oid)}: ${describeThrown(thrown)}`);
    }
  }
  return { ok: true, extensions, subjectAltNames };
}

function checkDerProblem(der: Uint8Array): string | undefined {
  const checked = checkStrictDer(der);
  return checked.ok ? undefined : checked.reason;
}
