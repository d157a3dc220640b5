/**
 * Large and hostile text in front of the DER: PEM and base64 of about 1 MiB (the input limit),
 * shaped to make a backtracking or re-scanning reader slow (long runs of one character, a pad
 * sign deep inside, thousands of near-miss END lines, a label that never ends). The readers scan
 * each character once; these tests pin the answers at that size (no timing assertions: the
 * machine is shared), and that Buffer's lenient base64 never sees a character it would misread.
 */
import { describe, expect, it } from "vitest";
import { decodeBase64Strict } from "../../../src/core/csr/base64.ts";
import { decodeCsrObject, decodeCsrPem } from "../../../src/core/csr/decode.ts";
import { bytesEqual } from "../../../src/core/csr/der.ts";
import { MAX_INPUT_BYTES } from "../../../src/core/csr/limits.ts";
import { pemToDer } from "../../../src/core/csr/pem.ts";
import { makeCsrDer, makeCsrObject, toPem } from "../../support/make-csr.ts";

const BEGIN = "-----BEGIN CERTIFICATE REQUEST-----\n";
const END = "-----END CERTIFICATE REQUEST-----\n";
const NEAR = MAX_INPUT_BYTES - 200;

describe("base64 of about 1 MiB", () => {
  it("whitespace of every kind between the characters is skipped, the bytes are exact", () => {
    const data = Buffer.from(Array.from({ length: 240_000 }, (_, i) => (i * 7919) % 256));
    const spaced = data.toString("base64").replace(/(.{4})/g, "$1\u202f\n\u205f\t\u3000 ");
    expect(spaced.length).toBeGreaterThan(NEAR / 2);
    const got = decodeBase64Strict(spaced);
    expect(got === undefined ? undefined : Buffer.from(got).equals(data)).toBe(true);
  });

  // Buffer reads U+202F by its low byte as "/" and U+205F as "_" (base64url's 63): had the text
  // reached it unstripped, these would have decoded to other bytes.
  it("U+202F and U+205F are whitespace, not the characters of their low byte", () => {
    expect([...(decodeBase64Strict("QU\u202fJD\u205fRA==") ?? [])]).toEqual([
      0x41, 0x42, 0x43, 0x44,
    ]);
  });

  it.each<[string, string]>([
    ["one character short of a group", "A".repeat(NEAR - 1)],
    ["a pad sign deep inside", `${"AAAA".repeat(NEAR / 8)}=${"AAAA".repeat(NEAR / 8)}`],
    ["three pad signs at the end", `${"AAAA".repeat(NEAR / 4 - 1)}A===`],
    ["a bad character at the very end", `${"AAAA".repeat(NEAR / 4)}*`],
    ["a base64url character", `${"AAAA".repeat(NEAR / 8)}A_AA${"AAAA".repeat(NEAR / 8)}`],
    ["only pad signs and spaces", "= ".repeat(NEAR / 2)],
  ])("%s is refused", (_name, text) => {
    expect(decodeBase64Strict(text)).toBeUndefined();
  });

  it("1 MiB of spaces is empty, a valid group at its end is read", () => {
    expect(decodeBase64Strict(" ".repeat(NEAR))).toEqual(new Uint8Array(0));
    expect([...(decodeBase64Strict(`${" ".repeat(NEAR)}QUJD`) ?? [])]).toEqual([0x41, 0x42, 0x43]);
  });
});

describe("PEM of about 1 MiB", () => {
  const der = makeCsrDer({ subject: { CN: "large" } });
  const body = Buffer.from(der).toString("base64");

  it("a body spread over 1 MiB of blank lines decodes to the same request", () => {
    const padding = "\n".repeat(NEAR - body.length - BEGIN.length - END.length);
    const text = `${BEGIN}${body.slice(0, 40)}${padding}${body.slice(40)}\n${END}`;
    expect(text.length).toBeLessThanOrEqual(MAX_INPUT_BYTES);
    const read = pemToDer(text);
    expect(read.ok && bytesEqual(read.der, der)).toBe(true);
  });

  it.each<[string, string, string, string]>([
    [
      "a label that never ends",
      `-----BEGIN ${"A".repeat(NEAR)}`,
      "not-pem",
      "malformed -----BEGIN line",
    ],
    ["a label of dashes", `-----BEGIN ${"-".repeat(NEAR)}`, "not-pem", "malformed -----BEGIN line"],
    [
      "thousands of near-miss END lines",
      `${BEGIN}${"-----END CERTIFICATE REQUES\n".repeat(NEAR / 28)}`,
      "not-pem",
      "no -----END CERTIFICATE REQUEST----- line",
    ],
    [
      "a colon at the end of a long body",
      `${BEGIN}${"AAAA\n".repeat(NEAR / 5 - 20)}:\n${END}`,
      "not-pem",
      "PEM headers are not allowed in a certificate request",
    ],
    [
      "a pad sign deep inside a long body",
      `${BEGIN}${"AAAA\n".repeat(NEAR / 10)}=${"AAAA\n".repeat(NEAR / 10 - 20)}${END}`,
      "not-base64",
      "PEM body is not valid base64",
    ],
    [
      "1 MiB of BEGIN lines",
      "-----BEGIN X-----\n".repeat(NEAR / 18),
      "multiple-pem-blocks",
      `${Math.floor(NEAR / 18)} PEM blocks where exactly one CERTIFICATE REQUEST is expected`,
    ],
  ])("%s is refused", (_name, text, code, message) => {
    expect(text.length).toBeLessThanOrEqual(MAX_INPUT_BYTES);
    expect(pemToDer(text)).toEqual({ ok: false, error: { code, message } });
  });

  it("the same answers through decodeCsrPem and inside spec.request", () => {
    const text = `${BEGIN}${"AAAA\n".repeat(NEAR / 10)}=${"AAAA\n".repeat(NEAR / 10 - 20)}${END}`;
    expect(decodeCsrPem(text)).toMatchObject({ ok: false, error: { code: "not-base64" } });
    const object = makeCsrObject({ subject: { CN: "large" } });
    const spec = object.spec as Record<string, unknown>;
    spec.request = Buffer.from(`${"\n".repeat(600_000)}${toPem(der)}`).toString("base64");
    const decoded = decodeCsrObject(object);
    expect(decoded.ok && decoded.csr.request.subject.commonName).toBe("large");
  });
});

describe("which characters the one-pass readers accept", () => {
  // The scan replaced `text.replace(/\s+/g, "")` and `/^[A-Za-z0-9+/]*={0,2}$/`: every UTF-16 code
  // unit must be judged as those did (whitespace where `\s` matches, else only the alphabet).
  it("every code unit: whitespace exactly where \\s matches, the alphabet, nothing else", () => {
    const alphabet = /[A-Za-z0-9+/]/;
    const wrong: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      const char = String.fromCharCode(code);
      const inside = decodeBase64Strict(`QUJD${char}REVG`);
      const want = /\s/.test(char) ? "ABCDEF" : undefined;
      const got = inside === undefined ? undefined : Buffer.from(inside).toString("latin1");
      if (got !== want) wrong.push(`U+${code.toString(16)} inside`);
      const group = decodeBase64Strict(`QUJD${char}${char}${char}${char}`);
      const groupWant = /\s/.test(char) || alphabet.test(char) || char === "=" ? "ok" : undefined;
      if (char !== "=" && (group === undefined ? undefined : "ok") !== groupWant)
        wrong.push(`U+${code.toString(16)} as a group`);
    }
    expect(wrong).toEqual([]);
  });

  it("two pad signs close a group of two characters, whitespace may follow them", () => {
    expect([...(decodeBase64Strict("YQ==") ?? [])]).toEqual([0x61]);
    expect([...(decodeBase64Strict("YQ= =\n ") ?? [])]).toEqual([0x61]);
    expect(decodeBase64Strict("Y===")).toBeUndefined();
  });

  it("a range of the text is read, not the text around it", () => {
    expect([...(decodeBase64Strict("**YWJj**", 2, 6) ?? [])]).toEqual([0x61, 0x62, 0x63]);
    expect(decodeBase64Strict("**YWJj**", 1, 6)).toBeUndefined();
  });

  it("PEM labels: A-Z, 0-9 and space only, 1 to 64 of them", () => {
    const refused: number[] = [];
    for (let code = 0; code < 128; code++) {
      const result = pemToDer(`-----BEGIN A${String.fromCharCode(code)}B-----\n-----END X-----\n`);
      const malformed = !result.ok && result.error.message === "malformed -----BEGIN line";
      if (malformed) refused.push(code);
    }
    const allowed = (c: number): boolean =>
      (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x20;
    expect(refused).toEqual(Array.from({ length: 128 }, (_, c) => c).filter((c) => !allowed(c)));
    const label = (n: number): string => `-----BEGIN ${"A".repeat(n)}-----\n`;
    expect(pemToDer(label(64))).toEqual({
      ok: false,
      error: { code: "not-pem", message: `no -----END ${"A".repeat(64)}----- line` },
    });
    expect(pemToDer(label(65))).toEqual({
      ok: false,
      error: { code: "not-pem", message: "malformed -----BEGIN line" },
    });
  });

  it("a colon after the END line is text around the block, not a header", () => {
    const der = makeCsrDer({ subject: { CN: "colon" } });
    const read = pemToDer(`note: one\n${toPem(der)}note: two\n`);
    expect(read.ok && bytesEqual(read.der, der)).toBe(true);
  });
});
