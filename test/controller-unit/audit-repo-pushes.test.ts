/** The app's push webhooks for the audit repository reach the controller; others do not. */
import { generateKeyPairSync } from "node:crypto";
import { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { withAuditRepoPushes } from "../../src/controller/audit-repo-pushes.ts";

function probot(): Probot {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return new Probot({
    appId: 1,
    privateKey: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    secret: "webhook-secret",
  });
}

function push(fullName: string, ref: string) {
  return {
    id: `delivery-${ref}`,
    name: "push" as const,
    // Only what the handler reads; Probot passes the payload through as received.
    payload: { ref, repository: { full_name: fullName }, installation: { id: 7 } } as never,
  };
}

describe("push webhooks forwarded to the controller", () => {
  it("forwards pushes to the audit repository (any letter case) and keeps the app's handlers", async () => {
    const refs: string[] = [];
    let appLoaded = false;
    const bot = probot();
    await bot.load(
      withAuditRepoPushes(
        () => {
          appLoaded = true;
        },
        { owner: "acme", repo: "csr-audit" },
        (ref) => refs.push(ref),
      ),
    );
    await bot.receive(push("Acme/CSR-Audit", "refs/heads/main"));
    await bot.receive(push("acme/other-repo", "refs/heads/main"));
    await bot.receive(push("acme/csr-audit", "refs/heads/feature"));
    expect(appLoaded).toBe(true);
    expect(refs).toEqual(["refs/heads/main", "refs/heads/feature"]);
  });
});
