/**
 * A full list, read in pages (`limit` and `continue`), as client-go's informers list: the
 * apiserver serves each page from the same snapshot, so the pages add up to one consistent list
 * at the first page's resourceVersion, from which the watch resumes. One page of N objects is
 * in memory as JSON at a time instead of the whole list: with 10,000 CSRs, the whole list as one
 * response body was about 35 MB of JSON, parsed and deserialized at once.
 */
import {
  V1ListMeta,
  type KubernetesListObject,
  type KubernetesObject,
} from "@kubernetes/client-node";

export type ListPage<T extends KubernetesObject> = (page: {
  readonly limit: number;
  readonly continueToken?: string;
}) => Promise<KubernetesListObject<T>>;

export async function listInPages<T extends KubernetesObject>(
  listPage: ListPage<T>,
  limit: number,
): Promise<KubernetesListObject<T>> {
  const first = await listPage({ limit });
  const items = [...first.items];
  let token = first.metadata?._continue;
  while (token !== undefined && token !== "") {
    const page = await listPage({ limit, continueToken: token });
    items.push(...page.items);
    token = page.metadata?._continue;
  }
  // The watch resumes from the snapshot's version; no continue token is left to follow.
  const metadata = new V1ListMeta();
  const resourceVersion = first.metadata?.resourceVersion;
  if (resourceVersion !== undefined) metadata.resourceVersion = resourceVersion;
  return { ...first, metadata, items };
}
