import { describe, expect, it } from "vitest";
import { parseExternalId, renderExternalId } from "../../../src/core/approval/external-id.ts";

const RECORD = { path: "clusters/prod/csr/abc/record.yaml", blobSha: "a".repeat(40) };

describe("the decision mark in the app's check run external_id", () => {
  it.each([
    [{ kind: "approved" } as const, "!decided=approved"],
    [{ kind: "denied" } as const, "!decided=denied"],
    [{ kind: "closed" } as const, "!decided=closed"],
    [{ kind: "partial" } as const, "!decided=partial"],
    [
      { kind: "refused", codes: ["too-few-approvals", "changes-requested"] } as const,
      "!decided=refused:changes-requested+too-few-approvals",
    ],
  ])("round-trips %o", (decided, text) => {
    const rendered = renderExternalId({ records: [RECORD], tampered: true, decided });
    expect(rendered).toBe(`${RECORD.path}=${RECORD.blobSha},!tampered,${text}`);
    const parsed = parseExternalId(rendered);
    expect(parsed).toMatchObject({ ok: true, tampered: true, records: [RECORD] });
    expect(parsed.ok && parsed.decided?.kind).toBe(decided.kind);
  });

  it("no mark: undecided", () => {
    const parsed = parseExternalId(renderExternalId({ records: [RECORD], tampered: false }));
    expect(parsed).toEqual({ ok: true, records: [RECORD], tampered: false });
  });

  it.each([
    "!decided=maybe",
    "!decided=refused:",
    "!decided=refused:not-a-code",
    "!decided=refused:too-few-approvals+nope",
    "!decided=approved,!decided=approved",
    // Not "refused:" but as long: the codes after it must not be read.
    "!decided=Refused:too-few-approvals",
    "!decided=rejected-too-few-approvals",
  ])("refuses an unreadable mark: %s", (mark) => {
    const bad = mark.split(",").at(-1) ?? mark;
    expect(parseExternalId(`${RECORD.path}=${RECORD.blobSha},${mark}`)).toEqual({
      ok: false,
      error: `not a decision mark: ${JSON.stringify(bad)}`,
    });
  });
});
