/**
 * How `serve` reports the controller's "unknown signer" event: a warn log line naming the signer
 * (a JSON field, never part of the message) and the Prometheus counter per cluster (the signer is
 * CSR-derived text, so it is not a label).
 */
import { PassThrough } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createMetrics } from "../../src/serve/metrics.ts";
import { controllerEvents } from "../../src/serve/reporters.ts";

describe("serve's report of an unknown signer", () => {
  it("logs a warning with the signer and counts csr_gitops_unknown_signers_total{cluster}", async () => {
    const lines: string[] = [];
    const stream = new PassThrough();
    stream.on("data", (chunk: Buffer) => lines.push(...chunk.toString("utf8").trim().split("\n")));
    const metrics = createMetrics();
    const events = controllerEvents(pino({ level: "info" }, stream), metrics);
    const signer = 'example.com/custom"} evil{x="';

    events.log("warn", "CSR for a signer the policy has no rule for", {
      cluster: "prod",
      csr: "csr-1",
      signer,
    });
    events.count("unknown_signer", { cluster: "prod", signer });
    events.count("unknown_signer", { cluster: "prod", signer: "example.com/other" });

    await new Promise((resolve) => setImmediate(resolve));
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged).toEqual([
      expect.objectContaining({
        level: 40,
        msg: "CSR for a signer the policy has no rule for",
        cluster: "prod",
        csr: "csr-1",
        signer,
      }),
    ]);
    const text = await metrics.registry.metrics();
    expect(text).toContain('csr_gitops_unknown_signers_total{cluster="prod"} 2');
    expect(text).not.toContain("evil");
  });
});
