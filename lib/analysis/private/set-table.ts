/**
 * Connection sets by number: each distinct three-valued set (`Reach`) is stored once, and
 * unions, intersections and conditional copies of numbered sets are remembered, so that the
 * same pair of sets is combined only once however many workload pairs share it.
 */
import { Condition } from '../../model/condition';
import { Reach } from '../../model/reach';

/** Interned sets with memoized union, intersection and `when`. */
export class SetTable {
  /** The id of `Reach.all()`. */
  public static readonly ALL = 0;
  /** The id of `Reach.none()`. */
  public static readonly NONE = 1;

  private readonly sets: Reach[] = [Reach.all(), Reach.none()];
  private readonly ids = new Map<string, number>([
    [Reach.all().key, SetTable.ALL],
    [Reach.none().key, SetTable.NONE],
  ]);
  private readonly unions = new PairMemo();
  private readonly intersections = new PairMemo();
  private readonly conditional = new Map<string, number>();
  private readonly conditions = new Map<string, number>();

  /** The id of a set, adding it if new. */
  public intern(set: Reach): number {
    const key = set.key;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.sets.length;
      this.sets.push(set);
      this.ids.set(key, id);
    }
    return id;
  }

  /** The set with this id. */
  public get(id: number): Reach {
    return this.sets[id];
  }

  /** How many sets are stored. */
  public get size(): number {
    return this.sets.length;
  }

  /** The id of the union of two sets. */
  public union(a: number, b: number): number {
    if (a === b || b === SetTable.NONE || a === SetTable.ALL) return a;
    if (a === SetTable.NONE || b === SetTable.ALL) return b;
    const lo = a < b ? a : b;
    const hi = a < b ? b : a;
    let id = this.unions.get(lo, hi);
    if (id < 0) {
      id = this.intern(this.sets[lo].union(this.sets[hi]));
      this.unions.set(lo, hi, id);
    }
    return id;
  }

  /** The id of the intersection of two sets. */
  public intersect(a: number, b: number): number {
    if (a === b || b === SetTable.ALL || a === SetTable.NONE) return a;
    if (a === SetTable.ALL || b === SetTable.NONE) return b;
    const lo = a < b ? a : b;
    const hi = a < b ? b : a;
    let id = this.intersections.get(lo, hi);
    if (id < 0) {
      id = this.intern(this.sets[lo].intersect(this.sets[hi]));
      this.intersections.set(lo, hi, id);
    }
    return id;
  }

  /** The id of the set allowed only if `condition` holds as well. */
  public when(id: number, condition: Condition): number {
    if (condition.isAlways || id === SetTable.NONE) return id;
    let c = this.conditions.get(condition.key);
    if (c === undefined) this.conditions.set(condition.key, (c = this.conditions.size));
    const key = `${id}|${c}`;
    let out = this.conditional.get(key);
    if (out === undefined) this.conditional.set(key, (out = this.intern(this.sets[id].when(condition))));
    return out;
  }
}

/** A hash map from a pair of ids to an id, in typed arrays (open addressing, linear probing); -1 is no entry. */
export class PairMemo {
  private keysA = new Int32Array(1024).fill(-1);
  private keysB = new Int32Array(1024);
  private values = new Int32Array(1024);
  private count = 0;

  /** The id stored for the pair, or -1. */
  public get(a: number, b: number): number {
    const mask = this.keysA.length - 1;
    let i = hash(a, b) & mask;
    for (;;) {
      const k = this.keysA[i];
      if (k === -1) return -1;
      if (k === a && this.keysB[i] === b) return this.values[i];
      i = (i + 1) & mask;
    }
  }

  /** Stores an id for the pair. */
  public set(a: number, b: number, value: number): void {
    if ((this.count + 1) * 2 > this.keysA.length) this.grow();
    this.put(a, b, value);
  }

  private put(a: number, b: number, value: number): void {
    const mask = this.keysA.length - 1;
    let i = hash(a, b) & mask;
    while (this.keysA[i] !== -1) {
      if (this.keysA[i] === a && this.keysB[i] === b) {
        this.values[i] = value;
        return;
      }
      i = (i + 1) & mask;
    }
    this.keysA[i] = a;
    this.keysB[i] = b;
    this.values[i] = value;
    this.count++;
  }

  private grow(): void {
    const { keysA, keysB, values } = this;
    this.keysA = new Int32Array(keysA.length * 2).fill(-1);
    this.keysB = new Int32Array(keysA.length * 2);
    this.values = new Int32Array(keysA.length * 2);
    this.count = 0;
    for (let i = 0; i < keysA.length; i++) if (keysA[i] !== -1) this.put(keysA[i], keysB[i], values[i]);
  }
}

function hash(a: number, b: number): number {
  return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77)) >>> 0;
}
