/**
 * The certificate receipt when the signer misbehaves. The CSRs are for a signer nothing in the
 * test server signs, so the test acts as that signer after the app's approval (test-signer.ts):
 * it writes status.certificate through the /status subresource (a certificate for another key, or
 * with a SAN nobody requested), or sets the Failed condition. Each is said on the PR, in the log,
 * in an Event and in a metric, and recorded in the receipt.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { certificatePath } from "../../src/core/record/layout.ts";
import { parseReceipt } from "../../src/core/record/receipt.ts";
import type { Harness, OpenedPr } from "./harness.ts";
import {
  approvedCsr,
  requestPem,
  SERVING,
  signer,
  signerWrites,
  type Logged,
} from "./test-signer.ts";

vi.setConfig({ testTimeout: 120_000 });

async function certificateReceipt(h: Harness, pr: OpenedPr) {
  const path = certificatePath(pr.key);
  return parseReceipt((await h.fileOnMain(path.ok ? path.value : "")) ?? "");
}

describe("the issued certificate is checked against the approved request", () => {
  it("a certificate for the approved request is recorded as matching (the control)", async () => {
    const log: Logged[] = [];
    const { h, pr, csr } = await approvedCsr(log);
    const ca = signer();
    await signerWrites(csr, {
      certificate: ca.sign(requestPem(csr), `${SERVING}\nsubjectAltName=DNS:web.example.com`),
    });
    await h.resync();
    expect(await certificateReceipt(h, pr)).toMatchObject({
      ok: true,
      receipt: { outcome: "issued", matchesRequest: true, mismatches: [], serial: "1092" },
    });
    expect(h.metrics.get("certificate-mismatch")).toBe(0);
  });

  it("a certificate with a SAN nobody requested is a mismatch", async () => {
    const log: Logged[] = [];
    const { h, pr, csr } = await approvedCsr(log);
    const ca = signer();
    await signerWrites(csr, {
      certificate: ca.sign(
        requestPem(csr),
        `${SERVING}\nsubjectAltName=DNS:web.example.com,DNS:admin.example.com`,
      ),
    });
    await h.resync();
    await h.resync();

    const receipt = await certificateReceipt(h, pr);
    expect(receipt).toMatchObject({
      ok: true,
      receipt: { outcome: "issued", matchesRequest: false },
    });
    const mismatches =
      receipt.ok && receipt.receipt.kind === "CertificateReceipt" ? receipt.receipt.mismatches : [];
    expect(mismatches.join("\n")).toContain("admin.example.com");
    const comments = (await h.comments(pr.number)).filter((c) =>
      c.includes("### ❌ Certificate does not match the request"),
    );
    expect(comments).toHaveLength(1);
    expect(comments[0]).toContain("admin.example.com");
    expect(h.metrics.get("certificate-mismatch")).toBe(1);
    expect(
      log.filter((l) => l.message === "the issued certificate does not match the request"),
    ).toHaveLength(1);
  });

  it("a certificate for another key is a mismatch", async () => {
    const log: Logged[] = [];
    const { h, pr, csr } = await approvedCsr(log);
    const ca = signer();
    execFileSync(
      "openssl",
      [
        "req",
        "-new",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "other.key",
        "-out",
        "other.csr",
        "-subj",
        "/CN=web.example.com",
      ],
      { cwd: ca.dir, stdio: "pipe" },
    );
    const other = readFileSync(join(ca.dir, "other.csr"), "utf8");
    await signerWrites(csr, {
      certificate: ca.sign(other, `${SERVING}\nsubjectAltName=DNS:web.example.com`),
    });
    await h.resync();

    expect(await certificateReceipt(h, pr)).toMatchObject({
      ok: true,
      receipt: { outcome: "issued", matchesRequest: false },
    });
    const comment = (await h.comments(pr.number)).find((c) =>
      c.includes("### ❌ Certificate does not match the request"),
    );
    expect(comment).toMatch(/public key/i);
    expect(h.metrics.get("certificate-mismatch")).toBe(1);
    expect(log.map((l) => l.message)).toContain(
      "the issued certificate does not match the request",
    );
  });

  it("the signer's Failed condition is reported and recorded", async () => {
    const log: Logged[] = [];
    const { h, pr, csr } = await approvedCsr(log);
    await signerWrites(csr, { failed: "the CA is offline" });
    await h.resync();
    await h.resync();

    expect(await certificateReceipt(h, pr)).toMatchObject({
      ok: true,
      receipt: { outcome: "failed", failure: "SignerError: the CA is offline" },
    });
    const comments = (await h.comments(pr.number)).filter((c) =>
      c.includes("### ❌ Signer failed"),
    );
    expect(comments).toHaveLength(1);
    expect(comments[0]).toContain("the CA is offline");
    expect(h.metrics.get("signer-failed")).toBe(1);
    expect(log.filter((l) => l.message === "the signer failed an approved CSR")).toHaveLength(1);
  });
});
