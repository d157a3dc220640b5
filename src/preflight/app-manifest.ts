/**
 * What app.yml asks for: the permissions and events the installation must have. A unit test keeps
 * this in step with app.yml (the file is not shipped in the image, so it is not read at runtime).
 */
export type PermissionLevel = "read" | "write" | "admin";

export const APP_PERMISSIONS: Readonly<Record<string, PermissionLevel>> = {
  contents: "write",
  pull_requests: "write",
  issues: "write",
  checks: "write",
  members: "read",
  administration: "read",
  metadata: "read",
};

export const APP_EVENTS: readonly string[] = [
  "pull_request",
  "pull_request_review",
  "push",
  "check_run",
];

const RANK: Readonly<Record<string, number>> = { read: 1, write: 2, admin: 3 };

/** Permissions the installation lacks or holds below the level app.yml asks for. */
export function missingPermissions(
  granted: Readonly<Record<string, string | undefined>>,
): string[] {
  return Object.entries(APP_PERMISSIONS)
    .filter(([name, level]) => (RANK[granted[name] ?? ""] ?? 0) < (RANK[level] ?? 0))
    .map(([name, level]) => `${name}: ${level} (has ${granted[name] ?? "none"})`);
}

export function missingEvents(granted: readonly string[]): string[] {
  return APP_EVENTS.filter((e) => !granted.includes(e));
}
