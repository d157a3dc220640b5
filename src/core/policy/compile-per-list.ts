/**
 * Work that depends only on the policy is done once per policy, not once per CSR: a pattern list
 * of a policy (CIDR blocks, DNS patterns, forbidden names, usages) is compiled the first time a
 * CSR is judged against it and the compiled form is kept beside the list, keyed by the list
 * itself (a WeakMap: it goes when the policy goes). A policy is never modified once loaded
 * (DEFAULT_POLICY is frozen; a loaded one is replaced, not edited), so the list's identity stands
 * for its content. Lists built per CSR (resolved templates) are not compiled this way.
 */
export function compilePerList<T>(
  compile: (list: readonly string[]) => T,
): (list: readonly string[]) => T {
  const compiled = new WeakMap<readonly string[], T>();
  return (list) => {
    if (compiled.has(list)) return compiled.get(list) as T;
    const value = compile(list);
    compiled.set(list, value);
    return value;
  };
}
