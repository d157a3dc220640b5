import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  APP_EVENTS,
  APP_PERMISSIONS,
  missingEvents,
  missingPermissions,
} from "../../src/preflight/app-manifest.ts";

const manifest = parse(readFileSync(join(import.meta.dirname, "..", "..", "app.yml"), "utf8")) as {
  default_permissions: Record<string, string>;
  default_events: string[];
};

describe("what preflight asks of the installation", () => {
  it("is exactly app.yml's default_permissions and default_events", () => {
    expect(APP_PERMISSIONS).toEqual(manifest.default_permissions);
    expect([...APP_EVENTS].sort()).toEqual([...manifest.default_events].sort());
  });

  it("counts a higher level as enough and a lower or absent one as missing", () => {
    expect(missingPermissions({ ...APP_PERMISSIONS, members: "write" })).toEqual([]);
    expect(missingPermissions({ ...APP_PERMISSIONS, contents: "read", checks: undefined })).toEqual(
      ["contents: write (has read)", "checks: write (has none)"],
    );
    expect(missingEvents(["push"])).toEqual(["pull_request", "pull_request_review", "check_run"]);
  });
});
