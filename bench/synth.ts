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
 *
 * Beside them, building alone is timed for a baseline of cdk8s itself (a plain Construct with an
 * empty ApiObject per tier, `buildBare`), in the same rounds: how the cost per tier of building
 * grows with N, for ours, for cdk8s-plus-27, for the floor's plain objects and for cdk8s alone.
 * Then the same growth at equal heap (`equalHeapGrowth`): Apps of 100 tiers, all kept, against
 * one App of the largest N and as many Apps of none, so that both sides build as many Apps and
 * tiers and the collection of what the larger App keeps falls on both.
 */
import * as v8 from 'v8';
import * as vm from 'vm';
import { fmtMs, fmtRatio, median, now, printTable, runInterleaved, sizesFromArgs } from './private/timing';
import { compareOutputs, policyKeys } from './private/normalize';
import { buildBare, buildFloor, buildOurs, buildPlus, synthFloor, synthOurs, synthPlus } from './private/tier-chain';

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
  /** CPU milliseconds of the process while building (every thread, so garbage collection counts). */
  readonly buildCpu: number;
  readonly synth: number;
  readonly total: number;
  readonly bytes: number;
}

interface Timing extends Sample {
  readonly runs: number;
  readonly warmups: number;
}

/**
 * Measured runs: fewer for bigger inputs, and 5 for cdk8s-plus-27 above 1000 tiers (about a
 * second each); 9 for the others there, whose median moved by a third from run to run with 5.
 */
function runs(way: WayId, n: number): number {
  if (n <= 10) return 51;
  if (n <= 100) return 21;
  if (n <= 1000) return 11;
  return way === 'plus' ? 5 : 9;
}

/** CPU milliseconds of the process so far (user and system, every thread). */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function runOnce(way: WayId, n: number): Sample {
  const w = WAYS[way];
  const c0 = cpuMs();
  const t0 = now();
  const built = w.build(n);
  const t1 = now();
  const buildCpu = cpuMs() - c0;
  const yaml = w.synth(built);
  const t2 = now();
  return { build: t1 - t0, buildCpu, synth: t2 - t1, total: t2 - t0, bytes: Buffer.byteLength(yaml) };
}

/** Builds the cdk8s-alone baseline once; it is not synthesized (it has no spec to write). */
function bareOnce(n: number): Sample {
  const c0 = cpuMs();
  const t0 = now();
  buildBare(n);
  const build = now() - t0;
  return { build, buildCpu: cpuMs() - c0, synth: 0, total: build, bytes: 0 };
}

/** Medians of one contender's samples. */
function summary(xs: readonly Sample[], warmups: number): Timing {
  return {
    build: median(xs.map((s) => s.build)),
    buildCpu: median(xs.map((s) => s.buildCpu)),
    synth: median(xs.map((s) => s.synth)),
    total: median(xs.map((s) => s.total)),
    bytes: xs[0].bytes,
    runs: xs.length,
    warmups,
  };
}

/** Times the three ways and the cdk8s-alone build at one size, taking turns (see `runInterleaved`). */
function timeAll(n: number): Measurement {
  const ids = Object.keys(WAYS) as WayId[];
  const measured = runInterleaved([
    ...ids.map((id) => ({ id, runs: runs(id, n), once: () => runOnce(id, n) })),
    { id: 'bare', runs: runs('ours', n), once: () => bareOnce(n) },
  ]);
  const ways = {} as Record<WayId, Timing>;
  for (const id of ids) ways[id] = summary(measured[id].samples, measured[id].warmups);
  return { ways, bare: summary(measured.bare.samples, measured.bare.warmups) };
}

/** What `timeAll` measured at one size. */
interface Measurement {
  readonly ways: Record<WayId, Timing>;
  /** Building the cdk8s-alone baseline (`buildBare`). */
  readonly bare: Timing;
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
  const builds: Array<[number, Measurement]> = [];
  for (const n of sizes) {
    const m = timeAll(n);
    const t = m.ways;
    results.push([n, t]);
    builds.push([n, m]);
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
  buildTable(builds);
  targets(results);
  buildTargets(builds);
  const base = sizes.find((n) => n >= 100);
  const largest = sizes[sizes.length - 1];
  if (base !== undefined && largest >= 2 * base) equalHeapGrowth(base, largest);
  memoryKept(largest);
}

/**
 * Microseconds per tier, wall clock and process CPU, of building `apps` Apps one after another,
 * the first of `first` tiers and every other of `rest`, each App kept until the last is built.
 * A full collection before, untimed, so that no sample pays for what an earlier one left.
 */
function perTierKeptAll(
  build: (n: number) => unknown,
  first: number,
  rest: number,
  apps: number,
  gc: () => void,
): { total: number; cpu: number } {
  const kept: unknown[] = [];
  gc();
  const c0 = cpuMs();
  const t0 = now();
  for (let i = 0; i < apps; i++) kept.push(build(i === 0 ? first : rest));
  const ms = now() - t0;
  const cpu = cpuMs() - c0;
  kept.length = 0;
  const tiers = first + rest * (apps - 1);
  return { total: perTier(ms, tiers), cpu: perTier(cpu, tiers) };
}

/**
 * How the cost per tier of building grows from `base` tiers in an App to `base * apps` (about
 * `largest`) when both sides build as much into a heap that keeps it all: `apps` Apps of `base`
 * tiers, against one App of `base * apps` tiers and `apps - 1` Apps of none, so that both build
 * as many Apps, charts and namespace-wide policies and as many tiers, and keep them all until the
 * last is built. The collector then copies and marks as much on both sides, and what is left of
 * the growth is the cost of an App growing (a search over its constructs, an index that slows
 * down). One App of `base` tiers against one of `largest` (`buildTargets`) adds the collection of
 * everything the larger App keeps, which a small App never pays: cdk8s alone grows there too.
 */
function equalHeapGrowth(base: number, largest: number): void {
  const gc = collector();
  const apps = Math.round(largest / base);
  const ways: Array<[string, (n: number) => unknown]> = [
    ['ours', buildOurs],
    ['cdk8s-plus-27', buildPlus],
    ['cdk8s alone', buildBare],
  ];
  const contenders = ways.flatMap(([name, build]) => [
    { id: `${name}@small`, runs: 7, once: () => perTierKeptAll(build, base, base, apps, gc) },
    { id: `${name}@large`, runs: 7, once: () => perTierKeptAll(build, base * apps, 0, apps, gc) },
  ]);
  const measured = runInterleaved(contenders, { warmupMs: 0, minWarmup: 1, maxWarmup: 1 });
  const at = (id: string, pick: (x: { total: number; cpu: number }) => number) => median(measured[id].samples.map(pick));
  const wall = (x: { total: number }) => x.total;
  const cpu = (x: { cpu: number }) => x.cpu;
  const growth = (name: string, pick: (x: { total: number; cpu: number }) => number) =>
    at(`${name}@large`, pick) / at(`${name}@small`, pick);
  const rows = ways.map(([name]) => [
    name,
    `${at(`${name}@small`, wall).toFixed(1)} / ${at(`${name}@small`, cpu).toFixed(1)}`,
    `${at(`${name}@large`, wall).toFixed(1)} / ${at(`${name}@large`, cpu).toFixed(1)}`,
    `${fmtRatio(growth(name, wall))} / ${fmtRatio(growth(name, cpu))}`,
  ]);
  process.stdout.write(
    `\nBuilding at equal heap, µs per tier (wall / cpu): ${apps} Apps of ${base} tiers, all kept, against one App of ${base * apps}\n` +
      `and ${apps - 1} of none (in turns, a full collection before each, medians of 7 rounds):\n\n`,
  );
  printTable(['way', `${apps} x ${base}`, `1 x ${base * apps} + ${apps - 1} x 0`, 'growth'], rows);
  const ours = Math.max(growth('ours', wall), growth('ours', cpu));
  process.stdout.write(
    `target linear build at equal heap (µs/tier in one App of ${base * apps} ≤ 1.25x in Apps of ${base}, wall and cpu): ` +
      `${fmtRatio(growth('ours', wall))} / ${fmtRatio(growth('ours', cpu))}, ${ours <= 1.25 ? 'met' : 'MISSED'}\n`,
  );
}

/** V8's full collection, exposed to this process on first use (forced only between timings). */
function collector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/** What a measurement of kept memory holds alive while the heap is measured. */
const held: unknown[] = [];

/**
 * Bytes of heap a built App (or the floor's objects) keeps per tier: the heap after a full
 * collection with one built and held, less the heap after one without. Measured after every
 * timing, since forcing collections disturbs what follows (see bench/private/timing.ts).
 */
function keptPerTier(build: (n: number) => unknown, n: number, gc: () => void): number {
  build(n); // once unmeasured, so that code and caches made on first use are not counted
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  held.push(build(n));
  gc();
  gc();
  const after = process.memoryUsage().heapUsed;
  held.length = 0;
  return (after - before) / n;
}

/** Prints the memory each way's build keeps per tier, beside cdk8s alone. */
function memoryKept(n: number): void {
  const gc = collector();
  const kept = (['ours', 'plus', 'floor'] as const).map((id) => `${WAYS[id].name} ${keptPerTier(WAYS[id].build, n, gc).toFixed(0)}`);
  kept.push(`cdk8s alone ${keptPerTier(buildBare, n, gc).toFixed(0)}`);
  process.stdout.write(`\nheap kept per tier at N=${n}, bytes: ${kept.join(', ')}\n`);
}

/** µs per tier of a build median. */
function perTier(ms: number, n: number): number {
  return (ms / n) * 1000;
}

/** Building alone, per tier, wall clock and CPU, beside the cdk8s-alone baseline measured in the same rounds. */
function buildTable(builds: ReadonlyArray<readonly [number, Measurement]>): void {
  const cell = (x: Timing, n: number) => `${perTier(x.build, n).toFixed(1)} / ${perTier(x.buildCpu, n).toFixed(1)}`;
  const rows = builds.map(([n, m]) => [
    `${n}`,
    cell(m.ways.ours, n),
    cell(m.ways.plus, n),
    cell(m.ways.floor, n),
    cell(m.bare, n),
    perTier(m.ways.ours.build - m.bare.build, n).toFixed(1),
  ]);
  process.stdout.write('Building alone, µs per tier (wall / cpu; cpu counts every thread, so garbage collection too):\n\n');
  printTable(['N', 'ours', 'cdk8s-plus-27', 'floor (yaml)', 'cdk8s alone', 'ours - cdk8s alone (wall)'], rows);
  process.stdout.write(
    '(cdk8s alone: per tier a plain Construct with an ApiObject child of the same kind and name, no spec: what cdk8s and\n' +
      ' the constructs library cost per tier whatever a library does; measured in the same rounds as the three ways)\n\n',
  );
}

/** The building targets, with the baseline's growth beside ours. */
function buildTargets(builds: ReadonlyArray<readonly [number, Measurement]>): void {
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const slower = builds.filter(([, m]) => m.ways.ours.build > m.ways.plus.build).map(([n]) => n);
  process.stdout.write(
    `target build no slower than cdk8s-plus-27's:      ${slower.length === 0 ? 'met' : `MISSED at N=${slower.join(', ')}`}\n`,
  );
  const base = builds.find(([n]) => n >= 100) ?? builds[0];
  const last = builds[builds.length - 1];
  if (last[0] <= base[0]) return;
  const growth = (pick: (m: Measurement) => number) => perTier(pick(last[1]), last[0]) / perTier(pick(base[1]), base[0]);
  const ours = growth((m) => m.ways.ours.build);
  process.stdout.write(
    `target linear build (µs/tier at N=${last[0]} ≤ 1.25x N=${base[0]}): ${fmtRatio(ours)} (cpu ${fmtRatio(growth((m) => m.ways.ours.buildCpu))}), ${verdict(ours <= 1.25)}\n`,
  );
  process.stdout.write(
    `  same growth, wall (cpu): cdk8s alone ${fmtRatio(growth((m) => m.bare.build))} (${fmtRatio(growth((m) => m.bare.buildCpu))}), ` +
      `cdk8s-plus-27 ${fmtRatio(growth((m) => m.ways.plus.build))} (${fmtRatio(growth((m) => m.ways.plus.buildCpu))}), ` +
      `floor ${fmtRatio(growth((m) => m.ways.floor.build))} (${fmtRatio(growth((m) => m.ways.floor.buildCpu))}), ` +
      `ours beyond cdk8s alone ${fmtRatio(growth((m) => m.ways.ours.build - m.bare.build))} (${fmtRatio(growth((m) => m.ways.ours.buildCpu - m.bare.buildCpu))})\n`,
  );
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
