import { loadYaml, type V1CertificateSigningRequest } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { kubeClients } from "../support/kube-clients.ts";
import { uniqueName } from "../kube/csr-requests.ts";
import { until } from "../kube/until.ts";
import { parseRecord } from "../../src/core/record/record.ts";
import { completePull, fileAt, pullsOf, reviewer, type Pull } from "./assertions.ts";
import { ensureWorker1, harness, REPO_REF, servingCsr, type Harness } from "./harness.ts";

function withCondition(csr: V1CertificateSigningRequest, type: string, reason: string) {
  const plain = JSON.parse(JSON.stringify(csr)) as {
    status?: { conditions?: unknown[] };
  } & Record<string, unknown>;
  plain.status = {
    ...plain.status,
    conditions: [
      ...(plain.status?.conditions ?? []),
      { type, status: "True", reason, message: `${type} by an administrator @everyone <b>x</b>` },
    ],
  };
  return loadYaml<V1CertificateSigningRequest>(
    JSON.stringify({
      ...plain,
      apiVersion: "certificates.k8s.io/v1",
      kind: "CertificateSigningRequest",
    }),
  );
}

async function openedPull(h: Harness): Promise<{ csr: V1CertificateSigningRequest; pull: Pull }> {
  const csr = await kubeClients("node").certificates.createCertificateSigningRequest({
    body: servingCsr(h.run, uniqueName("serving")),
  });
  const pull = await completePull(reviewer(h.sim), csr.metadata?.uid ?? "");
  return { csr, pull };
}

async function recordOfPull(h: Harness, pull: Pull) {
  const gh = reviewer(h.sim);
  const files = await gh.rest.pulls.listFiles({ ...REPO_REF, pull_number: pull.number });
  const path = files.data[0]?.filename ?? "";
  const parsed = parseRecord((await fileAt(gh, path, pull.head.sha)).text, path);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.record;
}

async function closedPull(h: Harness, uid: string): Promise<Pull> {
  return until(`the PR of ${uid} to be closed`, async () =>
    (await pullsOf(reviewer(h.sim), uid)).find((p) => p.state === "closed"),
  );
}

async function commentsOf(h: Harness, number: number): Promise<string[]> {
  const res = await reviewer(h.sim).rest.issues.listComments({ ...REPO_REF, issue_number: number });
  return res.data.map((c) => c.body ?? "");
}

describe("the PR stays true to the CSR", () => {
  it.each([
    ["approved", "Approved", "approval"],
    ["denied", "Denied", "approval"],
    ["failed", "Failed", "status"],
  ] as const)(
    "a CSR %s outside the app: comment, label decided-elsewhere, close",
    async (_name, type, subresource) => {
      await ensureWorker1();
      const h = await harness();
      await h.controller().start();
      const { csr, pull } = await openedPull(h);
      const { certificates } = kubeClients("admin");
      const name = csr.metadata?.name ?? "";
      const current = await certificates.readCertificateSigningRequest({ name });
      const body = withCondition(current, type, "DecidedByHand");
      if (subresource === "approval")
        await certificates.replaceCertificateSigningRequestApproval({ name, body });
      else await certificates.replaceCertificateSigningRequestStatus({ name, body });

      const closed = await closedPull(h, csr.metadata?.uid ?? "");
      expect(closed.number).toBe(pull.number);
      expect(closed.merged_at).toBeNull();
      expect(closed.labels.map((l) => l.name)).toContain("decided-elsewhere");
      const comments = await commentsOf(h, pull.number);
      expect(comments).toHaveLength(1);
      expect(comments[0]).toContain(`decided outside csr-gitops (condition \`${type}\``);
      // The condition's message is shown inert: no mention, no HTML.
      expect(comments[0]).toContain("by an administrator @everyone <b>x</b>`");
      expect(comments[0]?.replace(/`[^`\n]*`/g, "")).not.toMatch(/@|<b>/);
    },
    60_000,
  );

  it("a deleted CSR: comment, label csr-deleted, close", async () => {
    await ensureWorker1();
    const h = await harness();
    await h.controller().start();
    const { csr, pull } = await openedPull(h);
    await kubeClients("admin").certificates.deleteCertificateSigningRequest({
      name: csr.metadata?.name ?? "",
    });
    const closed = await closedPull(h, csr.metadata?.uid ?? "");
    expect(closed.number).toBe(pull.number);
    expect(closed.labels.map((l) => l.name)).toContain("csr-deleted");
    expect((await commentsOf(h, pull.number))[0]).toContain("The CSR is gone from the cluster");
  }, 60_000);

  it("a kubelet's retry links the PR it supersedes, which closes when its CSR goes", async () => {
    await ensureWorker1();
    const h = await harness();
    await h.controller().start();
    const old = await openedPull(h);
    // Created at once, often in the same second as the old one (creationTimestamp's resolution):
    // the informer's order still makes it the later request.
    const retry = await openedPull(h);
    expect(retry.pull.body).toContain(`- Supersedes: #${old.pull.number} (earlier requests`);
    await kubeClients("admin").certificates.deleteCertificateSigningRequest({
      name: old.csr.metadata?.name ?? "",
    });
    const closed = await closedPull(h, old.csr.metadata?.uid ?? "");
    expect(closed.labels.map((l) => l.name)).toContain("superseded");
    expect((await commentsOf(h, old.pull.number))[0]).toContain(
      `supersedes it by #${retry.pull.number}`,
    );
    // The newer PR stays open.
    expect((await pullsOf(reviewer(h.sim), retry.csr.metadata?.uid ?? ""))[0]?.state).toBe("open");
  }, 60_000);

  it("two requests of one identity created back to back: the later supersedes the earlier, never the reverse", async () => {
    await ensureWorker1();
    const h = await harness();
    await h.controller().start();
    const node = kubeClients("node").certificates;
    // Both in flight before either has a PR, usually within one second.
    const first = await node.createCertificateSigningRequest({
      body: servingCsr(h.run, uniqueName("serving")),
    });
    const second = await node.createCertificateSigningRequest({
      body: servingCsr(h.run, uniqueName("serving")),
    });
    const [firstUid, secondUid] = [first.metadata?.uid ?? "", second.metadata?.uid ?? ""];
    const gh = reviewer(h.sim);
    const firstPull = await completePull(gh, firstUid, 30_000);
    const secondPull = await completePull(gh, secondUid, 30_000);
    expect((await recordOfPull(h, firstPull)).supersedes).toEqual([]);
    expect((await recordOfPull(h, secondPull)).supersedes).toEqual([firstUid]);
    expect(secondPull.body).toMatch(
      new RegExp(`- Supersedes: (#${String(firstPull.number)}|CSR uid \`${firstUid}\`) \\(earlier`),
    );
    expect(firstPull.body).not.toContain("- Supersedes:");

    await kubeClients("admin").certificates.deleteCertificateSigningRequest({
      name: first.metadata?.name ?? "",
    });
    const closed = await closedPull(h, firstUid);
    expect(closed.labels.map((l) => l.name)).toContain("superseded");
    expect((await pullsOf(gh, secondUid))[0]?.state).toBe("open");
  }, 90_000);
});
