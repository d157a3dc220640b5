/**
 * When the signer has acted on a CSR the app approved: a certificate receipt with serial,
 * validity, issuer and fingerprint, after checking that the certificate matches the approved
 * request (public key, subject, SANs, usages); or a receipt of the signer's Failed condition.
 * Mismatch and failure are said on the PR, in an Event, the log and metrics. Idempotent.
 */
import { decodeCsrObject } from "../core/csr/decode.ts";
import { certificateFacts } from "../core/record/certificate-facts.ts";
import { certificatePath, type CsrKey } from "../core/record/layout.ts";
import {
  renderReceiptMessage,
  renderReceiptYaml,
  type CertificateReceipt,
} from "../core/record/receipt.ts";
import { readFileAt } from "../github/read-file-at.ts";
import { commentOnce } from "./comment-once.ts";
import { writeReceipt } from "../github/write-receipt.ts";
import { emitCsrEvent } from "../kube/csr-event.ts";
import { readCsr } from "../kube/read-csr.ts";
import { displayText } from "./display.ts";
import { certificateComment } from "./explain.ts";
import type { PullContext } from "./pull-context.ts";

export type CertificateStep = "recorded" | "existed" | "not-yet" | "gone" | "refused";

export async function recordCertificate(
  ctx: PullContext,
  key: CsrKey & { readonly path: string },
): Promise<CertificateStep> {
  const { api, repo, deps } = ctx;
  const path = certificatePath(key);
  if (!path.ok) return "gone";
  const branch = ctx.snapshot.facts.defaultBranch;
  if ((await readFileAt(api, repo, path.value, branch)) !== undefined) return "existed";
  const read = await readCsr(ctx.kube.certificates, key.name);
  if (!read.present || read.object.metadata?.uid !== key.uid) return "gone";
  const failed = (read.object.status?.conditions ?? []).find((c) => c.type === "Failed");
  const pem = read.object.status?.certificate;
  const base = {
    kind: "CertificateReceipt" as const,
    cluster: key.cluster,
    csrName: key.name,
    csrUid: key.uid,
    record: key.path,
    recordedAt: deps.now().toISOString(),
  };
  let receipt: CertificateReceipt;
  if (failed !== undefined) {
    receipt = {
      ...base,
      outcome: "failed",
      serial: null,
      notBefore: null,
      notAfter: null,
      issuer: null,
      certificateSha256: null,
      matchesRequest: null,
      mismatches: [],
      failure: `${failed.reason ?? "Failed"}: ${failed.message ?? ""}`,
    };
  } else if (pem !== undefined && pem !== "") {
    const decoded = decodeCsrObject(read.object);
    if (!decoded.ok) return "gone";
    const text = Buffer.from(pem, "base64").toString("latin1");
    const facts = certificateFacts(text, decoded.csr.request, decoded.csr.object?.usages ?? []);
    receipt = facts.ok
      ? {
          ...base,
          outcome: "issued",
          serial: facts.certificate.serial,
          notBefore: facts.certificate.notBefore,
          notAfter: facts.certificate.notAfter,
          issuer: facts.certificate.issuer,
          certificateSha256: facts.certificate.sha256,
          matchesRequest: facts.certificate.matchesRequest,
          mismatches: facts.certificate.mismatches,
          failure: null,
        }
      : {
          ...base,
          outcome: "issued",
          serial: null,
          notBefore: null,
          notAfter: null,
          issuer: null,
          certificateSha256: null,
          matchesRequest: false,
          mismatches: [facts.error],
          failure: null,
        };
  } else return "not-yet";

  const written =
    deps.dryRun === true
      ? { ok: true as const, created: false }
      : await writeReceipt(
          api,
          repo,
          branch,
          path.value,
          renderReceiptYaml(receipt),
          renderReceiptMessage(receipt),
        );
  if (!written.ok) deps.metrics.receiptRefused("certificate");
  const comment =
    receipt.outcome === "failed"
      ? certificateComment(key, { kind: "failed", failure: receipt.failure ?? "" })
      : certificateComment(key, {
          kind: "issued",
          serial: receipt.serial ?? "?",
          mismatches: receipt.mismatches,
        });
  const posted = await commentOnce(
    api,
    repo,
    ctx.number,
    `certificate:${key.uid}`,
    comment,
    deps.identity.botId,
  );
  if (posted) {
    if (receipt.outcome === "failed") {
      deps.metrics.signerFailed();
      deps.log.warn("the signer failed an approved CSR", { csr: key.name });
      await emitCsrEvent(
        ctx.kube.core,
        key,
        {
          type: "Warning",
          reason: "SignerFailed",
          message: `The signer failed: ${receipt.failure ?? ""}`,
        },
        deps.now(),
      );
    } else if (receipt.matchesRequest !== true) {
      deps.metrics.certificateMismatch();
      deps.log.warn("the issued certificate does not match the request", { csr: key.name });
      await emitCsrEvent(
        ctx.kube.core,
        key,
        {
          type: "Warning",
          reason: "CertificateMismatch",
          message: `The issued certificate does not match the approved request: ${displayText(receipt.mismatches.join("; "), 500)}`,
        },
        deps.now(),
      );
    }
  }
  return written.ok ? "recorded" : "refused";
}
