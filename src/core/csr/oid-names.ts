/** Short names for the OIDs a reviewer meets in a CSR; anything else is shown as its dotted OID. */

const ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  "2.5.4.3": "CN",
  "2.5.4.4": "SN",
  "2.5.4.5": "SERIALNUMBER",
  "2.5.4.6": "C",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.9": "STREET",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "2.5.4.12": "title",
  "2.5.4.17": "postalCode",
  "2.5.4.42": "GN",
  "2.5.4.43": "initials",
  "2.5.4.46": "dnQualifier",
  "2.5.4.65": "pseudonym",
  "0.9.2342.19200300.100.1.1": "UID",
  "0.9.2342.19200300.100.1.25": "DC",
  "1.2.840.113549.1.9.1": "emailAddress",
};

const EXTENSION_NAMES: Readonly<Record<string, string>> = {
  "2.5.29.14": "subjectKeyIdentifier",
  "2.5.29.15": "keyUsage",
  "2.5.29.17": "subjectAltName",
  "2.5.29.18": "issuerAltName",
  "2.5.29.19": "basicConstraints",
  "2.5.29.30": "nameConstraints",
  "2.5.29.31": "cRLDistributionPoints",
  "2.5.29.32": "certificatePolicies",
  "2.5.29.35": "authorityKeyIdentifier",
  "2.5.29.36": "policyConstraints",
  "2.5.29.37": "extKeyUsage",
  "1.3.6.1.5.5.7.1.1": "authorityInfoAccess",
  "1.3.6.1.5.5.7.1.11": "subjectInfoAccess",
  "1.3.6.1.5.5.7.1.24": "tlsFeature",
  "1.3.6.1.4.1.311.20.2": "msCertificateTemplateName",
  "1.3.6.1.4.1.311.21.7": "msCertificateTemplate",
  "1.3.6.1.4.1.11129.2.4.3": "ctPrecertificatePoison",
};

/** "CN", "O", ... for a subject attribute type, else the dotted OID. */
export function attributeShortName(oid: string): string {
  return ATTRIBUTE_NAMES[oid] ?? oid;
}

/** "subjectAltName", "keyUsage", ... for an extension, else the dotted OID. */
export function extensionName(oid: string): string {
  return EXTENSION_NAMES[oid] ?? oid;
}

export const OID_EXTENSION_REQUEST = "1.2.840.113549.1.9.14";
export const OID_SUBJECT_ALT_NAME = "2.5.29.17";
export const OID_KEY_USAGE = "2.5.29.15";
export const OID_EXT_KEY_USAGE = "2.5.29.37";
export const OID_BASIC_CONSTRAINTS = "2.5.29.19";
