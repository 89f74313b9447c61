/**
 * The all-pairs result of an analysis, by class (`Analysis.matrix()`): one interned answer per
 * ordered pair of classes, so that every pair of workloads is a lookup.
 */
import { ConnectionSet } from '../model/connection-set';
import { Reach } from '../model/reach';
import type { WorkloadClass } from './analysis';

/**
 * Every workload of class `from` may send to every other workload of class `to` exactly
 * `reach(from, to)`.
 */
export class ReachabilityMatrix {
  /** @internal built by `Analysis.matrix()` */
  public static create(
    classes: readonly WorkloadClass[],
    ids: Int32Array,
    sets: (id: number) => Reach,
    countExternal: (isEmpty: (id: number) => boolean) => number,
  ): ReachabilityMatrix {
    return new ReachabilityMatrix(classes, ids, sets, countExternal);
  }

  private constructor(
    /** The classes, as in `Analysis.classes`. */
    public readonly classes: readonly WorkloadClass[],
    /** Set ids, destination-major: `ids[to * classes + from]`. */
    private readonly ids: Int32Array,
    private readonly sets: (id: number) => Reach,
    private readonly countExternal: (isEmpty: (id: number) => boolean) => number,
  ) {}

  /** What is allowed from class `from` to class `to`, in three values. */
  public reach(from: number, to: number): Reach {
    return this.sets(this.ids[to * this.classes.length + from]);
  }

  /** What is allowed for sure from class `from` to class `to`. */
  public get(from: number, to: number): ConnectionSet {
    return this.reach(from, to).allowed;
  }

  /**
   * How many ordered pairs of distinct workloads, and of an external range and a workload,
   * have something allowed for sure.
   */
  public countAllowed(): { workloadPairs: number; externalPairs: number } {
    const C = this.classes.length;
    const size = Float64Array.from(this.classes, (c) => c.workloads.length);
    let top = 0;
    for (let k = 0; k < this.ids.length; k++) if (this.ids[k] > top) top = this.ids[k];
    const empty = new Uint8Array(top + 1);
    for (let id = 0; id <= top; id++) empty[id] = this.sets(id).allowed.isEmpty ? 1 : 0;
    const isEmpty = (id: number) => (id <= top ? empty[id] === 1 : this.sets(id).allowed.isEmpty);
    const ids = this.ids;
    let workloadPairs = 0;
    for (let d = 0; d < C; d++) {
      const base = d * C;
      let sources = 0;
      for (let s = 0; s < C; s++) if (empty[ids[base + s]] === 0) sources += size[s];
      if (empty[ids[base + d]] === 0) sources -= 1;
      workloadPairs += sources * size[d];
    }
    return { workloadPairs, externalPairs: this.countExternal(isEmpty) };
  }
}
