import { decodeOid, readChildren, readTlvHeader } from "./der.ts";
import { readAttributeValue } from "./directory-string.ts";
import { attributeShortName } from "./oid-names.ts";
import type { Subject, SubjectAttribute } from "./types.ts";

export type SubjectResult =
  | { readonly ok: true; readonly subject: Subject }
  | { readonly ok: false; readonly reason: string };

const SEQUENCE = 0x30;
const SET = 0x31;
const OID = 0x06;

/**
 * Reads a DER Name (SEQUENCE OF SET OF SEQUENCE { type OID, value ANY }) the way Kubernetes does
 * (see directory-string.ts): every attribute in encoding order, RDN by RDN, each value as Go's
 * crypto/x509 reads it. A value Go would refuse (a PrintableString with "_", invalid UTF-8, an odd
 * BMPString) fails the whole Name, as it fails the request in the apiserver. CN, O and OU list
 * only the values Go reads as strings, as `pkix.Name` does.
 */
export function decodeSubjectDer(der: Uint8Array): SubjectResult {
  const outer = readTlvHeader(der, 0);
  if (!outer.ok) return { ok: false, reason: outer.reason };
  if (outer.tlv.tag !== SEQUENCE || outer.tlv.end !== der.length)
    return { ok: false, reason: "not a SEQUENCE of RDNs" };
  const rdns = readChildren(der, outer.tlv.start, outer.tlv.end);
  if (!rdns.ok) return { ok: false, reason: rdns.reason };
  const attributes: SubjectAttribute[] = [];
  for (const rdn of rdns.children) {
    if (rdn.tag !== SET) return { ok: false, reason: "an RDN is not a SET" };
    const atvs = readChildren(der, rdn.start, rdn.end);
    if (!atvs.ok) return { ok: false, reason: atvs.reason };
    for (const atv of atvs.children) {
      const parts = atv.tag === SEQUENCE ? readChildren(der, atv.start, atv.end) : undefined;
      const [type, value] = parts?.ok === true ? parts.children : [];
      if (parts?.ok !== true || parts.children.length !== 2 || type?.tag !== OID || !value)
        return { ok: false, reason: "an attribute is not exactly a type OID and a value" };
      const oid = decodeOid(der.subarray(type.start, type.end));
      if (oid === undefined) return { ok: false, reason: "an attribute type is not an OID" };
      const name = attributeShortName(oid);
      const reading = readAttributeValue(
        value.tag,
        der.subarray(value.start, value.end),
        der.subarray(value.header, value.end),
      );
      if (!reading.ok) return { ok: false, reason: `${name} value ${reading.reason}` };
      attributes.push(
        "notAString" in reading
          ? {
              type: name,
              oid,
              value: `#${reading.hex}`,
              valueType: reading.valueType,
              notAString: true,
            }
          : { type: name, oid, value: reading.text, valueType: reading.valueType },
      );
    }
  }
  // CN, O and OU in one pass over the attributes: only the values Go reads as strings.
  let commonName: string | undefined;
  const organizations: string[] = [];
  const organizationalUnits: string[] = [];
  for (const a of attributes) {
    if (a.notAString === true) continue;
    if (a.type === "CN") commonName ??= a.value;
    else if (a.type === "O") organizations.push(a.value);
    else if (a.type === "OU") organizationalUnits.push(a.value);
  }
  return {
    ok: true,
    subject: { attributes, commonName: commonName ?? "", organizations, organizationalUnits },
  };
}

/** "CN=a,O=b" for display of a nested name (a directoryName SAN). */
export function subjectText(subject: Subject): string {
  return subject.attributes.map((a) => `${a.type}=${a.value}`).join(",");
}
