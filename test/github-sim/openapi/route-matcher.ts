/**
 * Matches a request path against OpenAPI path templates the way GitHub routes them: literal
 * segments beat templated ones, and multi-segment parameters (`{ref}` in git refs, contents
 * `{path}`, `{branch}`; marked `x-multi-segment` in GitHub's description) may span slashes.
 */

export type Segment =
  | { readonly kind: "literal"; readonly value: string }
  | { readonly kind: "param"; readonly name: string; readonly multi: boolean };

export interface Route<T> {
  readonly method: string;
  readonly template: string;
  readonly segments: readonly Segment[];
  readonly value: T;
}

export function parseTemplate(template: string, multiSegment: ReadonlySet<string>): Segment[] {
  return template
    .split("/")
    .slice(1)
    .map((part): Segment => {
      const param = /^\{([^}]+)\}$/.exec(part);
      if (param?.[1] === undefined) return { kind: "literal", value: part };
      return { kind: "param", name: param[1], multi: multiSegment.has(param[1]) };
    });
}

/** Per input segment: 0 literal, 1 single parameter, 2 multi-segment parameter. Lower is better. */
type Rank = number[];

interface Candidate {
  readonly params: Record<string, string>;
  readonly rank: Rank;
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function matchFrom(
  segments: readonly Segment[],
  si: number,
  input: readonly string[],
  ii: number,
  params: Record<string, string>,
  rank: Rank,
  out: Candidate[],
): void {
  if (si === segments.length) {
    if (ii === input.length) out.push({ params: { ...params }, rank: [...rank] });
    return;
  }
  const segment = segments[si];
  if (segment === undefined || ii >= input.length) return;
  if (segment.kind === "literal") {
    if (input[ii] !== segment.value) return;
    matchFrom(segments, si + 1, input, ii + 1, params, [...rank, 0], out);
    return;
  }
  // A multi-segment parameter takes one or more segments, leaving enough for the rest.
  const maxTake = segment.multi ? input.length - ii - (segments.length - si - 1) : 1;
  for (let take = 1; take <= maxTake; take++) {
    const parts = input.slice(ii, ii + take).map(decode);
    // Only the first segment must be non-empty: `matching-refs/heads/csr/` keeps its slash.
    if (parts.some((part) => part === undefined) || parts[0] === "") return;
    const value = parts.join("/");
    const weight = segment.multi ? 2 : 1;
    matchFrom(
      segments,
      si + 1,
      input,
      ii + take,
      { ...params, [segment.name]: value },
      [...rank, ...Array<number>(take).fill(weight)],
      out,
    );
  }
}

function compareRank(a: Rank, b: Rank): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** The best route for `method pathname`, preferring literal segments left to right. */
export function matchRoute<T>(
  routes: readonly Route<T>[],
  method: string,
  pathname: string,
): { route: Route<T>; params: Record<string, string> } | undefined {
  if (!pathname.startsWith("/")) return undefined;
  const input = pathname.split("/").slice(1);
  const wantedMethod = method.toUpperCase();
  let best: { route: Route<T>; params: Record<string, string>; rank: Rank } | undefined;
  for (const route of routes) {
    if (route.method !== wantedMethod) continue;
    const found: Candidate[] = [];
    matchFrom(route.segments, 0, input, 0, {}, [], found);
    for (const candidate of found)
      if (best === undefined || compareRank(candidate.rank, best.rank) < 0)
        best = { route, params: candidate.params, rank: candidate.rank };
  }
  return best === undefined ? undefined : { route: best.route, params: best.params };
}
