/**
 * The all-pairs result of an analysis, by class (`Analysis.matrix()`): one interned answer per
 * ordered pair of classes, so that every pair of workloads is a lookup.
 */
import { ConnectionSet } from '../model/connection-set';
import { Reach } from '../model/reach';
import type { WorkloadClass } from './analysis';

/**
 * Where a matrix reads its answers: set ids per pair of classes, the sets, and the sums it
 * counts with.
 * @internal
 */
export interface PairSource {
  /** The set id of a pair of classes. */
  readonly pair: (from: number, to: number) => number;
  /** The set with an id. */
  readonly set: (id: number) => Reach;
  /**
   * The sum of `weight[from] × weight[to]` over the ordered pairs of classes (a class with
   * itself included) whose set id passes `keep`.
   */
  readonly sumOverPairs: (weight: Float64Array, keep: (id: number) => boolean) => number;
  /** How many pairs of an external range and a workload have a set that `isEmpty` rejects. */
  readonly countExternal: (isEmpty: (id: number) => boolean) => number;
}

/**
 * Every workload of class `from` may send to every other workload of class `to` exactly
 * `reach(from, to)`.
 */
export class ReachabilityMatrix {
  /** @internal built by `Analysis.matrix()` */
  public static create(classes: readonly WorkloadClass[], source: PairSource): ReachabilityMatrix {
    return new ReachabilityMatrix(classes, source);
  }

  private constructor(
    /** The classes, as in `Analysis.classes`. */
    public readonly classes: readonly WorkloadClass[],
    private readonly source: PairSource,
  ) {}

  /** What is allowed from class `from` to class `to`, in three values. */
  public reach(from: number, to: number): Reach {
    return this.source.set(this.source.pair(from, to));
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
    const { source } = this;
    const empty = new Map<number, boolean>();
    const isEmpty = (id: number) => {
      let e = empty.get(id);
      if (e === undefined) empty.set(id, (e = source.set(id).allowed.isEmpty));
      return e;
    };
    const size = Float64Array.from(this.classes, (c) => c.workloads.length);
    let workloadPairs = source.sumOverPairs(size, (id) => !isEmpty(id));
    // A workload and itself is no pair.
    for (let c = 0; c < this.classes.length; c++) if (!isEmpty(source.pair(c, c))) workloadPairs -= size[c];
    return { workloadPairs, externalPairs: source.countExternal(isEmpty) };
  }
}
