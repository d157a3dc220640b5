import { decodeOid, readChildren, readTlvHeader } from "./der.ts";
import { failure, type Failure } from "./decode-error.ts";
import { formatIp } from "./ip-address.ts";
import { decodeSubjectDer, subjectText } from "./subject.ts";
import type { SubjectAltName } from "./types.ts";

type SanResult = { ok: true; names: SubjectAltName[] } | Failure;

/** IA5String content as text; undefined when a byte is outside ASCII (Go rejects those SANs). */
function ia5(bytes: Uint8Array): string | undefined {
  for (const b of bytes) if (b > 0x7f) return undefined;
  return Buffer.from(bytes).toString("latin1");
}

function malformed(reason: string): Failure {
  return failure("malformed-extension", `subjectAltName: ${reason}`);
}

/**
 * Decodes the value of a subjectAltName extension (GeneralNames) into typed SANs, in order.
 * Parsed by hand with the strict DER reader because IP addresses must come from their raw bytes.
 */
export function decodeSubjectAltNames(der: Uint8Array): SanResult {
  const outer = readTlvHeader(der, 0);
  if (!outer.ok) return malformed(outer.reason);
  if (outer.tlv.tag !== 0x30) return malformed("not a SEQUENCE of GeneralName");
  if (outer.tlv.end !== der.length) return malformed("length does not match the extension value");
  const read = readChildren(der, outer.tlv.start, outer.tlv.end);
  if (!read.ok) return malformed(read.reason);
  if (read.children.length === 0) return malformed("no names");
  const names: SubjectAltName[] = [];
  for (const child of read.children) {
    const content = der.subarray(child.start, child.end);
    switch (child.tag) {
      case 0x81:
      case 0x82:
      case 0x86: {
        const text = ia5(content);
        if (text === undefined) return malformed("a name is not ASCII (IA5String)");
        const type = child.tag === 0x81 ? "email" : child.tag === 0x82 ? "DNS" : "URI";
        names.push({ type, value: text });
        break;
      }
      case 0x87: {
        const ip = formatIp(content);
        if (ip === undefined) return malformed(`IP address of ${content.length} bytes`);
        names.push({ type: "IP", value: ip.value, version: ip.version });
        break;
      }
      case 0x88: {
        const oid = decodeOid(content);
        if (oid === undefined) return malformed("registeredID is not an OID");
        names.push({ type: "other", value: `registeredID:${oid}` });
        break;
      }
      case 0xa0: {
        const typeId = readTlvHeader(der, child.start);
        const oid =
          typeId.ok && typeId.tlv.tag === 0x06 && typeId.tlv.end <= child.end
            ? decodeOid(der.subarray(typeId.tlv.start, typeId.tlv.end))
            : undefined;
        if (oid === undefined) return malformed("otherName without a type OID");
        names.push({ type: "other", value: `otherName:${oid}` });
        break;
      }
      case 0xa4: {
        names.push({ type: "other", value: `directoryName:${directoryName(content)}` });
        break;
      }
      case 0xa3:
        names.push({ type: "other", value: "x400Address" });
        break;
      case 0xa5:
        names.push({ type: "other", value: "ediPartyName" });
        break;
      default:
        return malformed(`unknown GeneralName tag 0x${child.tag.toString(16)}`);
    }
  }
  return { ok: true, names };
}

/** Go ignores a directoryName SAN; a value it could not read is shown rather than refused. */
function directoryName(der: Uint8Array): string {
  const read = decodeSubjectDer(der);
  return read.ok ? subjectText(read.subject) : `#${Buffer.from(der).toString("hex")}`;
}
