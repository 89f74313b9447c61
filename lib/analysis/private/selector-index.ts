/**
 * Evaluates label selectors over many label sets at once, through an inverted index
 * (key → value → set of holders), built only for the keys that selectors mention.
 */
import { LabelSelector, Labels, SelectorOperator } from '../../model/selector';
import { Bitset } from './bitset';

interface KeyIndex {
  readonly has: Bitset;
  readonly values: Map<string, Bitset>;
}

/** Label sets indexed by position; answers "which of them does this selector match". */
export class SelectorIndex {
  private readonly keys = new Map<string, KeyIndex>();
  private readonly cache = new Map<string, Bitset>();
  private readonly all: Bitset;
  private readonly none: Bitset;

  constructor(private readonly labels: readonly Labels[]) {
    this.all = Bitset.full(labels.length);
    this.none = Bitset.empty(labels.length);
  }

  /** The positions whose labels the selector matches (same result as `LabelSelector.matches`). */
  public matching(selector: LabelSelector): Bitset {
    const cacheKey = JSON.stringify(selector.toJson());
    const hit = this.cache.get(cacheKey);
    if (hit) return hit;
    let result = this.all;
    for (const [k, v] of Object.entries(selector.matchLabels)) {
      result = result.and(this.key(k).values.get(v) ?? this.none);
    }
    for (const x of selector.matchExpressions) {
      const idx = this.key(x.key);
      switch (x.operator) {
        case SelectorOperator.IN:
          result = result.and(this.anyOf(idx, x.values ?? []));
          break;
        case SelectorOperator.NOT_IN:
          result = result.and(this.anyOf(idx, x.values ?? []).not());
          break;
        case SelectorOperator.EXISTS:
          result = result.and(idx.has);
          break;
        case SelectorOperator.DOES_NOT_EXIST:
          result = result.and(idx.has.not());
          break;
      }
    }
    this.cache.set(cacheKey, result);
    return result;
  }

  private anyOf(idx: KeyIndex, values: readonly string[]): Bitset {
    let out = this.none;
    for (const v of new Set(values)) {
      const b = idx.values.get(v);
      if (b) out = out.or(b);
    }
    return out;
  }

  private key(k: string): KeyIndex {
    let idx = this.keys.get(k);
    if (idx) return idx;
    const has = Bitset.empty(this.labels.length);
    const values = new Map<string, Bitset>();
    this.labels.forEach((l, i) => {
      if (!Object.prototype.hasOwnProperty.call(l, k)) return;
      has.add(i);
      const v = l[k];
      let b = values.get(v);
      if (!b) values.set(v, (b = Bitset.empty(this.labels.length)));
      b.add(i);
    });
    idx = { has, values };
    this.keys.set(k, idx);
    return idx;
  }
}
