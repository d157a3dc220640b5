/**
 * One CODEOWNERS owner, classified. GitHub accepts `@user`, `@org/team-slug` and email addresses.
 * Logins and slugs are case-insensitive on GitHub: compare them lowercased. An email owner cannot
 * be mapped to a login by an app, so it never counts as an approver here.
 */
export type Owner =
  | { readonly kind: "user"; readonly login: string }
  | { readonly kind: "team"; readonly org: string; readonly slug: string }
  | { readonly kind: "email"; readonly address: string };

// GitHub logins: 1-39 alphanumerics or single hyphens, not starting with a hyphen.
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
// A GitHub App's bot user, `<slug>[bot]`: GitHub reads `@<slug>[bot]` as a user owner (it says
// "Unknown owner" until the bot has write access, not "Invalid owner"). Reading it as invalid would
// skip the whole line, and the paths it owns would fall back to an earlier line's owners.
const BOT_LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\[bot\]$/;
const TEAM_SLUG = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The owner named by one CODEOWNERS token, or undefined when GitHub would call it invalid. */
export function parseOwner(token: string): Owner | undefined {
  if (token.startsWith("@")) {
    const name = token.slice(1);
    const slash = name.indexOf("/");
    if (slash === -1)
      return LOGIN.test(name) || BOT_LOGIN.test(name) ? { kind: "user", login: name } : undefined;
    const org = name.slice(0, slash);
    const slug = name.slice(slash + 1);
    if (!LOGIN.test(org) || !TEAM_SLUG.test(slug)) return undefined;
    return { kind: "team", org, slug };
  }
  return EMAIL.test(token) ? { kind: "email", address: token } : undefined;
}
