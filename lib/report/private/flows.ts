/**
 * The rows of the reach reports, walked one at a time in their printed order instead of built
 * as one list: the all-pairs matrix is read once, and each pair is a lookup in it, so memory
 * stays that of the analysis however many pairs are printed.
 */
import type { Analysis } from '../../analysis/analysis';
import { Endpoint, ExternalEndpoint, WorkloadEndpoint } from '../../analysis/endpoint';
import { compareStrings } from '../../model/order';
import { Reach } from '../../model/reach';

/** One ordered pair of endpoints and what is allowed between them. */
export interface FlowRow {
  readonly from: Endpoint;
  readonly to: Endpoint;
  /** `Analysis.nameOf(from)`. */
  readonly fromName: string;
  /** `Analysis.nameOf(to)`. */
  readonly toName: string;
  readonly reach: Reach;
}

/**
 * Workloads of one namespace that no policy tells apart: every pair of pods with them is
 * treated alike, so the group's flows say everything about its workloads' flows.
 */
export interface WorkloadGroup {
  /** `ns/name` of its only workload, or `ns/first (+N)` with N more (names sorted as byte strings). */
  readonly name: string;
  /** The names of its workloads, sorted. */
  readonly workloads: readonly string[];
}

/** What is allowed from one group (or external range) to another, and for how many ordered pairs of their members. */
export interface GroupFlow {
  /** The source group's name, or the range. */
  readonly from: string;
  /** The destination group's name, or the range. */
  readonly to: string;
  readonly reach: Reach;
  /** The ordered pairs of distinct endpoints it stands for. */
  readonly pairs: number;
}

/** A group, or an external range, as an end of group flows. */
interface GroupEnd {
  readonly name: string;
  /** The class of a group; the range's index for an external end. */
  readonly index: number;
  /** Workloads in the group; 0 for a range. */
  readonly size: number;
  readonly namespace?: string;
}

/** An endpoint with its name, and its class for a workload. */
interface Named {
  readonly e: Endpoint;
  readonly name: string;
  /** The class of a workload; the range's index for an external end. */
  readonly index: number;
  readonly workload: boolean;
}

/**
 * Walks the pairs of an analysis in the order of the reports (by source name, then destination
 * name, as byte strings), reading the matrix once.
 */
export class FlowWalker {
  private readonly sources: readonly Named[];
  private readonly destinations: readonly Named[];
  private readonly workloads: readonly Named[];
  private readonly matrix: ReturnType<Analysis['matrix']>;
  private readonly shared = new Map<Reach, Reach>();
  private readonly toExternal = new Map<number, Reach[]>();
  private readonly fromExternal = new Map<number, Reach[]>();
  private grouped?: ReadonlyArray<GroupEnd & { readonly group: WorkloadGroup }>;

  /** @param analysis the analysis whose pairs are walked; its matrix is computed here, once. */
  public constructor(public readonly analysis: Analysis) {
    this.matrix = analysis.matrix();
    const classIndex = new Map<object, number>();
    for (const c of analysis.classes) for (const w of c.workloads) classIndex.set(w, c.index);
    const workloads = analysis.workloads.map((workload) => {
      const e: WorkloadEndpoint = { type: 'workload', workload };
      return { e, name: analysis.nameOf(e), index: classIndex.get(workload) ?? analysis.classOfWorkload(workload).index, workload: true };
    });
    const ranges = (list: Analysis['externalSources']): Named[] =>
      list.map((range, index) => {
        const e: ExternalEndpoint = { type: 'external', range };
        return { e, name: analysis.nameOf(e), index, workload: false };
      });
    const byName = (list: Named[]) => list.sort((a, b) => compareStrings(a.name, b.name));
    this.workloads = byName([...workloads]);
    // workloads before ranges of the same name, as the connections of the analysis list them
    this.sources = byName([...workloads, ...ranges(analysis.externalSources)]);
    this.destinations = byName([...workloads, ...ranges(analysis.externalDestinations)]);
  }

  /**
   * Every ordered pair with something allowed or depending (workload to workload, never a
   * workload to itself; external source to workload; workload to external destination): what
   * `Analysis.connections()` lists, sorted by source then destination name.
   */
  public *connections(): Generator<FlowRow> {
    for (const from of this.sources) {
      for (const to of this.destinations) {
        const reach = this.pairReach(from, to);
        if (reach && !reach.isEmpty) yield { from: from.e, to: to.e, fromName: from.name, toName: to.name, reach };
      }
    }
  }

  /** Every ordered pair of distinct workloads, sorted by source then destination name, with what is allowed between them. */
  public *workloadPairs(): Generator<FlowRow> {
    for (const from of this.workloads) {
      for (const to of this.workloads) {
        if (from.e === to.e) continue;
        yield { from: from.e, to: to.e, fromName: from.name, toName: to.name, reach: this.workloadReach(from, to) };
      }
    }
  }

  /** What class `from` may send to the external destination range `y`. */
  public classToExternal(from: number, y: number): Reach {
    let row = this.toExternal.get(from);
    if (!row) this.toExternal.set(from, (row = []));
    return (row[y] ??= this.analysis.fromClassToExternal(from, y));
  }

  /** `reach.forSharedNamespace()`, computed once per distinct answer. */
  public forSharedNamespace(reach: Reach): Reach {
    if (reach.isDefinite) return reach;
    let out = this.shared.get(reach);
    if (!out) this.shared.set(reach, (out = reach.forSharedNamespace()));
    return out;
  }

  /** The groups of workloads, sorted by name. */
  public groups(): readonly WorkloadGroup[] {
    return this.groupEnds().map((g) => g.group);
  }

  /**
   * Every ordered pair of groups and external ranges with something allowed or depending,
   * sorted by source then destination name; a group to itself stands for its pairs of distinct
   * workloads. The sum of `pairs` is the number of rows of `connections()`.
   */
  public *groupConnections(): Generator<GroupFlow> {
    const groups = this.groupEnds();
    const byName = (a: GroupEnd, b: GroupEnd) => compareStrings(a.name, b.name);
    const ranges = (list: Analysis['externalSources']): GroupEnd[] =>
      list.map((range, index) => ({ name: this.analysis.nameOf({ type: 'external', range }), index, size: 0 }));
    const sources = [...groups, ...ranges(this.analysis.externalSources)].sort(byName);
    const destinations = [...groups, ...ranges(this.analysis.externalDestinations)].sort(byName);
    for (const from of sources) {
      for (const to of destinations) {
        const flow = this.groupFlow(from, to);
        if (flow && flow.pairs > 0 && !flow.reach.isEmpty) yield flow;
      }
    }
  }

  /**
   * Every ordered pair of groups with at least one pair of distinct workloads (a group to itself
   * when it has two or more), sorted by source then destination name, with what is allowed.
   */
  public *groupPairs(): Generator<GroupFlow> {
    const groups = this.groupEnds();
    for (const from of groups) {
      for (const to of groups) {
        const flow = this.groupFlow(from, to);
        if (flow && flow.pairs > 0) yield flow;
      }
    }
  }

  private groupFlow(from: GroupEnd, to: GroupEnd): GroupFlow | undefined {
    if (from.size > 0 && to.size > 0) {
      let reach = this.matrix.reach(from.index, to.index);
      if (from.namespace === to.namespace) reach = this.forSharedNamespace(reach);
      return { from: from.name, to: to.name, reach, pairs: from.size * to.size - (from === to ? from.size : 0) };
    }
    if (from.size > 0) return { from: from.name, to: to.name, reach: this.classToExternal(from.index, to.index), pairs: from.size };
    if (to.size > 0) return { from: from.name, to: to.name, reach: this.externalToClass(from.index, to.index), pairs: to.size };
    return undefined;
  }

  private groupEnds(): ReadonlyArray<GroupEnd & { readonly group: WorkloadGroup }> {
    if (this.grouped) return this.grouped;
    const members = new Map<string, Named[]>();
    for (const w of this.workloads) {
      const key = `${w.index}\u0000${(w.e as WorkloadEndpoint).workload.namespace}`;
      const list = members.get(key);
      if (list) list.push(w);
      else members.set(key, [w]);
    }
    this.grouped = [...members.values()]
      .map((ws) => {
        const name = ws.length === 1 ? ws[0].name : `${ws[0].name} (+${ws.length - 1})`;
        const group: WorkloadGroup = { name, workloads: ws.map((w) => w.name) };
        return { name, index: ws[0].index, size: ws.length, namespace: (ws[0].e as WorkloadEndpoint).workload.namespace, group };
      })
      .sort((a, b) => compareStrings(a.name, b.name));
    return this.grouped;
  }

  private workloadReach(from: Named, to: Named): Reach {
    const reach = this.matrix.reach(from.index, to.index);
    return sameNamespace(from.e, to.e) ? this.forSharedNamespace(reach) : reach;
  }

  private pairReach(from: Named, to: Named): Reach | undefined {
    if (from.workload && to.workload) return from.e === to.e ? undefined : this.workloadReach(from, to);
    if (from.workload) return this.classToExternal(from.index, to.index);
    if (to.workload) return this.externalToClass(from.index, to.index);
    return undefined;
  }

  private externalToClass(x: number, to: number): Reach {
    let row = this.fromExternal.get(x);
    if (!row) this.fromExternal.set(x, (row = []));
    return (row[to] ??= this.analysis.fromExternalToClass(x, to));
  }
}

function sameNamespace(a: Endpoint, b: Endpoint): boolean {
  return a.type === 'workload' && b.type === 'workload' && a.workload.namespace === b.workload.namespace;
}
