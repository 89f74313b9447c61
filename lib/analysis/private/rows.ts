/**
 * What each distinct set of isolating policies lets through, as rows: an egress row says what a
 * source so isolated may send to each destination and external range; an ingress row what a
 * destination so isolated admits from each source and range.
 *
 * A row is indexed by *column*, not by class: classes that every rule of the direction treats
 * alike (the same peers match them, for sure or on the same condition, and, toward a
 * destination, their named ports resolve alike) share one column. Classes are told apart by
 * everything any policy or tier selects, so a direction's rules usually see far fewer columns
 * than there are classes; rows then cost columns × rows, not classes × rows.
 *
 * Rules are compiled once (the classes and ranges their peers match, for sure or on a
 * condition, and their port sets), and a row is filled by interval unions of interned sets.
 */
import { AddressRange } from '../../model/address-range';
import { portsKnown, resolvePort, Workload } from '../../model/cluster';
import { Condition } from '../../model/condition';
import { PeerKind } from '../../model/peer';
import { Policy } from '../../model/policy';
import { Protocol } from '../../model/protocol';
import { Direction, Rule } from '../../model/rule';
import { rangesInside } from '../address-range';
import { Bitset } from './bitset';
import { Partition } from './classes';
import { Selection } from './selection';
import { SetTable } from './set-table';

/** What one row holds: a set id per column and per external range of the direction's partition. */
export interface Row {
  readonly columns: Int32Array;
  readonly external: Int32Array;
}

/**
 * The rows of both directions, which row each class uses (-1: not isolated), and which column
 * of the other direction's rows each class is: an egress row is read at the destination's
 * `egressColumnOf`, an ingress row at the source's `ingressColumnOf`.
 */
export interface Rows {
  readonly egressRowOf: Int32Array;
  readonly ingressRowOf: Int32Array;
  readonly egressRows: readonly Row[];
  readonly ingressRows: readonly Row[];
  readonly egressColumnOf: Int32Array;
  readonly ingressColumnOf: Int32Array;
}

/** How rows are laid out: `shared` columns, or one column per class (the plain layout, for comparison). */
export enum RowLayout {
  SHARED = 'shared',
  PER_CLASS = 'per-class',
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
  /** @default RowLayout.SHARED */
  readonly layout?: RowLayout;
}

/** What source `from` may send to `to` by its egress policies alone (`SetTable.ALL` when not isolated). */
export function egressId(rows: Rows, from: number, to: number): number {
  const r = rows.egressRowOf[from];
  return r < 0 ? SetTable.ALL : rows.egressRows[r].columns[rows.egressColumnOf[to]];
}

/** What destination `to` admits from `from` by its ingress policies alone (`SetTable.ALL` when not isolated). */
export function ingressId(rows: Rows, to: number, from: number): number {
  const r = rows.ingressRowOf[to];
  return r < 0 ? SetTable.ALL : rows.ingressRows[r].columns[rows.ingressColumnOf[from]];
}

/** Builds the rows of every distinct set of isolating policies. */
export function buildRows(input: RowInput): Rows {
  const compiler = new RuleCompiler(input);
  const selecting = isolatingPolicies(input, compiler);
  const egress = buildDirection(input, compiler, Direction.EGRESS, selecting[Direction.EGRESS]);
  const ingress = buildDirection(input, compiler, Direction.INGRESS, selecting[Direction.INGRESS]);
  return rowsOf(egress, ingress);
}

/** The rows of both directions, from each direction's own. */
export function rowsOf(egress: DirectionRows, ingress: DirectionRows): Rows {
  return {
    egressRowOf: egress.rowOf,
    ingressRowOf: ingress.rowOf,
    egressRows: egress.rows,
    ingressRows: ingress.rows,
    egressColumnOf: egress.columnOf,
    ingressColumnOf: ingress.columnOf,
  };
}

/** A rule with the classes and ranges its peers match, and its ports. */
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
}

/**
 * A compiled rule with its classes turned into columns (each column once). Toward destinations,
 * a rule with named ports has the set its ports allow at each of its columns (`memberPorts`,
 * beside `columns`), and its columns split by that set (`variants`), worked out once for every row.
 */
interface PlacedRule {
  readonly compiled: CompiledRule;
  readonly columns: Int32Array;
  readonly memberPorts?: Int32Array;
  readonly variants?: ReadonlyArray<{ readonly members: Int32Array; readonly ports: number }>;
  readonly conditional: ReadonlyArray<{ readonly columns: Int32Array; readonly memberPorts?: Int32Array; readonly condition: Condition }>;
}

/** Compiles each policy's rules once, and resolves their named ports per destination class. */
class RuleCompiler {
  private readonly compiled = new Map<Policy, Record<Direction, CompiledRule[]>>();
  /** Per rule with named ports: set ids per destination class (-1: not yet), and by the values the ports take. */
  private readonly named = new Map<CompiledRule, { perClass: Int32Array; bySignature: Map<string, number> }>();
  private readonly classCount: number;

  constructor(private readonly input: RowInput) {
    this.classCount = input.partition.members.length;
  }

  /** The classes of a set of workloads (a union of classes), ascending. */
  public toClasses(b: Bitset): Int32Array {
    const { selection, partition } = this.input;
    if (b === selection.all) return Int32Array.from({ length: this.classCount }, (_, i) => i);
    const reps = partition.representatives;
    const classOf = partition.classOf;
    const out: number[] = [];
    // Classes are numbered in the order of their first member, so first members in ascending order give ascending classes.
    b.forEach((w) => {
      const c = classOf[w];
      if (reps[c] === w) out.push(c);
    });
    return Int32Array.from(out);
  }

  /** The rules of a policy, per direction. */
  public compile(p: Policy): Record<Direction, CompiledRule[]> {
    let c = this.compiled.get(p);
    if (!c) {
      c = {
        [Direction.INGRESS]: p.ingress.map((rule) => this.compileRule(p, rule, Direction.INGRESS)),
        [Direction.EGRESS]: p.egress.map((rule) => this.compileRule(p, rule, Direction.EGRESS)),
      };
      this.compiled.set(p, c);
    }
    return c;
  }

  /** The set id a rule allows toward destination class `dstClass`. */
  public portsFor(r: CompiledRule, dstClass: number): number {
    if (r.fixedPorts >= 0) return r.fixedPorts;
    let cache = this.named.get(r);
    if (!cache) this.named.set(r, (cache = { perClass: new Int32Array(this.classCount).fill(-1), bySignature: new Map() }));
    let id = cache.perClass[dstClass];
    if (id < 0) {
      // Classes whose named ports resolve alike share one set.
      const w = this.input.workloads[this.input.partition.representatives[dstClass]];
      const known = portsKnown(w);
      const signature = r.rule.ports
        .map((port) => (typeof port.port !== 'string' ? '' : known ? (resolvePort(w, port.port, port.protocol) ?? '-') : '?'))
        .join(',');
      id = cache.bySignature.get(signature) ?? -1;
      if (id < 0) cache.bySignature.set(signature, (id = this.input.table.intern(r.rule.portReach(w))));
      cache.perClass[dstClass] = id;
    }
    return id;
  }

  private compileRule(p: Policy, rule: Rule, direction: Direction): CompiledRule {
    const { selection, workloads, table } = this.input;
    const partitionOf = direction === Direction.INGRESS ? this.input.externalSources : this.input.externalDestinations;
    const end = direction === Direction.INGRESS ? 'source' : 'destination';
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
    const fixed = table.intern(rule.portReach(undefined));
    return {
      rule,
      classes: this.toClasses(sure),
      conditional: maybe
        .map((m) => ({ classes: this.toClasses(m.set.and(sure.not())), condition: m.condition }))
        .filter((m) => m.classes.length > 0),
      external: expandRuns(extRuns),
      fixedPorts: rule.hasNamedPorts ? -1 : fixed,
      extPorts: fixed,
    };
  }
}

/** The distinct elements of inclusive runs. */
function expandRuns(runs: ReadonlyArray<readonly [number, number]>): Int32Array {
  const out: number[] = [];
  for (const [a, b] of runs) for (let x = a; x <= b; x++) out.push(x);
  return Int32Array.from(new Set(out));
}

/** Which policies isolate each class, per direction, in the order of `policies`. */
function isolatingPolicies(input: RowInput, compiler: RuleCompiler): Record<Direction, Policy[][]> {
  const selecting: Record<Direction, Policy[][]> = {
    [Direction.INGRESS]: input.partition.members.map(() => []),
    [Direction.EGRESS]: input.partition.members.map(() => []),
  };
  input.policies.forEach((p, pi) => {
    for (const c of compiler.toClasses(input.subjects[pi])) for (const d of p.policyTypes) selecting[d][c].push(p);
  });
  return selecting;
}

/** The rows of one direction, which row each class uses, and each class's column. */
export interface DirectionRows {
  readonly rowOf: Int32Array;
  readonly rows: Row[];
  readonly columnOf: Int32Array;
}

/**
 * One row per distinct set of the direction's isolating policies (for ingress, and per value
 * of the named ports at the destination): what each column and external range gets.
 */
function buildDirection(input: RowInput, compiler: RuleCompiler, direction: Direction, selecting: readonly Policy[][]): DirectionRows {
  const C = input.partition.members.length;
  const egress = direction === Direction.EGRESS;
  const external = egress ? input.externalDestinations : input.externalSources;
  const used = new Set<Policy>();
  for (const ps of selecting) for (const p of ps) used.add(p);
  const allRules = [...used].flatMap((p) => compiler.compile(p)[direction]);
  const columns = input.layout === RowLayout.PER_CLASS ? perClassColumns(C) : sharedColumns(input, allRules, egress);
  const placed = new Map(allRules.map((cr) => [cr, placeRule(cr, columns, egress ? compiler : undefined)]));
  const policyIndex = new Map(input.policies.map((p, i) => [p, i]));
  const scratch = new Int32Array(Math.max(columns.representatives.length, external.length));
  const rowOf = new Int32Array(C).fill(-1);
  const rows: Row[] = [];
  const keys = new Map<string, number>();
  for (let c = 0; c < C; c++) {
    const ps = selecting[c];
    if (ps.length === 0) continue;
    const rules = ps.flatMap((p) => compiler.compile(p)[direction]).map((cr) => placed.get(cr)!);
    // Toward a destination, named ports depend on the column (-1: see the rule's memberPorts); from a source, on this class.
    const ports = rules.map((pr) => (egress ? pr.compiled.fixedPorts : compiler.portsFor(pr.compiled, c)));
    const named = !egress && rules.some((pr) => pr.compiled.fixedPorts < 0) ? ports.join(',') : '';
    const key = `${ps.map((p) => policyIndex.get(p)).join(',')}#${named}`;
    let row = keys.get(key);
    if (row === undefined) {
      keys.set(key, (row = rows.length));
      rows.push(fillDirectionRow(input.table, rules, ports, columns.representatives.length, egress, external.length, scratch));
    }
    rowOf[c] = row;
  }
  return { rowOf, rows, columnOf: columns.columnOf };
}

/**
 * One row: the rules' sure matches, then their conditional ones, then the external ranges.
 * `ports` has each rule's set for the whole row, or -1 where it depends on the column.
 */
function fillDirectionRow(
  table: SetTable,
  rules: readonly PlacedRule[],
  ports: readonly number[],
  columnCount: number,
  egress: boolean,
  externalCount: number,
  scratch: Int32Array,
): Row {
  const r: Row = {
    columns: new Int32Array(columnCount).fill(SetTable.NONE),
    external: new Int32Array(externalCount).fill(SetTable.NONE),
  };
  // A rule whose ports depend on the column goes through the bit masks of fillRow as one item per set.
  fillRow(
    table,
    r.columns,
    rules.flatMap((pr, i) => (ports[i] >= 0 ? [{ members: pr.columns, ports: ports[i] }] : pr.variants!)),
    scratch,
  );
  const cells = r.columns;
  rules.forEach((pr, i) => {
    for (const { columns, memberPorts, condition } of pr.conditional) {
      for (let k = 0; k < columns.length; k++) {
        const id = ports[i] >= 0 ? ports[i] : memberPorts![k];
        cells[columns[k]] = table.union(cells[columns[k]], table.when(id, condition));
      }
    }
  });
  fillRow(
    table,
    r.external,
    rules.map((pr, i) => ({ members: pr.compiled.external, ports: egress ? pr.compiled.extPorts : ports[i] })),
    scratch,
  );
  return r;
}

/** Which column each class is, and the first class of each column. */
interface Columns {
  readonly columnOf: Int32Array;
  readonly representatives: readonly number[];
}

/** One column per class. */
function perClassColumns(C: number): Columns {
  return { columnOf: Int32Array.from({ length: C }, (_, i) => i), representatives: Array.from({ length: C }, (_, i) => i) };
}

/**
 * Classes split by every list of classes the rules match (for sure, or on each condition) and,
 * toward destinations, by the value each named port of the rules takes there: what is left
 * together is treated alike by every rule of the direction.
 */
function sharedColumns(input: RowInput, rules: readonly CompiledRule[], egress: boolean): Columns {
  const C = input.partition.members.length;
  const group = new GroupRefinement(C);
  const refine = (members: Iterable<number>) => group.split(members);
  const names = new Map<string, { name: string; protocol: Protocol }>();
  for (const cr of rules) {
    refine(cr.classes);
    for (const m of cr.conditional) refine(m.classes);
    if (egress && cr.fixedPorts < 0) {
      for (const port of cr.rule.ports)
        if (typeof port.port === 'string') names.set(`${port.protocol}/${port.port}`, { name: port.port, protocol: port.protocol });
    }
  }
  const reps = input.partition.representatives;
  for (const { name, protocol } of names.values()) {
    const byValue = new Map<string, number[]>();
    for (let c = 0; c < C; c++) {
      const w = input.workloads[reps[c]];
      const value = portsKnown(w) ? String(resolvePort(w, name, protocol) ?? '-') : '?';
      const list = byValue.get(value);
      if (list) list.push(c);
      else byValue.set(value, [c]);
    }
    for (const list of byValue.values()) refine(list);
  }
  const compact = new Map<number, number>();
  const columnOf = new Int32Array(C);
  const representatives: number[] = [];
  for (let c = 0; c < C; c++) {
    let t = compact.get(group.of(c));
    if (t === undefined) {
      compact.set(group.of(c), (t = representatives.length));
      representatives.push(c);
    }
    columnOf[c] = t;
  }
  return { columnOf, representatives };
}

/**
 * Groups of `size` elements, all in one group at first, split by lists of elements: after a
 * split, two elements share a group if they did before and the list holds both or neither.
 * Group numbers are renumbered now and then, so the arrays stay within a few times `size`.
 */
export class GroupRefinement {
  private readonly group: Int32Array;
  /** Per old group, the split that last touched it and the group its listed elements moved to. */
  private touched: Int32Array;
  private movedTo: Int32Array;
  private next = 1;
  private splits = 0;

  constructor(private readonly size: number) {
    this.group = new Int32Array(size);
    this.touched = new Int32Array(4 * size + 4);
    this.movedTo = new Int32Array(4 * size + 4);
  }

  /** The group of an element. */
  public of(element: number): number {
    return this.group[element];
  }

  /** Moves the listed elements of each group into a group of their own. */
  public split(members: Iterable<number>): void {
    const split = ++this.splits;
    for (const e of members) {
      const g = this.group[e];
      if (this.touched[g] !== split) {
        if (this.next >= this.touched.length) this.renumber();
        const h = this.next++;
        this.touched[g] = split;
        this.movedTo[g] = h;
        // An element listed twice stays where it moved.
        this.touched[h] = split;
        this.movedTo[h] = h;
      }
      this.group[e] = this.movedTo[g];
    }
  }

  /** Numbers the groups from 0 again, mid-split too: listed elements keep their new groups apart. */
  private renumber(): void {
    const map = new Int32Array(this.touched.length).fill(-1);
    let n = 0;
    for (let e = 0; e < this.size; e++) {
      const g = this.group[e];
      if (map[g] < 0) map[g] = n++;
    }
    // A group touched in this split whose listed elements moved: both halves keep their numbers.
    const split = this.splits;
    const touched = new Int32Array(this.touched.length);
    const movedTo = new Int32Array(this.touched.length);
    for (let g = 0; g < this.touched.length; g++) {
      if (this.touched[g] === split && map[g] >= 0 && map[this.movedTo[g]] >= 0) {
        touched[map[g]] = split;
        movedTo[map[g]] = map[this.movedTo[g]];
      }
    }
    for (let e = 0; e < this.size; e++) this.group[e] = map[this.group[e]];
    this.touched = touched;
    this.movedTo = movedTo;
    this.next = n;
  }
}

/**
 * A rule's classes as columns: the column of each class that is its column's first. With a
 * compiler (toward destinations) and named ports, also the set the ports allow at each column.
 */
function placeRule(cr: CompiledRule, columns: Columns, compiler: RuleCompiler | undefined): PlacedRule {
  const { columnOf, representatives } = columns;
  const toColumns = (classes: Int32Array) => {
    const out: number[] = [];
    for (const c of classes) if (representatives[columnOf[c]] === c) out.push(columnOf[c]);
    return Int32Array.from(out);
  };
  const portsAt = (cs: Int32Array) =>
    compiler && cr.fixedPorts < 0 ? { memberPorts: cs.map((t) => compiler.portsFor(cr, representatives[t])) } : {};
  const placedColumns = toColumns(cr.classes);
  const at = portsAt(placedColumns);
  return {
    compiled: cr,
    columns: placedColumns,
    ...(at.memberPorts ? { memberPorts: at.memberPorts, variants: splitBySet(placedColumns, at.memberPorts) } : {}),
    conditional: cr.conditional.map((m) => {
      const cs = toColumns(m.classes);
      return { columns: cs, ...portsAt(cs), condition: m.condition };
    }),
  };
}

/** Columns grouped by the set each has, in order of first column. */
function splitBySet(columns: Int32Array, sets: Int32Array): Array<{ members: Int32Array; ports: number }> {
  const bySet = new Map<number, number[]>();
  for (let k = 0; k < columns.length; k++) {
    const list = bySet.get(sets[k]);
    if (list) list.push(columns[k]);
    else bySet.set(sets[k], [columns[k]]);
  }
  return [...bySet].map(([ports, members]) => ({ members: Int32Array.from(members), ports }));
}

/**
 * The set id of each bit mask of one chunk of `fillRow`, in a direct-mapped cache: a mask that
 * meets another in its slot is worked out again, which is cheap as unions are remembered.
 * `next` starts a chunk by moving on a generation instead of clearing.
 */
class MaskCache {
  private static readonly BITS = 12;
  private readonly masks = new Int32Array(1 << MaskCache.BITS);
  private readonly ids = new Int32Array(1 << MaskCache.BITS);
  private readonly generations = new Int32Array(1 << MaskCache.BITS);
  private generation = 0;

  /** Empties the cache. */
  public next(): this {
    this.generation++;
    return this;
  }

  /** The id stored for a mask in this generation, or -1. */
  public get(mask: number): number {
    const h = Math.imul(mask, 0x9e3779b1) >>> (32 - MaskCache.BITS);
    return this.generations[h] === this.generation && this.masks[h] === mask ? this.ids[h] : -1;
  }

  /** Stores the id of a mask. */
  public set(mask: number, id: number): void {
    const h = Math.imul(mask, 0x9e3779b1) >>> (32 - MaskCache.BITS);
    this.generations[h] = this.generation;
    this.masks[h] = mask;
    this.ids[h] = id;
  }
}

const MASKS = new MaskCache();

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
    const byMask = MASKS.next();
    for (let d = 0; d < row.length; d++) {
      const mk = mask[d];
      if (mk === 0) continue;
      let id = byMask.get(mk);
      if (id < 0) {
        id = SetTable.NONE;
        for (let j = 0; j < chunk.length; j++) if (mk & (1 << j)) id = table.union(id, chunk[j].ports);
        byMask.set(mk, id);
      }
      row[d] = table.union(row[d], id);
    }
  }
}
