/**
 * Sums over every ordered pair of classes without visiting the pairs one by one through a hash:
 * classes alike as sources (the same egress row and ingress column) form one source kind, classes
 * alike as destinations one destination kind, and the source kinds are taken a row at a time, so
 * that within a run the egress side is one set and each pair is an array read.
 */
import { Rows } from './rows';
import { SetTable } from './set-table';

/** The most bytes the per-set answer arrays may take before they are dropped and asked again. */
const ANSWER_BUDGET = 128 * 1024 * 1024;

/**
 * The sum of `weight[from] × weight[to]` over the ordered pairs of classes (a class with itself
 * included) whose set, egress and ingress intersected, passes `keep`.
 */
export function sumOverPairs(rows: Rows, table: SetTable, weight: Float64Array, keep: (id: number) => boolean): number {
  const sources = sourceRuns(rows, weight);
  const destinations = byColumn(kinds(rows.ingressRowOf, rows.egressColumnOf, weight));
  const answers = new Answers(table, keep);
  const egressRows = rows.egressRows;
  const R = egressRows.length;
  const { start, column, runWeight } = sources;
  const sourceWeight = sources.weight;
  // The egress rows read a block of columns at a time, column by column, so that a destination's
  // sets over every egress row lie side by side.
  const block = Math.max(1, Math.min(destinations.columns, Math.floor(BLOCK_CELLS / Math.max(1, R))));
  const transposed = new Int32Array(block * R);
  let total = 0;
  for (let b0 = 0; b0 < destinations.columns; b0 += block) {
    const b1 = Math.min(destinations.columns, b0 + block);
    for (let r = 0; r < R; r++) {
      const cells = egressRows[r].columns;
      for (let te = b0; te < b1; te++) transposed[(te - b0) * R + r] = cells[te];
    }
    for (let k = destinations.first[b0]; k < destinations.first[b1]; k++) {
      const base = (destinations.column[k] - b0) * R - 1;
      const ir = destinations.row[k];
      const ingress = ir < 0 ? undefined : rows.ingressRows[ir].columns;
      let sum = 0;
      // Run g holds the source kinds of egress row g - 1 (run 0: sources not isolated for egress).
      for (let g = 0; g < start.length - 1; g++) {
        const s0 = start[g];
        const s1 = start[g + 1];
        if (s0 === s1) continue;
        const e = g === 0 ? SetTable.ALL : transposed[base + g];
        if (ingress === undefined || e === SetTable.NONE) {
          if (answers.kept(e, SetTable.ALL)) sum += runWeight[g];
          continue;
        }
        // Every set of the rows was stored before counting began, so `known` covers the ingress sets.
        const known = answers.of(e);
        for (let j = s0; j < s1; j++) {
          const i = ingress[column[j]];
          let v = known[i];
          if (v === 0) v = answers.decide(e, i);
          if (v === 1) sum += sourceWeight[j];
        }
      }
      total += sum * destinations.weight[k];
    }
  }
  return total;
}

/** How many cells of the egress rows are read side by side at a time. */
const BLOCK_CELLS = 1 << 22;

/** Destination kinds ordered by egress column: those of column `t` from `first[t]` to `first[t + 1]`. */
function byColumn(k: { row: Int32Array; column: Int32Array; weight: Float64Array }): {
  row: Int32Array;
  column: Int32Array;
  weight: Float64Array;
  first: Int32Array;
  columns: number;
} {
  let columns = 0;
  for (const c of k.column) if (c + 1 > columns) columns = c + 1;
  const first = new Int32Array(columns + 1);
  for (const c of k.column) first[c + 1]++;
  for (let t = 0; t < columns; t++) first[t + 1] += first[t];
  const next = first.slice(0, columns);
  const row = new Int32Array(k.row.length);
  const column = new Int32Array(k.row.length);
  const weight = new Float64Array(k.row.length);
  for (let j = 0; j < k.row.length; j++) {
    const at = next[k.column[j]]++;
    row[at] = k.row[j];
    column[at] = k.column[j];
    weight[at] = k.weight[j];
  }
  return { row, column, weight, first, columns };
}

/**
 * Per egress set, what `keep` says of its intersection with each ingress set (0 not yet
 * asked, 1 kept, 2 not), in arrays indexed by the ingress set's id.
 */
class Answers {
  private readonly byEgress = new Map<number, Uint8Array>();
  /** Per set id: 0 not yet asked, 1 kept, 2 not. */
  private keptIds: Uint8Array;
  private readonly size: number;

  constructor(
    private readonly table: SetTable,
    private readonly keep: (id: number) => boolean,
  ) {
    this.size = table.size;
    this.keptIds = new Uint8Array(table.size * 2);
  }

  /** The answers known for egress set `e`, indexed by ingress set (ids of sets stored before counting began). */
  public of(e: number): Uint8Array {
    let a = this.byEgress.get(e);
    if (a === undefined) {
      if ((this.byEgress.size + 1) * this.size > ANSWER_BUDGET) this.byEgress.clear();
      this.byEgress.set(e, (a = new Uint8Array(this.size)));
    }
    return a;
  }

  /** Asks `keep` of the intersection of `e` and `i`, and remembers the answer. */
  public decide(e: number, i: number): number {
    const v = this.kept(e, i) ? 1 : 2;
    this.of(e)[i] = v;
    return v;
  }

  /** Whether `keep` holds for the intersection of `e` and `i`. */
  public kept(e: number, i: number): boolean {
    const id = this.table.intersect(e, i);
    if (id >= this.keptIds.length) {
      const grown = new Uint8Array(Math.max(id + 1, this.keptIds.length * 2));
      grown.set(this.keptIds);
      this.keptIds = grown;
    }
    if (this.keptIds[id] === 0) this.keptIds[id] = this.keep(id) ? 1 : 2;
    return this.keptIds[id] === 1;
  }
}

/**
 * The source kinds (distinct egress row and ingress column) ordered by egress row: run `g`
 * (from `start[g]` to `start[g + 1]`) holds those of egress row `g - 1`, with their columns,
 * summed weights, and each run's total weight.
 */
function sourceRuns(
  rows: Rows,
  weight: Float64Array,
): { start: Int32Array; column: Int32Array; weight: Float64Array; runWeight: Float64Array } {
  const k = kinds(rows.egressRowOf, rows.ingressColumnOf, weight);
  const runs = rows.egressRows.length + 1;
  const start = new Int32Array(runs + 1);
  for (let j = 0; j < k.row.length; j++) start[k.row[j] + 2]++;
  for (let g = 0; g < runs; g++) start[g + 1] += start[g];
  const next = start.slice(0, runs);
  const column = new Int32Array(k.row.length);
  const sorted = new Float64Array(k.row.length);
  const runWeight = new Float64Array(runs);
  for (let j = 0; j < k.row.length; j++) {
    const g = k.row[j] + 1;
    const at = next[g]++;
    column[at] = k.column[j];
    sorted[at] = k.weight[j];
    runWeight[g] += k.weight[j];
  }
  return { start, column, weight: sorted, runWeight };
}

/** The distinct (row, column) pairs of the classes, with the summed weight of each. */
function kinds(
  rowOf: Int32Array,
  columnOf: Int32Array,
  weight: Float64Array,
): { row: Int32Array; column: Int32Array; weight: Float64Array } {
  const index = new Map<number, number>();
  const row: number[] = [];
  const column: number[] = [];
  const sum: number[] = [];
  let columns = 1;
  for (const c of columnOf) if (c + 1 > columns) columns = c + 1;
  for (let c = 0; c < rowOf.length; c++) {
    const key = (rowOf[c] + 1) * columns + columnOf[c];
    let k = index.get(key);
    if (k === undefined) {
      index.set(key, (k = row.length));
      row.push(rowOf[c]);
      column.push(columnOf[c]);
      sum.push(0);
    }
    sum[k] += weight[c];
  }
  return { row: Int32Array.from(row), column: Int32Array.from(column), weight: Float64Array.from(sum) };
}
