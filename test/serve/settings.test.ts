import { describe, expect, it } from "vitest";
import { readSettings } from "../../src/serve/settings.ts";

const minimal = {
  APP_ID: "4242",
  PRIVATE_KEY: "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----\n",
  WEBHOOK_SECRET: "0123456789abcdef0123",
  CSR_GITOPS_AUDIT_REPO: "acme/csr-audit",
  CSR_GITOPS_CLUSTERS: "prod=in-cluster",
};

describe("serve settings", () => {
  it("reads a minimal environment with every default", () => {
    const result = readSettings(minimal);
    expect(result).toEqual({
      ok: true,
      settings: {
        APP_ID: 4242,
        PRIVATE_KEY: minimal.PRIVATE_KEY,
        WEBHOOK_SECRET: minimal.WEBHOOK_SECRET,
        WEBHOOK_PATH: "/api/github/webhooks",
        GHE_PROTOCOL: "https",
        PORT: 3000,
        HOST: "0.0.0.0",
        LOG_LEVEL: "info",
        CSR_GITOPS_AUDIT_REPO: { owner: "acme", name: "csr-audit" },
        CSR_GITOPS_CLUSTERS: [{ name: "prod", context: "in-cluster" }],
        CSR_GITOPS_DRY_RUN: false,
        CSR_GITOPS_RESYNC_SECONDS: 300,
        CSR_GITOPS_LEASE_NAMESPACE: "csr-gitops",
        CSR_GITOPS_LEASE_NAME: "csr-gitops",
      },
    });
  });

  it("reads several clusters, GitHub Enterprise Server and dry-run", () => {
    const result = readSettings({
      ...minimal,
      CSR_GITOPS_CLUSTERS: "prod=ctx-prod, staging=ctx-staging",
      GHE_HOST: "github.example.com",
      CSR_GITOPS_DRY_RUN: "true",
      CSR_GITOPS_RESYNC_SECONDS: "60",
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.settings.CSR_GITOPS_CLUSTERS).toEqual([
      { name: "prod", context: "ctx-prod" },
      { name: "staging", context: "ctx-staging" },
    ]);
    expect(result.settings.GHE_HOST).toBe("github.example.com");
    expect(result.settings.CSR_GITOPS_DRY_RUN).toBe(true);
    expect(result.settings.CSR_GITOPS_RESYNC_SECONDS).toBe(60);
  });

  it("names every missing setting at once", () => {
    expect(readSettings({})).toEqual({
      ok: false,
      errors: [
        "APP_ID: is required",
        "WEBHOOK_SECRET: is required",
        "CSR_GITOPS_AUDIT_REPO: is required",
        "CSR_GITOPS_CLUSTERS: is required",
      ],
    });
  });

  it("refuses to start without a webhook secret, even an empty one", () => {
    const result = readSettings({ ...minimal, WEBHOOK_SECRET: "" });
    expect(result).toEqual({ ok: false, errors: ["WEBHOOK_SECRET: is required"] });
    expect(readSettings({ ...minimal, WEBHOOK_SECRET: "development" })).toEqual({
      ok: false,
      errors: ["WEBHOOK_SECRET: must be at least 16 characters"],
    });
  });

  it.each([
    ["APP_ID", "abc", /^APP_ID: /],
    ["CSR_GITOPS_AUDIT_REPO", "just-a-name", /^CSR_GITOPS_AUDIT_REPO: must be OWNER\/NAME/],
    ["CSR_GITOPS_CLUSTERS", "Prod=ctx", /^CSR_GITOPS_CLUSTERS: "Prod=ctx" is not NAME=CONTEXT/],
    ["CSR_GITOPS_CLUSTERS", "prod", /^CSR_GITOPS_CLUSTERS: "prod" is not NAME=CONTEXT/],
    ["CSR_GITOPS_CLUSTERS", "a=x,a=y", /^CSR_GITOPS_CLUSTERS: cluster "a" is listed twice/],
    ["CSR_GITOPS_DRY_RUN", "yes", /^CSR_GITOPS_DRY_RUN: /],
    ["CSR_GITOPS_RESYNC_SECONDS", "5", /^CSR_GITOPS_RESYNC_SECONDS: /],
    ["PORT", "70000", /^PORT: /],
    ["LOG_LEVEL", "verbose", /^LOG_LEVEL: /],
    ["GHE_PROTOCOL", "ftp", /^GHE_PROTOCOL: /],
  ])("names %s=%s as invalid", (name, value, message) => {
    const result = readSettings({ ...minimal, [name]: value });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatch(message);
    }
  });

  it("wants exactly one of PRIVATE_KEY and PRIVATE_KEY_PATH", () => {
    const both = readSettings({ ...minimal, PRIVATE_KEY_PATH: "/keys/app.pem" });
    expect(both).toEqual({
      ok: false,
      errors: ["PRIVATE_KEY: set exactly one of PRIVATE_KEY and PRIVATE_KEY_PATH"],
    });
    const none: Record<string, string> = { ...minimal };
    delete none.PRIVATE_KEY;
    expect(readSettings(none)).toEqual(both);
    const path = readSettings({ ...none, PRIVATE_KEY_PATH: "/keys/app.pem" });
    expect(path.ok && path.settings.PRIVATE_KEY_PATH).toBe("/keys/app.pem");
  });
});

describe("docs/configuration.md", () => {
  it("has a row for every setting and no row for a setting that does not exist", async () => {
    const { readFile } = await import("node:fs/promises");
    const { SettingsSchema } = await import("../../src/serve/settings.ts");
    const doc = await readFile(new URL("../../docs/configuration.md", import.meta.url), "utf8");
    const rows = [...doc.matchAll(/^\| `([A-Z_]+)` /gm)].map((m) => m[1]);
    const keys = Object.keys(SettingsSchema.shape);
    expect(rows.sort()).toEqual(keys.sort());
  });
});

describe("README.md, section Configuration", () => {
  it("lists exactly the settings of the schema", async () => {
    const { readFile } = await import("node:fs/promises");
    const { SettingsSchema } = await import("../../src/serve/settings.ts");
    const readme = await readFile(new URL("../../README.md", import.meta.url), "utf8");
    const section = readme.split(/^## /m).find((s) => s.startsWith("Configuration\n")) ?? "";
    const rows = [...section.matchAll(/^\| `([A-Z_]+)` /gm)].map((m) => m[1]);
    expect(rows.sort()).toEqual(Object.keys(SettingsSchema.shape).sort());
  });
});
