/** Identifiers of the diagram's boxes, shared by the drawing of every pod group and the folded one. */

/**
 * Hands out identifiers made of letters, digits and `_` (at most 64 of them, plus a number
 * where two would be the same), each once, in constant time per identifier.
 */
export class SafeIds {
  private readonly used = new Set<string>();
  private readonly next = new Map<string, number>();

  public take(wanted: string): string {
    const base =
      wanted
        .slice(0, 256)
        .replace(/[^A-Za-z0-9]+/g, '_')
        .slice(0, 64)
        .replace(/_+$/, '') || 'n';
    let id = base;
    for (let i = this.next.get(base) ?? 2; this.used.has(id); i++) {
      id = `${base}_${i}`;
      this.next.set(base, i + 1);
    }
    this.used.add(id);
    return id;
  }
}

/** A count with thousands separated by commas (`2,000`), the same on every machine. */
export function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `1 namespace`, `2 namespaces`, with the count as `count` writes it. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${count(n)} ${n === 1 ? word : many}`;
}
