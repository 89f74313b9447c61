/**
 * The partition of workloads into classes that no policy can tell apart: start with one class
 * and split it by every set a selector, a peer or an ipBlock makes (for sure or on a condition),
 * and by the number every named port takes (or whether it is unknown). Each split is a pass over
 * the set's members, so the cost is the sum of the sets' sizes, never pods × pods.
 */
import { portsKnown, resolvePort, Workload } from '../../model/cluster';
import { Protocol } from '../../model/protocol';
import { Bitset } from './bitset';

/** The classes: `classOf[i]` for workload `i`, and each class's members and first member. */
export interface Partition {
  readonly classOf: Int32Array;
  /** Workload positions per class, ascending; classes in order of their first member. */
  readonly members: readonly number[][];
  /** The first member of each class. */
  readonly representatives: readonly number[];
}

/**
 * Splits the workloads by the given sets (the full and empty set change nothing) and by the
 * number each named port resolves to on them (pods whose container ports are unknown apart from
 * those that lack the port).
 */
export function partitionWorkloads(
  workloads: readonly Workload[],
  sets: Iterable<Bitset>,
  namedPorts: Iterable<{ readonly name: string; readonly protocol: Protocol }>,
): Partition {
  const n = workloads.length;
  const cls = new Int32Array(n);
  let next = n > 0 ? 1 : 0;
  const refine = (visit: (f: (w: number) => void) => void) => {
    const remap = new Map<number, number>();
    visit((w) => {
      const old = cls[w];
      let moved = remap.get(old);
      if (moved === undefined) remap.set(old, (moved = next++));
      cls[w] = moved;
    });
  };
  for (const b of sets) refine((f) => b.forEach(f));
  for (const { name, protocol } of namedPorts) {
    const groups = new Map<number | '?', number[]>();
    workloads.forEach((w, i) => {
      const port = portsKnown(w) ? resolvePort(w, name, protocol) : '?';
      if (port === undefined) return;
      const g = groups.get(port);
      if (g) g.push(i);
      else groups.set(port, [i]);
    });
    for (const g of groups.values()) refine((f) => g.forEach(f));
  }
  // Compact class ids in order of first member.
  const compact = new Map<number, number>();
  const members: number[][] = [];
  const representatives: number[] = [];
  for (let i = 0; i < n; i++) {
    let c = compact.get(cls[i]);
    if (c === undefined) {
      compact.set(cls[i], (c = members.length));
      members.push([]);
      representatives.push(i);
    }
    cls[i] = c;
    members[c].push(i);
  }
  return { classOf: cls, members, representatives };
}
