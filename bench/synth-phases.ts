/**
 * Where the time of `bench/synth.ts`'s "ours" goes: build, validation, rendering and YAML, each
 * in µs per tier of wall clock and of process CPU (all threads, so V8's garbage collection
 * helpers count), beside the floor's build and YAML of the same policy set. Answers what part of
 * ours over the floor is our own work and what part is the YAML both pay.
 *
 *   node --import tsx bench/synth-phases.ts [N...]      (default: 100 1000 5000)
 *
 * Same method as bench/synth.ts: one process, warm-up, the two ways in turns, medians.
 */
import { fmtRatio, median, now, printTable, runInterleaved, sizesFromArgs } from './private/timing';
import { buildFloor, buildOurs, synthFloor } from './private/tier-chain';
import { renderApp, toYaml, validateApp } from '../lib/render/synth';

const PHASES = ['build', 'validate', 'render', 'yaml'] as const;
type Phase = (typeof PHASES)[number];

/** Wall-clock and CPU milliseconds of each phase of one run. */
interface Sample {
  readonly wall: Record<Phase, number>;
  readonly cpu: Record<Phase, number>;
  readonly total: number;
}

/** CPU milliseconds of the process so far (user and system, every thread). */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Runs `steps` in order, timing each under its phase; phases without a step stay 0. */
function phased(steps: ReadonlyArray<readonly [Phase, () => void]>): Sample {
  const wall = { build: 0, validate: 0, render: 0, yaml: 0 };
  const cpu = { build: 0, validate: 0, render: 0, yaml: 0 };
  for (const [phase, step] of steps) {
    const w = now();
    const c = cpuMs();
    step();
    cpu[phase] = cpuMs() - c;
    wall[phase] = now() - w;
  }
  return { wall, cpu, total: PHASES.reduce((a, p) => a + wall[p], 0) };
}

function oursOnce(n: number): Sample {
  let app: ReturnType<typeof buildOurs> | undefined;
  let charts: ReturnType<typeof renderApp> = [];
  return phased([
    ['build', () => (app = buildOurs(n))],
    [
      'validate',
      () => {
        const errors = validateApp(app!);
        if (errors.length > 0) throw new Error(`validation failed: ${errors[0]}`);
      },
    ],
    ['render', () => (charts = renderApp(app!))],
    ['yaml', () => charts.map((c) => toYaml(c.objects)).join('---\n')],
  ]);
}

function floorOnce(n: number): Sample {
  let docs: ReturnType<typeof buildFloor> = [];
  return phased([
    ['build', () => (docs = buildFloor(n))],
    ['yaml', () => synthFloor(docs)],
  ]);
}

function runs(n: number): number {
  return n <= 100 ? 21 : n <= 1000 ? 11 : 5;
}

function main(args: string[]): void {
  const sizes = sizesFromArgs(args, [100, 1000, 5000]);
  const rows: string[][] = [];
  for (const n of sizes) {
    const m = runInterleaved([
      { id: 'ours', runs: runs(n), once: () => oursOnce(n) },
      { id: 'floor', runs: runs(n), once: () => floorOnce(n) },
    ]);
    const perTier = (id: string, kind: 'wall' | 'cpu', p: Phase) => (median(m[id].samples.map((s) => s[kind][p])) / n) * 1000;
    for (const kind of ['wall', 'cpu'] as const) {
      const ours = PHASES.map((p) => perTier('ours', kind, p));
      const floor = PHASES.map((p) => perTier('floor', kind, p));
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      rows.push([
        `${n}`,
        kind,
        ...ours.map((x) => x.toFixed(1)),
        floor[0].toFixed(1),
        floor[3].toFixed(1),
        fmtRatio(sum(ours) / sum(floor)),
        fmtRatio(ours[3] / floor[3]),
      ]);
    }
  }
  printTable(
    ['N', 'clock', 'ours build', 'ours validate', 'ours render', 'ours yaml', 'floor build', 'floor yaml', 'ours/floor', 'yaml ours/floor'],
    rows,
  );
  process.stdout.write(
    `\n(µs per tier, medians of each phase over the measured runs, after warm-up runs until 1.5 s was spent; ` +
      `cpu is the process's user + system time, every thread; node ${process.version})\n`,
  );
}

main(process.argv.slice(2));
