/**
 * A URI SAN is allowed only when it is a plain absolute URI (RFC 3986) of a form Go's
 * crypto/x509 reads: Kubernetes parses every URI SAN with net/url and refuses the whole request
 * when that fails (a bad "%" escape, a control character, a host with an empty label or a
 * trailing dot...). Rather than copy net/url's many rules, this accepts a smaller grammar that
 * Go accepts too: a scheme; then, after "//", a host of letters, digits and "-._~!$&'()*+,;="
 * (no "%", no user info, no empty label, no trailing dot) or a bracketed IPv6 address, and an
 * optional numeric port; then path, query and fragment characters, with "%" only as "%" and two
 * hex digits. Anything else matches no pattern (fail closed).
 */

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const REST = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#[\]]|%[0-9A-Fa-f]{2})*$/;
const HOST_NAME = /^[A-Za-z0-9\-_~!$&'()*+,;=]+(\.[A-Za-z0-9\-_~!$&'()*+,;=]+)*$/;
const HOST_IPV6 = /^\[[0-9A-Fa-f:.]+\]$/;
const PORT = /^[0-9]*$/;

function authorityOk(authority: string): boolean {
  if (authority === "") return true;
  const bracket = authority.startsWith("[") ? authority.indexOf("]") : -1;
  const hostEnd =
    bracket >= 0
      ? bracket + 1
      : authority.includes(":")
        ? authority.indexOf(":")
        : authority.length;
  const host = authority.slice(0, hostEnd);
  const rest = authority.slice(hostEnd);
  if (rest !== "" && !(rest.startsWith(":") && PORT.test(rest.slice(1)))) return false;
  return bracket >= 0 ? HOST_IPV6.test(host) : HOST_NAME.test(host);
}

/** True when the URI is in the grammar above. */
export function isPlainUri(uri: string): boolean {
  const scheme = SCHEME.exec(uri);
  if (scheme === null) return false;
  const rest = uri.slice(scheme[0].length);
  if (!REST.test(rest)) return false;
  // "[" and "]" only delimit an IPv6 host.
  const afterAuthority = rest.startsWith("//") ? rest.slice(2) : rest;
  const end = afterAuthority.search(/[/?#]/);
  if (rest.startsWith("//")) {
    const authority = end < 0 ? afterAuthority : afterAuthority.slice(0, end);
    if (!authorityOk(authority)) return false;
    const tail = end < 0 ? "" : afterAuthority.slice(end);
    return !/[[\]]/.test(tail);
  }
  return !/[[\]]/.test(rest);
}
