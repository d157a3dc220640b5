/**
 * The Dockerfile's shape, checked where no container engine runs (see `npm run test:container`
 * for its production stage run for real): two stages, the final one holds the bundle and no
 * node_modules, runs as a numeric non-root user, and starts `serve` exactly as the end-to-end
 * tests do (scripts/image-layout.ts holds the same files, environment and start command).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { IMAGE_ENTRYPOINT_ARGS, IMAGE_ENV, IMAGE_FILES } from "../../scripts/image-layout.ts";

const text = readFileSync(new URL("../../Dockerfile", import.meta.url), "utf8");
const lines = text
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l !== "" && !l.startsWith("#"));
const stages: string[][] = [];
for (const line of lines) {
  if (line.startsWith("FROM ")) stages.push([]);
  stages.at(-1)?.push(line);
}
const [build = [], final = []] = stages;

describe("Dockerfile", () => {
  it("has a build stage and a final stage", () => {
    expect(stages).toHaveLength(2);
    expect(build[0]).toMatch(/^FROM \S+ AS build$/);
  });

  it("ships the bundle and no dependencies: nothing installed or copied from node_modules", () => {
    expect(final.filter((l) => /\bnpm (ci|install|i)\b/.test(l))).toEqual([]);
    expect(final.filter((l) => l.includes("node_modules"))).toEqual([]);
    expect(final.some((l) => /^COPY (src|test)\b/.test(l))).toBe(false);
    expect(final).toContain("ENV NODE_ENV=production");
    // serve's memory with many CSRs depends on it (docs/benchmarks.md, "Memory of serve").
    expect(final).toContain("ENV NODE_OPTIONS=--max-semi-space-size=2");
    expect(final).toContain(
      "ENV GLIBC_TUNABLES=glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=131072:glibc.malloc.trim_threshold=131072",
    );
  });

  it("runs as a numeric non-root user", () => {
    const user = final.filter((l) => l.startsWith("USER ")).at(-1) ?? "";
    const [uid = "", gid = ""] = user.slice("USER ".length).split(":");
    expect(uid).toMatch(/^[1-9][0-9]*$/);
    expect(gid).toMatch(/^[1-9][0-9]*$/);
  });

  it("runs the bundle that npm run build writes: the build stage bundles, bin/ imports it", () => {
    expect(build.some((l) => /\bnode scripts\/build\.ts\b/.test(l))).toBe(true);
    expect(final).toContain("COPY --from=build /app/dist ./dist");
    const bin = readFileSync(new URL("../../bin/csr-gitops.js", import.meta.url), "utf8");
    expect(bin).toMatch(/^import "\.\.\/dist\/bundle\/csr-gitops\.js";$/m);
    const pkg = JSON.parse(
      readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
    ) as { scripts: Record<string, string> };
    expect(pkg.scripts.build).toBe("node scripts/build.ts");
  });

  it("starts serve with the command the tests run", () => {
    // --optimize-for-size: serve's memory with many CSRs (docs/benchmarks.md, "Memory of serve").
    expect(final).toContain('ENTRYPOINT ["node", "--optimize-for-size", "bin/csr-gitops.js"]');
    expect(final.at(-1)).toBe('CMD ["serve"]');
  });

  it("holds what the tests lay out as the image: the same files, environment and start command", () => {
    const copied = final
      .filter((l) => l.startsWith("COPY ") && !l.startsWith("COPY --from="))
      .flatMap((l) => l.slice("COPY ".length).split(" ").slice(0, -1));
    expect(copied.toSorted()).toEqual([...IMAGE_FILES].toSorted());
    const env = final
      .filter((l) => l.startsWith("ENV "))
      .map((l) => l.slice("ENV ".length).split(/=(.*)/s).slice(0, 2));
    expect(Object.fromEntries(env)).toEqual(IMAGE_ENV);
    expect(final).toContain(
      `ENTRYPOINT ${JSON.stringify(["node", ...IMAGE_ENTRYPOINT_ARGS])}`.replaceAll(",", ", "),
    );
  });
});
