import { GitHubHttpError } from "../http-error.ts";

/** Slices a list by `per_page` (default 30, max 100) and `page`, with GitHub's `link` header. */
export function paginate<T>(
  items: readonly T[],
  query: URLSearchParams,
  url: URL,
): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(100, Number(query.get("per_page") ?? "30"));
  const page = Number(query.get("page") ?? "1");
  if (!Number.isInteger(perPage) || perPage < 1 || !Number.isInteger(page) || page < 1) {
    throw new GitHubHttpError(422, "Validation Failed");
  }
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const linkTo = (p: number): string => {
    const u = new URL(url);
    u.searchParams.set("per_page", String(perPage));
    u.searchParams.set("page", String(p));
    return u.toString();
  };
  const links: string[] = [];
  if (page < last) links.push(`<${linkTo(page + 1)}>; rel="next"`, `<${linkTo(last)}>; rel="last"`);
  if (page > 1) links.push(`<${linkTo(1)}>; rel="first"`, `<${linkTo(page - 1)}>; rel="prev"`);
  return { page: slice, headers: links.length > 0 ? { link: links.join(", ") } : {} };
}
