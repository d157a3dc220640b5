import { describe, expect, it } from "vitest";
import { parseRecord } from "../../src/core/record/record.ts";
import { kubeClients } from "../support/kube-clients.ts";
import { uniqueName } from "../kube/csr-requests.ts";
import { checkRunsOf, completePull, fileAt, filesOf, pullsOf, reviewer } from "./assertions.ts";
import { ensureWorker1, harness, servingCsr } from "./harness.ts";

describe("a pending CSR becomes one pull request", () => {
  it("a CSR created by the node opens one PR with the record, body, labels and check run", async () => {
    await ensureWorker1();
    const h = await harness();
    const controller = h.controller();
    await controller.start();

    const name = uniqueName("serving");
    const created = await kubeClients("node").certificates.createCertificateSigningRequest({
      body: servingCsr(h.run, name),
    });
    const uid = created.metadata?.uid ?? "";
    const gh = reviewer(h.sim);
    const pull = await completePull(gh, uid);
    await controller.idle();

    // Exactly one PR, adding exactly the record file.
    expect((await pullsOf(gh, uid)).map((p) => p.number)).toEqual([pull.number]);
    const path = `clusters/test/${name}_${uid}/record.yaml`;
    expect(await filesOf(gh, pull.number)).toEqual([path]);
    expect(pull.base.ref).toBe("main");
    expect(pull.user?.login).toBe("csr-gitops[bot]");

    const file = await fileAt(gh, path, pull.head.sha);
    const record = parseRecord(file.text, path);
    if (!record.ok) throw new Error(JSON.stringify(record.errors));
    expect(record.record).toMatchObject({
      cluster: "test",
      csr: {
        name,
        uid,
        signerName: "kubernetes.io/kubelet-serving",
        requester: { username: "system:node:worker-1" },
      },
      verdict: { decision: "allow", reasons: [], requiredApprovals: 2 },
      policy: { source: "builtin", blobSha: null },
    });
    const createdAt = created.metadata?.creationTimestamp ?? new Date(0);
    const deadline = new Date(createdAt.getTime() + 24 * 3600 * 1000)
      .toISOString()
      .replace(/\.\d{3}Z$/, "Z");
    expect(record.record.csr.deadline).toBe(deadline);

    expect(pull.title).toBe(
      `CSR \`${name}\` on \`test\`: \`kubernetes.io/kubelet-serving\` for \`system:node:worker-1\` (policy: allow)`,
    );
    expect(pull.body).toContain(`Kubernetes deletes this CSR at **\`${deadline}\`**`);
    expect(pull.body).toContain("- Subject alternative names: DNS `worker-1`, IP `10.0.0.11`");
    expect(pull.labels.map((l) => l.name).sort()).toEqual(
      [
        "cluster: test",
        "csr-gitops",
        "signer: kubernetes.io/kubelet-serving",
        "verdict: allow",
      ].sort(),
    );

    const runs = await checkRunsOf(gh, pull.head.sha);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      name: "csr-gitops",
      status: "in_progress",
      external_id: `${path}=${file.sha}`,
      output: { title: "Policy allows; 0 of 2 code owner approvals" },
    });

    // The head commit is the app's, on top of main, adding only the record.
    const commit = await gh.rest.repos.getCommit({
      ...{ owner: "acme", repo: "csr-audit" },
      ref: pull.head.sha,
    });
    expect(commit.data.files?.map((f) => f.filename)).toEqual([path]);
    expect(h.events.counted("pull_request_opened")).toBe(1);
  });
});
