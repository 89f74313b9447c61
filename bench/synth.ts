/**
 * Synthesis speed against cdk8s-plus-27 and a plain-YAML floor, for one namespace with N
 * tiers in a chain (see bench/private/tier-chain.ts for the policy set).
 *
 *   node --import tsx bench/synth.ts [N...]      (default: 10 100 1000 5000)
 *
 * Each way is timed for build (constructs or objects) and synth (validation, rendering, YAML)
 * separately, as the median of several runs in one process after a warm-up; the three ways
 * take turns (bench/private/timing.ts says why). Before timing, the three outputs are checked
 * to hold the same policies; the run fails if they do not.
 */
import { fmtMs, fmtRatio, median, now, printTable, runInterleaved, sizesFromArgs } from './private/timing';
import { compareOutputs, policyKeys } from './private/normalize';
import { buildFloor, buildOurs, buildPlus, synthFloor, synthOurs, synthPlus } from './private/tier-chain';

/** One way of producing the YAML: build something, then synthesize it. */
interface Way<T> {
  readonly name: string;
  readonly build: (n: number) => T;
  readonly synth: (built: T) => string;
}

const WAYS = {
  ours: { name: 'ours', build: buildOurs, synth: synthOurs } as Way<any>,
  plus: { name: 'cdk8s-plus-27', build: buildPlus, synth: synthPlus } as Way<any>,
  floor: { name: 'floor (yaml)', build: buildFloor, synth: synthFloor } as Way<any>,
};
type WayId = keyof typeof WAYS;

interface Sample {
  readonly build: number;
  readonly synth: number;
  readonly total: number;
  readonly bytes: number;
}

interface Timing extends Sample {
  readonly runs: number;
  readonly warmups: number;
}

/** Measured runs: fewer for bigger inputs, and at most 3 for cdk8s-plus-27 above 1000 tiers (about a second each). */
function runs(way: WayId, n: number): number {
  if (n <= 10) return 51;
  if (n <= 100) return 21;
  if (n <= 1000) return 11;
  return way === 'plus' ? 3 : 5;
}

function runOnce(way: WayId, n: number): Sample {
  const w = WAYS[way];
  const t0 = now();
  const built = w.build(n);
  const t1 = now();
  const yaml = w.synth(built);
  const t2 = now();
  return { build: t1 - t0, synth: t2 - t1, total: t2 - t0, bytes: Buffer.byteLength(yaml) };
}

/** Times the three ways at one size, taking turns (see `runInterleaved`). */
function timeAll(n: number): Record<WayId, Timing> {
  const ids = Object.keys(WAYS) as WayId[];
  const measured = runInterleaved(ids.map((id) => ({ id, runs: runs(id, n), once: () => runOnce(id, n) })));
  const out = {} as Record<WayId, Timing>;
  for (const id of ids) {
    const xs = measured[id].samples;
    out[id] = {
      build: median(xs.map((s) => s.build)),
      synth: median(xs.map((s) => s.synth)),
      total: median(xs.map((s) => s.total)),
      bytes: xs[0].bytes,
      runs: xs.length,
      warmups: measured[id].warmups,
    };
  }
  return out;
}

function checkEquivalent(n: number): void {
  const outputs: Record<string, string> = {};
  for (const [id, w] of Object.entries(WAYS)) outputs[id] = w.synth(w.build(n));
  const problems = compareOutputs(outputs);
  if (problems.length > 0) {
    process.stderr.write(`N=${n}: the three outputs differ:\n${problems.map((p) => `  ${p}\n`).join('')}`);
    process.exit(1);
  }
  const same = (['plus', 'floor'] as const).filter((id) => outputs[id] === outputs.ours).map((id) => WAYS[id].name);
  const bytes = same.length === 2 ? 'all three byte-identical' : same.length === 1 ? `ours byte-identical to ${same[0]}` : 'bytes differ';
  process.stdout.write(`N=${n}: equivalent: yes (${policyKeys(outputs.ours).length} policies; ${bytes})\n`);
}

function main(args: string[]): void {
  const sizes = sizesFromArgs(args, [10, 100, 1000, 5000]);
  for (const n of sizes) checkEquivalent(n);
  process.stdout.write('\n');
  const rows: string[][] = [];
  const results: Array<[number, Record<WayId, Timing>]> = [];
  for (const n of sizes) {
    const t = timeAll(n);
    results.push([n, t]);
    for (const id of ['ours', 'plus', 'floor'] as WayId[]) {
      const x = t[id];
      rows.push([
        `${n}`,
        WAYS[id].name,
        fmtMs(x.build),
        fmtMs(x.synth),
        fmtMs(x.total),
        `${x.bytes}`,
        `${x.warmups}+${x.runs}`,
        id === 'ours' ? '' : fmtRatio(t.ours.total / x.total),
      ]);
    }
  }
  printTable(['N', 'way', 'ms build', 'ms synth', 'ms total', 'bytes YAML', 'warm-up+runs', 'ours/this'], rows);
  process.stdout.write('\n');
  for (const [n, t] of results) {
    process.stdout.write(
      `N=${n}: ours/plus ${fmtRatio(t.ours.total / t.plus.total)}, ours/floor ${fmtRatio(t.ours.total / t.floor.total)}, ours ${fmtMs((t.ours.total / n) * 1000)} µs/tier\n`,
    );
  }
  process.stdout.write(`(medians of the measured runs, after warm-up runs until 1.5 s was spent; node ${process.version})\n\n`);
  targets(results);
}

/** The targets bench/README.md reports against, each with its verdict. */
function targets(results: Array<[number, Record<WayId, Timing>]>): void {
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const at1000 = results.find(([n]) => n === 1000);
  if (at1000) {
    const r = at1000[1].ours.total / at1000[1].floor.total;
    process.stdout.write(`target ours within 1.3x of the floor at N=1000:   ${fmtRatio(r)}, ${verdict(r <= 1.3)}\n`);
  }
  const slower = results.filter(([, t]) => t.ours.total >= t.plus.total).map(([n]) => n);
  process.stdout.write(
    `target faster than cdk8s-plus-27 at every N:       ${slower.length === 0 ? 'met' : `MISSED at N=${slower.join(', ')}`}\n`,
  );
  // per-tier cost at the largest N against the smallest N of at least 100 (N=10 is mostly fixed costs)
  const base = results.find(([n]) => n >= 100) ?? results[0];
  const last = results[results.length - 1];
  if (last[0] > base[0]) {
    const g = last[1].ours.total / last[0] / (base[1].ours.total / base[0]);
    process.stdout.write(`target linear in N (µs/tier at N=${last[0]} ≤ 1.25x N=${base[0]}): ${fmtRatio(g)}, ${verdict(g <= 1.25)}\n`);
  }
}

main(process.argv.slice(2));
