/**
 * The answers of both directions with ClusterNetworkPolicies, stored as rows like the
 * NetworkPolicies' own (see rows.ts) instead of per pair of classes. What a direction allows
 * between two classes depends on the subject's NetworkPolicy row and the ClusterNetworkPolicies
 * that select it, and on the other end's NetworkPolicy column, what every ClusterNetworkPolicy
 * peer makes of it and (toward a destination) its named ports. Classes alike in all of that share
 * a tiered row or column, so the storage is rows × columns of such kinds, never classes × classes.
 * A subject no ClusterNetworkPolicy selects keeps its NetworkPolicy row.
 */
import { AddressRange } from '../../model/address-range';
import { Reach } from '../../model/reach';
import { Direction } from '../../model/rule';
import { DirectionRows, Row, Rows, rowsOf } from './rows';
import { PairMemo, SetTable } from './set-table';
import { Lower, OtherEnd, Tiers } from './tiers';

/** How the answers of the all-pairs analysis are kept when ClusterNetworkPolicies take part. */
export enum PairStorage {
  /** Rows over kinds of classes (the default). */
  ROWS = 'rows',
  /** One answer per ordered pair of classes (the plain storage, for comparison). */
  PER_PAIR = 'per-pair',
}

/** Everything the tiered rows are built from. */
export interface TieredRowInput {
  readonly rows: Rows;
  readonly tiers: Tiers;
  readonly table: SetTable;
  readonly externalSources: readonly AddressRange[];
  readonly externalDestinations: readonly AddressRange[];
}

/** The rows of both directions with the tiers applied, read as NetworkPolicy rows are (`egressId`, `ingressId`). */
export function buildTieredRows(input: TieredRowInput): Rows {
  return rowsOf(tieredDirection(input, Direction.EGRESS), tieredDirection(input, Direction.INGRESS));
}

/** Numbers pairs of integers (the first from -1, the second from -1 up to `width - 2`) in order of first appearance. */
class PairNumbering {
  private readonly ids = new Map<number, number>();
  constructor(private readonly width: number) {}

  /** The number of a pair, and whether it is new. */
  public id(a: number, b: number): { id: number; fresh: boolean } {
    const key = (a + 1) * this.width + (b + 1);
    const id = this.ids.get(key);
    if (id !== undefined) return { id, fresh: false };
    const fresh = this.ids.size;
    this.ids.set(key, fresh);
    return { id: fresh, fresh: true };
  }
}

/** Which column each class is, each column's first class, and its NetworkPolicy column. */
interface TieredColumns {
  readonly columnOf: Int32Array;
  readonly first: Int32Array;
  readonly npColumn: Int32Array;
  /** What the column's classes are to the tiers as the other end. */
  readonly other: Int32Array;
}

function tieredColumns(npColumnOf: Int32Array, otherOf: Int32Array): TieredColumns {
  const C = npColumnOf.length;
  let width = 1;
  for (let c = 0; c < C; c++) width = Math.max(width, otherOf[c] + 2);
  const numbering = new PairNumbering(width);
  const columnOf = new Int32Array(C);
  const first: number[] = [];
  const npColumn: number[] = [];
  const other: number[] = [];
  // Numbered in order of first class, as the NetworkPolicy columns are: the same split gives the same numbers.
  for (let c = 0; c < C; c++) {
    const { id, fresh } = numbering.id(npColumnOf[c], otherOf[c]);
    if (fresh) {
      first.push(c);
      npColumn.push(npColumnOf[c]);
      other.push(otherOf[c]);
    }
    columnOf[c] = id;
  }
  return { columnOf, first: Int32Array.from(first), npColumn: Int32Array.from(npColumn), other: Int32Array.from(other) };
}

/** One direction: the classes' tiered rows and columns, and the rows. */
function tieredDirection(input: TieredRowInput, direction: Direction): DirectionRows {
  const { rows, tiers } = input;
  const egress = direction === Direction.EGRESS;
  const kinds = tiers.kinds(direction);
  const C = kinds.subject.length;
  // Toward a destination its named ports go with the other end; from a source, with the subject.
  const subjectOf = new Int32Array(C);
  const otherOf = new Int32Array(C);
  {
    let ports = 1;
    for (let c = 0; c < C; c++) ports = Math.max(ports, kinds.ports[c] + 2);
    const subjects = new PairNumbering(ports);
    const others = new PairNumbering(ports);
    for (let c = 0; c < C; c++) {
      const s = kinds.subject[c];
      subjectOf[c] = s < 0 ? -1 : egress ? s : subjects.id(s, kinds.ports[c]).id;
      otherOf[c] = egress ? others.id(kinds.other[c], kinds.ports[c]).id : kinds.other[c];
    }
  }
  const npRowOf = egress ? rows.egressRowOf : rows.ingressRowOf;
  const npRows = egress ? rows.egressRows : rows.ingressRows;
  const npColumnCount = npRows.length > 0 ? npRows[0].columns.length : countOf(egress ? rows.egressColumnOf : rows.ingressColumnOf);
  const columns = tieredColumns(egress ? rows.egressColumnOf : rows.ingressColumnOf, otherOf);
  const sameColumns = columns.first.length === npColumnCount;
  let subjects = 1;
  for (let c = 0; c < C; c++) subjects = Math.max(subjects, subjectOf[c] + 2);
  const rowNumbering = new PairNumbering(subjects);
  const rowOf = new Int32Array(C).fill(-1);
  const out: Row[] = [];
  const memos = new Map<number, PairMemo>();
  for (let c = 0; c < C; c++) {
    const np = npRowOf[c];
    const subject = subjectOf[c];
    if (np < 0 && subject < 0) continue;
    const { id, fresh } = rowNumbering.id(np, subject);
    rowOf[c] = id;
    if (!fresh) continue;
    if (subject < 0) {
      out.push(sameColumns ? npRows[np] : reindexed(npRows[np], columns.npColumn));
      continue;
    }
    let memo = memos.get(subject);
    if (!memo) memos.set(subject, (memo = new PairMemo()));
    out.push(tieredRow(input, direction, c, np < 0 ? undefined : npRows[np], columns, memo));
  }
  return { rowOf, rows: out, columnOf: columns.columnOf };
}

function countOf(columnOf: Int32Array): number {
  let n = 0;
  for (const c of columnOf) if (c + 1 > n) n = c + 1;
  return n;
}

/** A NetworkPolicy row read at finer columns. */
function reindexed(row: Row, npColumn: Int32Array): Row {
  const columns = new Int32Array(npColumn.length);
  for (let t = 0; t < npColumn.length; t++) columns[t] = row.columns[npColumn[t]];
  return { columns, external: row.external };
}

/**
 * The row of a subject some ClusterNetworkPolicy selects: each column evaluated through the
 * tiers once per kind of other end and NetworkPolicy answer (`memo`, shared by the rows of one
 * selection); external destinations too. An external source meets no tier rule (their ingress
 * peers are pods and namespaces): it keeps the NetworkPolicy answer.
 */
function tieredRow(
  input: TieredRowInput,
  direction: Direction,
  subject: number,
  np: Row | undefined,
  columns: TieredColumns,
  memo: PairMemo,
): Row {
  const { tiers, table, externalSources, externalDestinations } = input;
  const lowerOf = (id: number): Lower => (id < 0 ? NOT_ISOLATED : { isolated: true, reach: () => table.get(id), key: String(id) });
  const answer = (other: OtherEnd, lowerId: number) => table.intern(tiers.evaluate(direction, subject, other, lowerOf(lowerId)));
  const n = columns.first.length;
  const out = new Int32Array(n);
  for (let t = 0; t < n; t++) {
    const lowerId = np ? np.columns[columns.npColumn[t]] : -1;
    let id = memo.get(columns.other[t], lowerId);
    if (id < 0) {
      id = answer({ kind: 'class', index: columns.first[t] }, lowerId);
      memo.set(columns.other[t], lowerId, id);
    }
    out[t] = id;
  }
  if (direction === Direction.INGRESS)
    return { columns: out, external: np ? np.external : new Int32Array(externalSources.length).fill(SetTable.ALL) };
  const external = new Int32Array(externalDestinations.length);
  externalDestinations.forEach((range, y) => {
    external[y] = answer({ kind: 'range', range }, np ? np.external[y] : -1);
  });
  return { columns: out, external };
}

const NOT_ISOLATED: Lower = { isolated: false, reach: () => Reach.all(), key: '-' };
