/**
 * The shared YAML loader (src/core/yaml) on its own: a small schema stands in for the policy, the
 * repo config and the record, so each rule is seen once, by position, field and message.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  formatFieldPath,
  formatYamlError,
  loadYaml,
  type LoadYamlOptions,
} from "../../../src/core/yaml/load-yaml.ts";

const Port = z.strictObject({ port: z.number().int() });
const Schema = z.strictObject({
  name: z.string(),
  kind: z.union([z.literal("a"), z.literal("b")]).optional(),
  tags: z.array(z.string()).optional(),
  primary: z.array(Port).optional(),
  backup: z.array(Port).optional(),
  labels: z.record(z.string(), z.string()).optional(),
});

const OPTIONS: LoadYamlOptions = { maxChars: 2000, formatName: "the test format" };

/** The errors of `text` as a user reads them, or the parsed value. */
function load(text: string, options = OPTIONS): string[] | z.output<typeof Schema> {
  const result = loadYaml(text, "f.yaml", Schema, options);
  return result.ok ? result.value : result.errors.map(formatYamlError);
}

const unknownKey = (at: string, field: string): string =>
  `f.yaml:${at}: ${field}: unknown key (not part of the test format; check the spelling)`;

describe("loadYaml", () => {
  it("returns the parsed value when the file matches the schema", () => {
    expect(load("name: x\ntags: [a, b]\nprimary: [{ port: 1 }]\n")).toEqual({
      name: "x",
      tags: ["a", "b"],
      primary: [{ port: 1 }],
    });
  });

  it("returns the plain data too, with what the schema leaves out (a __proto__ key)", () => {
    const result = loadYaml(
      'name: x\nlabels: { "__proto__": a, b: c }\n',
      "f.yaml",
      Schema,
      OPTIONS,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.keys(result.value.labels ?? {})).toEqual(["b"]);
    const labels = (result.data as { labels: object }).labels;
    expect(Object.getOwnPropertyDescriptor(labels, "__proto__")?.value).toBe("a");
  });

  it("gives every unknown key its own error at its own position, in file order", () => {
    expect(load("more: 2\nname: 1\nextra: 3\n")).toEqual([
      unknownKey("1:1", "more"),
      "f.yaml:2:1: name: expected string, received number",
      unknownKey("3:1", "extra"),
    ]);
  });

  it("sorts errors on one line by column", () => {
    expect(load("name: x\nprimary: [{ port: 1 }, { port: 2, extra: 1 }, oops]\n")).toEqual([
      unknownKey("2:35", "primary[1].extra"),
      "f.yaml:2:47: primary[2]: expected object, received string",
    ]);
  });

  it("points at a list item and at a key inside it", () => {
    expect(load("name: x\nprimary:\n  - port: 1\n  - port: x\n")).toEqual([
      "f.yaml:4:5: primary[1].port: expected number, received string",
    ]);
  });

  it("follows an alias to the anchored node it stands for", () => {
    expect(load("name: x\nprimary: &p [{ port: 1 }, { port: y }]\nbackup: *p\n")).toEqual([
      "f.yaml:2:29: primary[1].port: expected number, received string",
      "f.yaml:2:29: backup[1].port: expected number, received string",
    ]);
  });

  it("stops at the deepest node that exists (a list where a map was due)", () => {
    expect(load("name: x\nprimary: 3\n")).toEqual([
      "f.yaml:2:1: primary: expected array, received number",
    ]);
  });

  it("names keys that are not identifiers in brackets", () => {
    expect(load("name: x\nlabels: { 'a b': 1, ok: x }\n")).toEqual([
      'f.yaml:2:11: labels["a b"]: expected string, received number',
    ]);
  });

  it("keeps a zod message that has no detail after 'Invalid input'", () => {
    expect(load("name: x\nkind: c\n")).toEqual(["f.yaml:2:1: kind: Invalid input"]);
  });

  it("drops zod's 'Invalid input: ' prefix and keeps the detail", () => {
    expect(load("name: [x]\n")).toEqual(["f.yaml:1:1: name: expected string, received array"]);
  });

  it("reports a root that is not a map at 1:1 as (root)", () => {
    expect(load("[1]\n")).toEqual(["f.yaml:1:1: (root): expected object, received array"]);
    expect(load("")).toEqual(["f.yaml:1:1: (root): expected object, received null"]);
  });

  it("counts columns from the line start, with CRLF line ends and indentation", () => {
    expect(load("name: x\r\nbad: 1\r\n")).toEqual([unknownKey("2:1", "bad")]);
    expect(load("  name: x\n  bad: 1\n")).toEqual([unknownKey("2:3", "bad")]);
  });

  it.each([
    ["an unknown tag", "name: !foo x\n", "f.yaml:1:7: Unresolved tag: !foo"],
    ["a duplicate key", "name: x\nname: y\n", "f.yaml:2:1: Map keys must be unique"],
    [
      "an alias before its anchor",
      "name: x\ntags: [*q]\n",
      "f.yaml:1:1: Unresolved alias (the anchor must be set before the alias): q",
    ],
    [
      "two documents",
      "name: x\n---\nname: y\n",
      "f.yaml:2:1: Source contains multiple documents; please use YAML.parseAllDocuments()",
    ],
  ])("refuses %s with the first line of the YAML message", (_name, text, expected) => {
    expect(load(text)).toEqual([expected]);
  });

  it("refuses a file over maxChars before parsing it, and takes one of exactly maxChars", () => {
    const text = `name: ${"x".repeat(94)}`;
    expect(text).toHaveLength(100);
    expect(load(text, { ...OPTIONS, maxChars: 100 })).toEqual({ name: "x".repeat(94) });
    expect(load(`${text}\n`, { ...OPTIONS, maxChars: 100 })).toEqual([
      "f.yaml:1:1: file is 101 characters, more than the limit of 100",
    ]);
  });

  it("allows 49 aliases of one anchor and refuses 50 (the alias limit is 50, not yaml's 100)", () => {
    const aliases = (n: number): string =>
      `name: &n x\ntags: [${Array.from({ length: n }, () => "*n").join(", ")}]\n`;
    expect(load(aliases(49))).toEqual({ name: "x", tags: Array.from({ length: 49 }, () => "x") });
    expect(load(aliases(50))).toEqual([
      "f.yaml:1:1: Excessive alias count indicates a resource exhaustion attack",
    ]);
  });
});

describe("formatYamlError", () => {
  it("leaves the field out for a YAML syntax error", () => {
    const base = { file: "a.yml", line: 3, column: 7, message: "bad" };
    expect(formatYamlError({ ...base, field: "" })).toBe("a.yml:3:7: bad");
    expect(formatYamlError({ ...base, field: "x.y" })).toBe("a.yml:3:7: x.y: bad");
  });
});

describe("formatFieldPath", () => {
  it.each<[PropertyKey[], string]>([
    [[], "(root)"],
    [["a"], "a"],
    [[0], "[0]"],
    [["a", 0, "b"], "a[0].b"],
    [["$d", "_e"], "$d._e"],
    [["a", "b c"], 'a["b c"]'],
    [["1x"], '["1x"]'],
    [["a-b"], '["a-b"]'],
    [["x", "a1"], "x.a1"],
    [["é"], '["é"]'],
  ])("%j reads as %s", (path, expected) => {
    expect(formatFieldPath(path)).toBe(expected);
  });
});
