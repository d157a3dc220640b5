import type { Label, Repo } from "../state/model.ts";
import type { Urls } from "./urls.ts";

export function label(repo: Repo, l: Label, urls: Urls): Record<string, unknown> {
  return {
    id: l.id,
    node_id: Buffer.from(`03:Label${l.id}`).toString("base64"),
    url: `${urls.api}/repos/${repo.owner}/${repo.name}/labels/${encodeURIComponent(l.name)}`,
    name: l.name,
    description: l.description,
    color: l.color,
    default: false,
  };
}
