/**
 * What each distinct set of isolating policies lets through, as rows over classes and external
 * ranges: an egress row says what a source so isolated may send to each destination class and
 * range; an ingress row what a destination so isolated admits from each source class and range.
 * Rules are compiled once (the classes and ranges their peers match, for sure or on a condition,
 * and their port sets), and a row is filled by interval unions of interned sets.
 */
import { AddressRange } from '../../model/address-range';
import { portsKnown, resolvePort, Workload } from '../../model/cluster';
import { Condition } from '../../model/condition';
import { PeerKind } from '../../model/peer';
import { Policy } from '../../model/policy';
import { Direction, Rule } from '../../model/rule';
import { rangesInside } from '../address-range';
import { Bitset } from './bitset';
import { Partition } from './classes';
import { Selection } from './selection';
import { SetTable } from './set-table';

/** What one row holds: a set id per class and per external range of the direction's partition. */
export interface Row {
  readonly classes: Int32Array;
  readonly external: Int32Array;
}

/** The rows of both directions, and which row each class uses (-1: not isolated). */
export interface Rows {
  readonly egressRowOf: Int32Array;
  readonly ingressRowOf: Int32Array;
  readonly egressRows: readonly Row[];
  readonly ingressRows: readonly Row[];
}

interface CompiledRule {
  readonly rule: Rule;
  /** Classes some peer matches for sure, ascending. */
  readonly classes: Int32Array;
  /** Classes some peer matches only on a condition (and none for sure), with the condition. */
  readonly conditional: ReadonlyArray<{ readonly classes: Int32Array; readonly condition: Condition }>;
  /** Indices of this direction's external ranges some peer matches. */
  readonly external: Int32Array;
  /** The allowed ports when they do not depend on the destination (no named port), else -1. */
  readonly fixedPorts: number;
  /** Toward an external destination: named ports give nothing. */
  readonly extPorts: number;
  /** Per destination class, when the ports depend on it; -1 = not computed yet. */
  readonly perClass?: Int32Array;
  /** Set ids by the values the named ports take, when the ports depend on the destination. */
  readonly bySignature?: Map<string, number>;
}

/** Everything the rows are built from. */
export interface RowInput {
  readonly policies: readonly Policy[];
  readonly workloads: readonly Workload[];
  readonly selection: Selection;
  readonly partition: Partition;
  readonly subjects: readonly Bitset[];
  readonly externalSources: readonly AddressRange[];
  readonly externalDestinations: readonly AddressRange[];
  readonly table: SetTable;
}

/** Builds the rows of every distinct set of isolating policies. */
export function buildRows(input: RowInput): Rows {
  const { policies, workloads, selection, partition, table } = input;
  const C = partition.members.length;
  const reps = partition.representatives;
  const toClasses = (b: Bitset): Int32Array => {
    if (b === selection.all) return Int32Array.from({ length: C }, (_, i) => i);
    const out: number[] = [];
    for (let c = 0; c < C; c++) if (b.has(reps[c])) out.push(c);
    return Int32Array.from(out);
  };
  const expandRuns = (runs: ReadonlyArray<readonly [number, number]>): Int32Array => {
    const out: number[] = [];
    for (const [a, b] of runs) for (let x = a; x <= b; x++) out.push(x);
    return Int32Array.from(new Set(out));
  };

  const compiled = new Map<Policy, Record<Direction, CompiledRule[]>>();
  const compile = (p: Policy): Record<Direction, CompiledRule[]> => {
    let c = compiled.get(p);
    if (c) return c;
    const make = (direction: Direction): CompiledRule[] => {
      const partitionOf = direction === Direction.INGRESS ? input.externalSources : input.externalDestinations;
      const end = direction === Direction.INGRESS ? 'source' : 'destination';
      return p.rules(direction).map((rule) => {
        let sure: Bitset;
        const maybe: Array<{ set: Bitset; condition: Condition }> = [];
        const extRuns: Array<readonly [number, number]> = [];
        if (rule.anyPeer) {
          sure = selection.all;
          extRuns.push([0, partitionOf.length - 1]);
        } else {
          sure = Bitset.empty(workloads.length);
          for (const peer of rule.peers) {
            const s = selection.peer(peer, p.namespace, end);
            sure.orInPlace(s.yes);
            if (s.maybe !== selection.none) maybe.push({ set: s.maybe, condition: s.condition });
            if (peer.kind === PeerKind.IP_BLOCK) for (const run of rangesInside(partitionOf, peer.ipBlock!)) extRuns.push(run);
          }
        }
        const named = rule.hasNamedPorts;
        const fixed = table.intern(rule.portReach(undefined));
        return {
          rule,
          classes: toClasses(sure),
          conditional: maybe
            .map((m) => ({ classes: toClasses(m.set.and(sure.not())), condition: m.condition }))
            .filter((m) => m.classes.length > 0),
          external: expandRuns(extRuns),
          fixedPorts: named ? -1 : fixed,
          extPorts: fixed,
          ...(named ? { perClass: new Int32Array(C).fill(-1), bySignature: new Map<string, number>() } : {}),
        };
      });
    };
    c = { [Direction.INGRESS]: make(Direction.INGRESS), [Direction.EGRESS]: make(Direction.EGRESS) };
    compiled.set(p, c);
    return c;
  };
  const portsFor = (r: CompiledRule, dstClass: number): number => {
    if (r.fixedPorts >= 0) return r.fixedPorts;
    let id = r.perClass![dstClass];
    if (id < 0) {
      // Classes whose named ports resolve alike share one set.
      const w = workloads[reps[dstClass]];
      const known = portsKnown(w);
      const signature = r.rule.ports
        .map((port) => (typeof port.port !== 'string' ? '' : known ? (resolvePort(w, port.port, port.protocol) ?? '-') : '?'))
        .join(',');
      id = r.bySignature!.get(signature) ?? -1;
      if (id < 0) r.bySignature!.set(signature, (id = table.intern(r.rule.portReach(w))));
      r.perClass![dstClass] = id;
    }
    return id;
  };
  /** Adds the rules' conditional matches to a row over classes, with ports per class. */
  const addConditional = (row: Int32Array, rules: readonly CompiledRule[], ports: (r: CompiledRule, cls: number) => number) => {
    for (const cr of rules) {
      for (const { classes, condition } of cr.conditional) {
        for (const x of classes) row[x] = table.union(row[x], table.when(ports(cr, x), condition));
      }
    }
  };

  // Which policies isolate each class, per direction.
  const selecting: Record<Direction, Policy[][]> = {
    [Direction.INGRESS]: partition.members.map(() => []),
    [Direction.EGRESS]: partition.members.map(() => []),
  };
  policies.forEach((p, pi) => {
    for (const c of toClasses(input.subjects[pi])) for (const d of p.policyTypes) selecting[d][c].push(p);
  });
  const policyIndex = new Map(policies.map((p, i) => [p, i]));
  const scratch = new Int32Array(Math.max(C, input.externalSources.length, input.externalDestinations.length));
  const emptyRow = (external: number): Row => ({
    classes: new Int32Array(C).fill(SetTable.NONE),
    external: new Int32Array(external).fill(SetTable.NONE),
  });

  // One row per distinct set of egress policies: what each destination gets.
  const egressRowOf = new Int32Array(C).fill(-1);
  const egressRows: Row[] = [];
  const egressKeys = new Map<string, number>();
  for (let c = 0; c < C; c++) {
    const ps = selecting[Direction.EGRESS][c];
    if (ps.length === 0) continue;
    const key = ps.map((p) => policyIndex.get(p)).join(',');
    let row = egressKeys.get(key);
    if (row === undefined) {
      egressKeys.set(key, (row = egressRows.length));
      const rules = ps.flatMap((p) => compile(p)[Direction.EGRESS]);
      const r = emptyRow(input.externalDestinations.length);
      fillRow(
        table,
        r.classes,
        rules.filter((cr) => cr.fixedPorts >= 0).map((cr) => ({ members: cr.classes, ports: cr.fixedPorts })),
        scratch,
      );
      for (const cr of rules) {
        if (cr.fixedPorts < 0) for (const d of cr.classes) r.classes[d] = table.union(r.classes[d], portsFor(cr, d));
      }
      addConditional(r.classes, rules, portsFor);
      fillRow(
        table,
        r.external,
        rules.map((cr) => ({ members: cr.external, ports: cr.extPorts })),
        scratch,
      );
      egressRows.push(r);
    }
    egressRowOf[c] = row;
  }

  // One row per distinct set of ingress policies (and named-port values): what each source gets.
  const ingressRowOf = new Int32Array(C).fill(-1);
  const ingressRows: Row[] = [];
  const ingressKeys = new Map<string, number>();
  for (let c = 0; c < C; c++) {
    const ps = selecting[Direction.INGRESS][c];
    if (ps.length === 0) continue;
    const rules = ps.flatMap((p) => compile(p)[Direction.INGRESS]);
    const ports = rules.map((cr) => portsFor(cr, c));
    const key = `${ps.map((p) => policyIndex.get(p)).join(',')}#${rules.some((cr) => cr.fixedPorts < 0) ? ports.join(',') : ''}`;
    let row = ingressKeys.get(key);
    if (row === undefined) {
      ingressKeys.set(key, (row = ingressRows.length));
      const r = emptyRow(input.externalSources.length);
      fillRow(
        table,
        r.classes,
        rules.map((cr, i) => ({ members: cr.classes, ports: ports[i] })),
        scratch,
      );
      const portsOf = new Map(rules.map((cr, i) => [cr, ports[i]]));
      addConditional(r.classes, rules, (cr) => portsOf.get(cr)!);
      fillRow(
        table,
        r.external,
        rules.map((cr, i) => ({ members: cr.external, ports: ports[i] })),
        scratch,
      );
      ingressRows.push(r);
    }
    ingressRowOf[c] = row;
  }
  return { egressRowOf, ingressRowOf, egressRows, ingressRows };
}

/**
 * Adds to each position of `row` the union of the ports of the items that hold it. Each
 * position's items are first collected as a bit mask (31 items at a time), and each distinct
 * mask is turned into a set once, so the cost is a bit operation per (item, member).
 */
function fillRow(
  table: SetTable,
  row: Int32Array,
  items: ReadonlyArray<{ members: Int32Array; ports: number }>,
  scratch: Int32Array,
): void {
  for (let start = 0; start < items.length; start += 31) {
    const chunk = items.slice(start, start + 31);
    const mask = scratch.subarray(0, row.length);
    mask.fill(0);
    for (let j = 0; j < chunk.length; j++) {
      const bit = 1 << j;
      const m = chunk[j].members;
      for (let k = 0; k < m.length; k++) mask[m[k]] |= bit;
    }
    const byMask = new Map<number, number>();
    for (let d = 0; d < row.length; d++) {
      const mk = mask[d];
      if (mk === 0) continue;
      let id = byMask.get(mk);
      if (id === undefined) {
        id = SetTable.NONE;
        for (let j = 0; j < chunk.length; j++) if (mk & (1 << j)) id = table.union(id, chunk[j].ports);
        byMask.set(mk, id);
      }
      row[d] = table.union(row[d], id);
    }
  }
}
