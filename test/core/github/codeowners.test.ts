import { describe, expect, it } from "vitest";
import {
  CODEOWNERS_PATHS,
  findCodeowners,
  ownersOf,
  parseCodeowners,
  parseOwner,
  unknownOwnerErrors,
} from "../../../src/core/github/codeowners.ts";

/** The example file from GitHub's documentation page "About code owners", line for line. */
const GITHUB_EXAMPLE = `# This is a comment.
# Each line is a file pattern followed by one or more owners.

# These owners will be the default owners for everything in
# the repo. Unless a later match takes precedence,
# @global-owner1 and @global-owner2 will be requested for
# review when someone opens a pull request.
*       @global-owner1 @global-owner2

# Order is important; the last matching pattern takes the most
# precedence. When someone opens a pull request that only
# modifies JS files, only @js-owner and not the global
# owner(s) will be requested for a review.
*.js    @js-owner #This is an inline comment.

# You can also use email addresses if you prefer. They'll be
# used to look up users just like we do for commit author
# emails.
*.go docs@example.com

# Teams can be specified as code owners as well. Teams should
# be identified in the format @org/team-name. Teams must have
# explicit write access to the repository. In this example,
# the octocats team in the octo-org organization owns all .txt files.
*.txt @octo-org/octocats

# In this example, @doctocat owns any files in the build/logs
# directory at the root of the repository and any of its
# subdirectories.
/build/logs/ @doctocat

# The \`docs/*\` pattern will match files like
# \`docs/getting-started.md\` but not further nested files like
# \`docs/build-app/troubleshooting.md\`.
docs/*  docs@example.com

# In this example, @octocat owns any file in an apps directory
# anywhere in your repository.
apps/ @octocat

# In this example, @doctocat owns any file in the \`/docs\`
# directory in the root of your repository and any of its
# subdirectories.
/docs/ @doctocat

# In this example, any change inside the \`/scripts\` directory
# will require approval from @doctocat or @octocat.
/scripts/ @doctocat @octocat

# In this example, @octocat owns any file in a \`/logs\` directory such as
# \`/build/logs\`, \`/scripts/logs\`, and \`/deeply/nested/logs\`. Any changes
# in a \`/logs\` directory will require approval from @octocat.
**/logs @octocat

# In this example, @octocat owns any file in the \`/apps\`
# directory in the root of your repository except for the \`/apps/github\`
# subdirectory, as its owners are left empty. Without an owner, changes
# to \`apps/github\` can be made with the approval of any user who has
# write access to the repository.
/apps/ @octocat
/apps/github

# In this example, @octocat owns any file in the \`/apps\`
# directory in the root of your repository except for the \`/apps/github\`
# subdirectory, as this subdirectory has its own owner @doctocat
/apps/ @octocat
/apps/github @doctocat
`;

/** Each documented example on its own, so a later line of the full file cannot mask it. */
const single = (text: string, path: string) => ownersOf(parseCodeowners(text).rules, path);

describe("GitHub's documented CODEOWNERS examples, one rule at a time", () => {
  it.each([
    // `*`: global owners own everything.
    ["*       @global-owner1 @global-owner2", "README.md", ["@global-owner1", "@global-owner2"]],
    ["*       @global-owner1 @global-owner2", "a/b/c.txt", ["@global-owner1", "@global-owner2"]],
    // Last match wins: JS files belong to @js-owner only; the inline comment is not an owner.
    [
      "* @global-owner1\n*.js    @js-owner #This is an inline comment.",
      "src/app.js",
      ["@js-owner"],
    ],
    [
      "* @global-owner1\n*.js    @js-owner #This is an inline comment.",
      "src/app.ts",
      ["@global-owner1"],
    ],
    // Email owners.
    ["*.go docs@example.com", "cmd/main.go", ["docs@example.com"]],
    // Team owners.
    ["*.txt @octo-org/octocats", "notes/todo.txt", ["@octo-org/octocats"]],
    // `/build/logs/`: the root build/logs directory and its subdirectories, nowhere else.
    ["/build/logs/ @doctocat", "build/logs/today.log", ["@doctocat"]],
    ["/build/logs/ @doctocat", "build/logs/2024/01/today.log", ["@doctocat"]],
    ["/build/logs/ @doctocat", "src/build/logs/today.log", undefined],
    // `docs/*`: one level only.
    ["docs/*  docs@example.com", "docs/getting-started.md", ["docs@example.com"]],
    ["docs/*  docs@example.com", "docs/build-app/troubleshooting.md", undefined],
    // `apps/`: an apps directory anywhere.
    ["apps/ @octocat", "apps/web/index.ts", ["@octocat"]],
    ["apps/ @octocat", "services/apps/web/index.ts", ["@octocat"]],
    ["apps/ @octocat", "apps", undefined],
    // `/docs/`: the root docs directory and everything beneath it.
    ["/docs/ @doctocat", "docs/build-app/troubleshooting.md", ["@doctocat"]],
    ["/docs/ @doctocat", "src/docs/readme.md", undefined],
    // `/scripts/`: several owners, any of whom may approve.
    ["/scripts/ @doctocat @octocat", "scripts/deploy.sh", ["@doctocat", "@octocat"]],
    // `**/logs`: a logs directory at any depth.
    ["**/logs @octocat", "build/logs/a.log", ["@octocat"]],
    ["**/logs @octocat", "scripts/logs/a.log", ["@octocat"]],
    ["**/logs @octocat", "deeply/nested/logs/a.log", ["@octocat"]],
    ["**/logs @octocat", "logs/a.log", ["@octocat"]],
    ["**/logs @octocat", "build/logsx/a.log", undefined],
    // `/apps/github` without owners un-owns that subdirectory only.
    ["/apps/ @octocat\n/apps/github", "apps/github/index.ts", undefined],
    ["/apps/ @octocat\n/apps/github", "apps/web/index.ts", ["@octocat"]],
    // ... and with its own owner, that owner alone.
    ["/apps/ @octocat\n/apps/github @doctocat", "apps/github/index.ts", ["@doctocat"]],
    ["/apps/ @octocat\n/apps/github @doctocat", "apps/web/index.ts", ["@octocat"]],
  ] as const)("%j owns %s: %j", (text, path, expected) => {
    expect(single(text, path)).toEqual(expected);
  });
});

describe("GitHub's documented example file as a whole", () => {
  const { rules, errors } = parseCodeowners(GITHUB_EXAMPLE);

  it("parses without errors, one rule per non-comment line", () => {
    expect(errors).toEqual([]);
    expect(rules.map((r) => r.pattern)).toEqual([
      "*",
      "*.js",
      "*.go",
      "*.txt",
      "/build/logs/",
      "docs/*",
      "apps/",
      "/docs/",
      "/scripts/",
      "**/logs",
      "/apps/",
      "/apps/github",
      "/apps/",
      "/apps/github",
    ]);
    expect(rules.find((r) => r.pattern === "*.js")).toEqual({
      pattern: "*.js",
      owners: ["@js-owner"],
      line: 14,
    });
  });

  it.each([
    ["README.md", ["@global-owner1", "@global-owner2"]],
    ["lib/index.js", ["@js-owner"]],
    ["main.go", ["docs@example.com"]],
    ["notes.txt", ["@octo-org/octocats"]],
    // Later lines win: **/logs comes after /build/logs/.
    ["build/logs/today.log", ["@octocat"]],
    // /docs/ comes after docs/*, so it owns both levels.
    ["docs/getting-started.md", ["@doctocat"]],
    ["docs/build-app/troubleshooting.md", ["@doctocat"]],
    ["scripts/deploy.sh", ["@doctocat", "@octocat"]],
    ["scripts/logs/run.log", ["@octocat"]],
    ["deeply/nested/logs/x.log", ["@octocat"]],
    ["apps/github/index.ts", ["@doctocat"]],
    ["apps/web/index.ts", ["@octocat"]],
    ["services/apps/api.ts", ["@octocat"]],
    // Paths are case-sensitive: `/Docs/` is not `/docs/`; only the global owners match.
    ["Docs/readme.md", ["@global-owner1", "@global-owner2"]],
  ] as const)("%s is owned by %j", (path, expected) => {
    expect(ownersOf(rules, path)).toEqual(expected);
  });
});

describe("`**` alone matches every path, as in gitignore", () => {
  // GitHub: CODEOWNERS "follows most of the same rules used in gitignore files"; gitignore: "A
  // leading `**` followed by a slash means match in all directories" and a trailing "/**" matches
  // everything inside. `**` on its own therefore matches every path, at any depth.
  it.each([["** @a"], ["**/ @a"], ["/** @a"], ["**/** @a"]])("%j owns every path", (text) => {
    for (const path of ["README.md", "records/x.yaml", "a/b/c/d.txt"])
      expect(single(text, path)).toEqual(["@a"]);
  });

  it("an ownerless last `**` line leaves everything without owners, so no earlier owner counts", () => {
    // As GitHub's `/apps/github` example: a pattern with no owners un-owns what it matches.
    const text = "* @global\n/records/ @security\n**\n";
    expect(single(text, "records/x.yaml")).toBeUndefined();
    expect(single(text, "README.md")).toBeUndefined();
    expect(single(`${text}/records/ @security\n`, "records/x.yaml")).toEqual(["@security"]);
  });
});

describe("escaped brackets are literal brackets", () => {
  // GitHub skips `[ ]` character ranges and asks for `\[` and `\]` (its error: "both `[` and `]`
  // must be escaped with a `\`"); an escaped bracket names the bracket itself.
  it.each([
    ["/pages/\\[taskId\\]/index.tsx @a", "pages/[taskId]/index.tsx", ["@a"]],
    ["/pages/\\[taskId\\]/ @a", "pages/[taskId]/edit/page.tsx", ["@a"]],
    ["/pages/\\[taskId\\]/index.tsx @a", "pages/t/index.tsx", undefined],
    ["/pages/\\[taskId\\]/index.tsx @a", "pages/taskId/index.tsx", undefined],
    ["nameWith\\[brackets\\] @a", "deep/nameWith[brackets]", ["@a"]],
    ["file\\[?\\].txt @a", "file[1].txt", ["@a"]],
  ] as const)("%j owns %s: %j", (text, path, expected) => {
    expect(single(text, path)).toEqual(expected);
  });

  it("an unescaped bracket is a skipped line, not a character range", () => {
    expect(single("* @global\n/pages/[taskId]/index.tsx @a\n", "pages/[taskId]/index.tsx")).toEqual(
      ["@global"],
    );
    expect(single("* @global\n*.[ch] @c\n", "main.c")).toEqual(["@global"]);
  });
});

describe("readings GitHub does not document (docs/codeowners.md says why)", () => {
  it.each([
    // A wildcard last segment of an anchored pattern does not reach into a directory it matches.
    ["/f* @a", "foo", ["@a"]],
    ["/f* @a", "foo/bar", undefined],
    ["/f* @a", "foo/bar/baz", undefined],
    ["* @global\n/f*\n", "foo/bar", ["@global"]],
    // `/` after a trailing `**` adds nothing: `foo/**/` owns what `foo/**` owns.
    ["foo/**/ @a", "foo/bar", ["@a"]],
    ["foo/**/ @a", "foo/bar/baz", ["@a"]],
    ["foo/**/ @a", "foo", undefined],
    ["* @global\nfoo/**/\n", "foo/bar", undefined],
    // Whitespace before the pattern is not part of it.
    ["* @global\n  records/ @security\n", "records/x.yaml", ["@security"]],
    ["* @global\n\trecords/\n", "records/x.yaml", undefined],
  ] as const)("%j owns %s: %j", (text, path, expected) => {
    expect(single(text, path)).toEqual(expected);
  });
});

describe("pattern details", () => {
  it.each([
    ["docs/** @a", "docs/x/y/z.md", ["@a"]],
    ["docs/** @a", "docs", undefined],
    ["a/**/b @a", "a/b/file", ["@a"]],
    ["a/**/b @a", "a/x/y/b/file", ["@a"]],
    ["*.md @a", "deep/dir/readme.md", ["@a"]],
    ["/*.md @a", "readme.md", ["@a"]],
    ["/*.md @a", "docs/readme.md", undefined],
    ["logs @a", "x/logs/y.log", ["@a"]],
    ["file?.txt @a", "file1.txt", ["@a"]],
    ["file?.txt @a", "file10.txt", undefined],
    ["clusters/prod/ @a", "clusters/prod/csr.yaml", ["@a"]],
    ["clusters/prod/ @a", "clusters/prod-eu/csr.yaml", undefined],
    ["my\\ file.txt @a", "my file.txt", ["@a"]],
    ["* @a\r\n*.md @b\r\n", "x.md", ["@b"]],
  ] as const)("%j owns %s: %j", (text, path, expected) => {
    expect(single(text, path)).toEqual(expected);
  });

  it("a leading slash on the queried path is ignored", () => {
    expect(single("/docs/ @a", "/docs/x.md")).toEqual(["@a"]);
  });

  it("no file, or no matching line, means no owners", () => {
    expect(ownersOf([], "a.txt")).toBeUndefined();
    expect(single("*.md @a", "a.txt")).toBeUndefined();
  });
});

describe("syntax errors are reported like GitHub's codeowners/errors API and the line is skipped", () => {
  it.each([
    ["!secret.txt @a", "Invalid pattern", 1],
    ["secret[0-9].txt @a", "Invalid pattern", 7],
    ["secret0-9].txt @a", "Invalid pattern", 10],
    ["pages/\\[taskId].tsx @a", "Invalid pattern", 15],
    ["\\#notes.txt @a", "Invalid pattern", 1],
    ["***/*.rb @monalisa", "Invalid pattern", 1],
    ["/ @a", "Invalid pattern", 1],
    ["*.txt docs@", "Invalid owner", 7],
    ["*.txt @-bad", "Invalid owner", 7],
    ["*.txt @org/", "Invalid owner", 7],
    ["*.txt owner", "Invalid owner", 7],
  ] as const)("%j: %s at column %d", (line, kind, column) => {
    const { rules, errors } = parseCodeowners(`* @fallback\n${line}\n`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 2, column, kind, source: line });
    // The broken line is skipped: the earlier rule still decides.
    expect(rules.map((r) => r.line)).toEqual([1]);
  });

  it("renders GitHub's message layout, with its suggestion", () => {
    const [error] = parseCodeowners("# x\n\n***/*.rb @monalisa\n").errors;
    expect(error).toEqual({
      line: 3,
      column: 1,
      kind: "Invalid pattern",
      source: "***/*.rb @monalisa",
      suggestion: "Did you mean `**/*.rb`?",
      message: "Invalid pattern on line 3: Did you mean `**/*.rb`?\n\n  ***/*.rb @monalisa\n  ^",
    });
    const [owner] = parseCodeowners("* @a\n\n\n\n\n\n*.txt docs@\n").errors;
    expect(owner?.message).toBe("Invalid owner on line 7:\n\n  *.txt docs@\n        ^");
    expect(owner?.suggestion).toBeUndefined();
  });

  it("an unescaped bracket is reported in GitHub's words; an escaped one is no error", () => {
    const [error] = parseCodeowners("pages/s/[org]/index.tsx @a\n").errors;
    expect(error?.message).toBe(
      "Invalid pattern on line 1: both `[` and `]` must be escaped with a `\\`\n\n  pages/s/[org]/index.tsx @a\n          ^",
    );
    expect(parseCodeowners("pages/s/\\[org\\]/index.tsx @a\n").errors).toEqual([]);
  });

  it("reports unknown owners when told which owners exist", () => {
    const text = "* @alice @ghost\n*.md @org/writers @org/nobody docs@example.com\n";
    const known = new Set(["alice", "org/writers"]);
    const errors = unknownOwnerErrors(text, (owner) => {
      if (owner.kind === "user") return known.has(owner.login);
      if (owner.kind === "team") return known.has(`${owner.org}/${owner.slug}`);
      return true;
    });
    expect(errors.map((e) => [e.line, e.column, e.kind])).toEqual([
      [1, 10, "Unknown owner"],
      [2, 19, "Unknown owner"],
    ]);
  });

  it("a file of 3 MB or more is not loaded: nothing is owned", () => {
    const big = `* @a\n${"#".repeat(3 * 1024 * 1024)}\n`;
    const { rules, errors } = parseCodeowners(big);
    expect(rules).toEqual([]);
    expect(errors[0]?.kind).toBe("File too large");
  });
});

describe("owners", () => {
  it.each([
    ["@octocat", { kind: "user", login: "octocat" }],
    ["@octo-org/octocats", { kind: "team", org: "octo-org", slug: "octocats" }],
    ["@org/team_name.v2", { kind: "team", org: "org", slug: "team_name.v2" }],
    ["docs@example.com", { kind: "email", address: "docs@example.com" }],
    ["octocat", undefined],
    ["@", undefined],
    ["@-octocat", undefined],
    ["@a/b/c", undefined],
    ["docs@", undefined],
  ] as const)("%s -> %j", (token, expected) => {
    expect(parseOwner(token)).toEqual(expected);
  });
});

describe("which CODEOWNERS file GitHub uses", () => {
  const files = (present: Record<string, string>) => (path: string) => present[path];

  it("searches .github/, then the root, then docs/", () => {
    expect(CODEOWNERS_PATHS).toEqual([".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"]);
    expect(findCodeowners(files({ "docs/CODEOWNERS": "d", CODEOWNERS: "r" }))).toEqual({
      path: "CODEOWNERS",
      text: "r",
    });
    expect(
      findCodeowners(files({ "docs/CODEOWNERS": "d", CODEOWNERS: "r", ".github/CODEOWNERS": "g" })),
    ).toEqual({ path: ".github/CODEOWNERS", text: "g" });
    expect(findCodeowners(files({ "docs/CODEOWNERS": "d" }))).toEqual({
      path: "docs/CODEOWNERS",
      text: "d",
    });
  });

  it("the first file found wins even when it is empty", () => {
    expect(findCodeowners(files({ ".github/CODEOWNERS": "", CODEOWNERS: "* @a" }))).toEqual({
      path: ".github/CODEOWNERS",
      text: "",
    });
  });

  it("no file at all: undefined", () => {
    expect(findCodeowners(files({}))).toBeUndefined();
  });
});
