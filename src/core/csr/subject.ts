import type { Name } from "@peculiar/asn1-x509";
import type { AttributeValue } from "@peculiar/asn1-x509";
import { attributeShortName } from "./oid-names.ts";
import type { Subject, SubjectAttribute } from "./types.ts";

/**
 * Text of one attribute value. String types as they are; anything else (a non-string ASN.1 value,
 * which Go's parser would reject) as "#" + hex of its DER, the RFC 4514 form, so it is visible.
 */
function valueText(value: AttributeValue): string {
  const text =
    value.utf8String ??
    value.printableString ??
    value.ia5String ??
    value.teletexString ??
    value.bmpString ??
    value.universalString;
  if (text !== undefined) return text;
  // The schema library hands a NULL value over as null (not as its bytes), despite its type.
  const raw = value.anyValue as ArrayBuffer | null | undefined;
  if (raw === null) return "#0500";
  if (raw !== undefined) return `#${Buffer.from(raw).toString("hex")}`;
  return "";
}

/** Every attribute in encoding order (RDN by RDN, then within a multi-valued RDN). */
export function decodeSubject(name: Name): Subject {
  const attributes: SubjectAttribute[] = [];
  for (const rdn of name) {
    for (const atv of rdn) {
      attributes.push({
        type: attributeShortName(atv.type),
        oid: atv.type,
        value: valueText(atv.value),
      });
    }
  }
  const valuesOf = (type: string): string[] =>
    attributes.filter((a) => a.type === type).map((a) => a.value);
  return {
    attributes,
    commonName: valuesOf("CN")[0] ?? "",
    organizations: valuesOf("O"),
    organizationalUnits: valuesOf("OU"),
  };
}

/** "CN=a,O=b" for display of a nested name (a directoryName SAN). */
export function subjectText(subject: Subject): string {
  return subject.attributes.map((a) => `${a.type}=${a.value}`).join(",");
}
