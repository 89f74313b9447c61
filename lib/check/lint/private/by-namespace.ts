/** Grouping by namespace, for rules that look at the pods or policies of one namespace at a time. */

/** The items by their namespace, each list in the items' order. */
export function byNamespace<T extends { readonly namespace: string }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(item.namespace);
    if (list) list.push(item);
    else out.set(item.namespace, [item]);
  }
  return out;
}
