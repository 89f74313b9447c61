/**
 * The grouped form of a connectivity diff, for changes that touch many pairs of workloads:
 * workloads of one namespace whose changed flows are the same (the same change, to and from the
 * same other ends, with the same before and after) are one group, and each row of the report
 * stands for every pair of workloads under it, with their number. Workloads that no policy of
 * either side tells apart always are; so are workloads the policies tell apart only in flows that
 * did not change.
 */
import type { ConnectivityDiff, DiffEndpoint, FlowChange } from '../../analysis/diff';
import { compareStrings } from '../../model/order';
import { oneOf, wholeNumber } from '../private/options';

/**
 * How much the diff lists: `workloads`, every changed flow between two workloads (or a workload
 * and external addresses); `groups`, the changed flows between groups of workloads with the same
 * changes, each with the number of pairs it stands for; `auto`, groups when there would be more
 * than `groupAbove` rows and fewer rows grouped.
 */
export type DiffDetail = 'auto' | 'groups' | 'workloads';

/** The levels of `DiffDetail`, in the order the CLI lists them. */
export const DIFF_DETAILS: readonly DiffDetail[] = ['auto', 'groups', 'workloads'];

/** The rows above which `detail: 'auto'` groups a diff, as `netpol reach` does. */
export const DIFF_GROUP_ABOVE = 10_000;

/** Options of the grouped diff. */
export interface DiffDetailOptions {
  /** @default 'auto' */
  readonly detail?: DiffDetail;
  /** With `detail: 'auto'`, the number of changed flows above which the diff is grouped. @default DIFF_GROUP_ABOVE */
  readonly groupAbove?: number;
}

/** A group of workloads of one namespace with the same changes. */
export interface DiffGroup {
  /** `ns/first (+2)`: the first workload's name and how many more; a workload alone keeps its name. */
  readonly name: string;
  /** The names of its workloads (`ns/name`), sorted. */
  readonly workloads: readonly string[];
}

/** A changed flow between groups: what changed for each of `pairs` pairs of their workloads. */
export interface GroupFlowChange extends FlowChange {
  /** How many changed flows of the full diff the row stands for. */
  readonly pairs: number;
}

/** The grouped diff. */
export interface GroupedDiff {
  /** The rows, in the order of their first flow in the diff; `from` and `to` are named after their groups. */
  readonly flows: readonly GroupFlowChange[];
  /** The groups of two workloads or more, sorted by name. */
  readonly groups: readonly DiffGroup[];
  /** `12000 changed flows shown as 40 between 30 workload groups and address ranges; --detail workloads lists every flow`. */
  readonly line: string;
}

/** Throws for an unknown detail or a threshold that is no count; the issue paths name the option. */
export function checkDiffDetail(options: DiffDetailOptions): void {
  oneOf('diff.detail', 'detail', 'detail', options.detail ?? 'auto', DIFF_DETAILS);
  wholeNumber('diff.detail', 'groupAbove', 'the rows above which a diff is grouped', options.groupAbove ?? DIFF_GROUP_ABOVE);
}

/**
 * The grouped diff when the options ask for one (`groups`, or `auto` past `groupAbove` changed
 * flows when grouping leaves fewer rows), otherwise undefined.
 */
export function groupDiff(diff: ConnectivityDiff, options: DiffDetailOptions = {}): GroupedDiff | undefined {
  checkDiffDetail(options);
  const detail = options.detail ?? 'auto';
  if (detail === 'workloads') return undefined;
  if (detail === 'auto' && diff.flows.length <= (options.groupAbove ?? DIFF_GROUP_ABOVE)) return undefined;
  // the CLI asks for the line on stderr, then the output asks again: the grouping is made once
  let made = grouped.get(diff);
  if (made === undefined) grouped.set(diff, (made = new Map()));
  if (!made.has(detail)) made.set(detail, grouping(diff, detail));
  return made.get(detail);
}

/** The groupings made of each diff, by detail (past the threshold it plays no part; a diff is never changed once made). */
const grouped = new WeakMap<ConnectivityDiff, Map<DiffDetail, GroupedDiff | undefined>>();

function grouping(diff: ConnectivityDiff, detail: DiffDetail): GroupedDiff | undefined {
  const groupOf = groupsOf(diff.flows);
  const rows = new Map<string, { flow: FlowChange; pairs: number }>();
  for (const f of diff.flows) {
    const key = `${f.change}\u0000${groupOf.get(f.from.name)?.name ?? f.from.name}\u0000${groupOf.get(f.to.name)?.name ?? f.to.name}\u0000${rowKey(f)}`;
    const row = rows.get(key);
    if (row) row.pairs++;
    else rows.set(key, { flow: f, pairs: 1 });
  }
  if (detail === 'auto' && rows.size >= diff.flows.length) return undefined;
  const end = (e: DiffEndpoint): DiffEndpoint => {
    const g = groupOf.get(e.name);
    return g && e.type === 'workload' ? { ...e, name: g.name } : e;
  };
  const flows = [...rows.values()].map(({ flow, pairs }) => ({ ...flow, from: end(flow.from), to: end(flow.to), pairs }));
  const groups = [...new Set(groupOf.values())].sort((a, b) => compareStrings(a.name, b.name));
  const n = diff.flows.length;
  const ends = new Set<string>();
  for (const f of flows) {
    if (f.from.type === 'workload') ends.add(f.from.name);
    if (f.to.type === 'workload') ends.add(f.to.name);
  }
  const line =
    `${n} changed ${n === 1 ? 'flow' : 'flows'} shown as ${flows.length} between ${ends.size} workload ` +
    `${ends.size === 1 ? 'group' : 'groups'} and address ranges; --detail workloads lists every flow`;
  return { flows, groups, line };
}

/** What a flow's change is, whatever its ends. */
function rowKey(f: FlowChange): string {
  return `${f.change}|${f.beforeReach.key}|${f.afterReach.key}`;
}

/**
 * Whether the changed flows among a group's workloads are none, or the same one for every
 * ordered pair (each to itself included), read from each member's own flows (`outs`, keyed by
 * the other end) without a walk over every pair.
 */
function alikeInside(outs: readonly ReadonlyMap<string, string>[], inside: ReadonlySet<string>): boolean {
  const between = new Set<string>();
  let count = 0;
  for (const out of outs) {
    for (const [other, key] of out) {
      if (!inside.has(other)) continue;
      count++;
      between.add(key);
    }
  }
  return count === 0 || (count === outs.length * outs.length && between.size === 1);
}

/** The names that share a key with another name, by key, in order of first appearance. */
function byKey(keyOf: (name: string) => string, among: readonly string[]): string[][] {
  const m = new Map<string, string[]>();
  for (const n of among) {
    const k = keyOf(n);
    const list = m.get(k);
    if (list) list.push(n);
    else m.set(k, [n]);
  }
  return [...m.values()].filter((l) => l.length > 1);
}

/**
 * The groups of two workloads or more, by the names of their workloads: workloads of one namespace
 * with the same changed flows to and from every other end, and either no changed flow among them
 * (each to itself included) or the same change for every pair of them, so that a row between two
 * groups, or of a group to itself, stands for every pair under it.
 */
function groupsOf(flows: readonly FlowChange[]): Map<string, DiffGroup> {
  // each workload's changed flows: `o|to|change` out, `i|from|change` in
  const entries = new Map<string, { ns: string; out: Map<string, string>; in: Map<string, string> }>();
  const at = (e: DiffEndpoint) => {
    if (e.type !== 'workload') return undefined;
    let x = entries.get(e.name);
    if (!x) entries.set(e.name, (x = { ns: e.workload.namespace, out: new Map(), in: new Map() }));
    return x;
  };
  for (const f of flows) {
    at(f.from)?.out.set(f.to.name, rowKey(f));
    at(f.to)?.in.set(f.from.name, rowKey(f));
  }
  const signature = (name: string, skip: (other: string) => boolean, star: (other: string) => boolean) => {
    const x = entries.get(name)!;
    const parts: string[] = [];
    for (const [o, k] of x.out) if (!skip(o)) parts.push(`o|${star(o) ? '*' : o}|${k}`);
    for (const [o, k] of x.in) if (!skip(o)) parts.push(`i|${star(o) ? '*' : o}|${k}`);
    return `${x.ns}\u0000${parts.sort(compareStrings).join('\u0000')}`;
  };
  const names = [...entries.keys()].sort(compareStrings);
  // a group is one when every other end sees its workloads alike, and its workloads are all
  // alike among themselves: no changed flow between any two (each to itself included), or the same for every pair
  const alike = (members: readonly string[]) => {
    const inside = new Set(members);
    if (
      new Set(
        members.map((n) =>
          signature(
            n,
            (o) => inside.has(o),
            () => false,
          ),
        ),
      ).size !== 1
    )
      return false;
    return alikeInside(
      members.map((n) => entries.get(n)!.out),
      inside,
    );
  };
  const grouped: string[][] = [];
  const taken = new Set<string>();
  // first by the same changed flows with every end; then treating the workloads of one namespace alike, checked
  const sameNamespace = (n: string) => (o: string) => entries.get(o)?.ns === entries.get(n)!.ns;
  for (const keyOf of [
    (n: string) =>
      signature(
        n,
        () => false,
        () => false,
      ),
    (n: string) => signature(n, () => false, sameNamespace(n)),
  ]) {
    for (const candidates of byKey(
      keyOf,
      names.filter((n) => !taken.has(n)),
    )) {
      if (!alike(candidates)) continue;
      grouped.push(candidates);
      for (const n of candidates) taken.add(n);
    }
  }
  const groupOf = new Map<string, DiffGroup>();
  for (const members of grouped) {
    const group: DiffGroup = { name: `${members[0]} (+${members.length - 1})`, workloads: members };
    for (const n of members) groupOf.set(n, group);
  }
  return groupOf;
}
