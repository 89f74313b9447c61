/**
 * Timing helpers shared by the benchmarks: a monotonic clock, medians, contenders run in
 * turns after a warm-up, the command-line list of sizes, and Markdown tables.
 */

/** Milliseconds on the monotonic clock. */
export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty list');
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** One way of doing the work under test. */
export interface Contender<S extends { readonly total: number }> {
  readonly id: string;
  /** Measured runs (after the warm-up); 0 leaves the contender out. */
  readonly runs: number;
  /** Does the work once and says how long it took (`total`, ms) and whatever else it measured. */
  readonly once: () => S;
}

/** Options of `runInterleaved`. */
export interface WarmupOptions {
  /**
   * Each contender runs unmeasured until it has spent this long (and at least `minWarmup`
   * times), so that V8 has optimized the hot code before measuring.
   * @default 1500
   */
  readonly warmupMs?: number;
  /** @default 1 */
  readonly minWarmup?: number;
  /** @default 50 */
  readonly maxWarmup?: number;
}

/** What `runInterleaved` measured for one contender. */
export interface Measured<S> {
  readonly samples: S[];
  /** Unmeasured runs before the samples. */
  warmups: number;
}

/**
 * Runs the contenders in turns — a warm-up, then rounds in which each contender runs once, in
 * an order rotated every round — so that load from elsewhere on the machine, and the garbage
 * one run leaves to the next, fall on all of them alike. No garbage collection is forced
 * between runs: a forced full collection shrinks V8's heap and every run after it pays for
 * growing it back (2-3x slower at a hundred policies), which is not what we mean to measure.
 */
export function runInterleaved<S extends { readonly total: number }>(
  contenders: readonly Contender<S>[],
  options: WarmupOptions = {},
): Record<string, Measured<S>> {
  const budget = options.warmupMs ?? 1500;
  const minWarmup = options.minWarmup ?? 1;
  const maxWarmup = options.maxWarmup ?? 50;
  const active = contenders.filter((c) => c.runs > 0);
  const out: Record<string, Measured<S>> = {};
  const spent: Record<string, number> = {};
  for (const c of contenders) {
    out[c.id] = { samples: [], warmups: 0 };
    spent[c.id] = 0;
  }
  const warming = (c: Contender<S>) => out[c.id].warmups < minWarmup || (spent[c.id] < budget && out[c.id].warmups < maxWarmup);
  while (active.some(warming)) {
    for (const c of active.filter(warming)) {
      spent[c.id] += c.once().total;
      out[c.id].warmups++;
    }
  }
  const rounds = Math.max(0, ...active.map((c) => c.runs));
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < active.length; k++) {
      const c = active[(r + k) % active.length];
      if (out[c.id].samples.length < c.runs) out[c.id].samples.push(c.once());
    }
  }
  return out;
}

/**
 * The sizes given on the command line (positive integers), or `defaults` when there are none.
 * Throws on anything else, quoting the argument.
 */
export function sizesFromArgs(args: readonly string[], defaults: readonly number[]): number[] {
  if (args.length === 0) return [...defaults];
  return args.map((a) => {
    if (!/^[1-9][0-9]*$/.test(a)) throw new Error(`size "${a}" is not a positive integer; pass sizes such as 10 100 1000`);
    return Number(a);
  });
}

/** Formats milliseconds with a precision that suits their size. */
export function fmtMs(ms: number): string {
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  return ms.toFixed(2);
}

/** Formats a ratio such as `0.83x`. */
export function fmtRatio(r: number): string {
  return `${r.toFixed(2)}x`;
}

/**
 * Prints rows as a Markdown table (ready to paste into bench/README.md). Columns whose cells
 * are all numbers (or ratios such as `0.83x`, or empty) are right-aligned.
 */
export function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const numeric = header.map((_, i) => rows.every((r) => /^([-+]?[0-9.]+x?|-)?$/.test(r[i])));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
  process.stdout.write(`${line(header)}\n`);
  process.stdout.write(`|${widths.map((w, i) => `${'-'.repeat(w + 1)}${numeric[i] ? ':' : '-'}`).join('|')}|\n`);
  for (const r of rows) process.stdout.write(`${line(r)}\n`);
}
