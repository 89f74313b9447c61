/**
 * Scaling in the number of charts: N charts in one App, one per namespace `ns-i`, each with a
 * default deny, DNS egress and three tiers (web → app → db), rendered the way `npm run synth`
 * renders an environment (`validateApp` once, `renderApp`, `toYaml` per chart, one file per
 * chart in a temporary folder), against cdk8s's own `app.synth()`, which calls `chart.toJson()`
 * per chart and so re-resolves and re-validates the whole App for every chart.
 *
 *   node --import tsx bench/charts.ts [N...]      (default: 100 1000 5000)
 *
 * `app.synth()` runs only for N up to 1000: it is quadratic in N.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { AllowDns } from '../lib/constructs/allow-dns';
import { DefaultDeny } from '../lib/constructs/default-deny';
import { Tier } from '../lib/constructs/tier';
import { Port } from '../lib/model/port';
import { renderApp, toYaml, validateApp } from '../lib/render/synth';
import { compareOutputs } from './private/normalize';
import { fmtMs, fmtRatio, median, now, printTable, runInterleaved, sizesFromArgs } from './private/timing';

/** Largest N the quadratic `app.synth()` is run for. */
const NAIVE_MAX = 1000;

/** Adds `n` charts to a new App that writes to `outdir`. */
function buildCharts(n: number, outdir: string): App {
  const app = new App({ outdir });
  for (let i = 0; i < n; i++) {
    const chart = new Chart(app, `ns-${i}`, { namespace: `ns-${i}` });
    new DefaultDeny(chart, 'default-deny');
    new AllowDns(chart, 'allow-dns');
    const web = new Tier(chart, 'web', { pods: { tier: 'web' } });
    const appTier = new Tier(chart, 'app', { pods: { tier: 'app' } });
    const db = new Tier(chart, 'db', { pods: { tier: 'db' } });
    web.allowTo(appTier, Port.tcp(8080));
    appTier.allowTo(db, Port.tcp(5432));
  }
  return app;
}

/** Milliseconds spent in each phase of the `npm run synth` path. */
interface Phases {
  readonly validate: number;
  readonly render: number;
  readonly yaml: number;
  readonly write: number;
}

/** The `npm run synth` path: validate once, render every chart once, write one file each. */
function synthOurs(app: App, outdir: string): Phases {
  const t0 = now();
  const errors = validateApp(app);
  if (errors.length > 0) throw new Error(`validation failed: ${errors.slice(0, 3).join('; ')}`);
  const t1 = now();
  const charts = renderApp(app);
  const t2 = now();
  const texts = charts.map((c) => toYaml(c.objects));
  const t3 = now();
  fs.mkdirSync(outdir, { recursive: true });
  charts.forEach((c, i) => fs.writeFileSync(path.join(outdir, c.file), texts[i]));
  const t4 = now();
  return { validate: t1 - t0, render: t2 - t1, yaml: t3 - t2, write: t4 - t3 };
}

/** cdk8s's own synthesis: `chart.toJson()` per chart. */
function synthNaive(app: App): void {
  app.synth();
}

type WayId = 'ours' | 'naive';
const NAMES: Record<WayId, string> = { ours: 'ours (renderApp)', naive: 'cdk8s app.synth()' };

interface Sample {
  readonly build: number;
  readonly synth: number;
  readonly total: number;
  readonly phases?: Phases;
}

interface Timing extends Sample {
  readonly runs: number;
  readonly warmups: number;
}

/** Measured runs; `app.synth()` once above 100 charts (seconds per run) and not at all above NAIVE_MAX. */
function runs(way: WayId, n: number): number {
  if (way === 'naive') return n > NAIVE_MAX ? 0 : n <= 100 ? 9 : 1;
  if (n <= 100) return 9;
  if (n <= 1000) return 5;
  return 3;
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-bench-'));
}

function runOnce(way: WayId, n: number): Sample {
  const dir = tempDir();
  try {
    const t0 = now();
    const app = buildCharts(n, dir);
    const t1 = now();
    const phases = way === 'ours' ? synthOurs(app, dir) : (synthNaive(app), undefined);
    const t2 = now();
    return { build: t1 - t0, synth: t2 - t1, total: t2 - t0, phases };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Times both ways at one size, taking turns (see `runInterleaved`). */
function timeAll(n: number): Partial<Record<WayId, Timing>> {
  const ids: WayId[] = ['ours', 'naive'];
  const measured = runInterleaved(ids.map((id) => ({ id, runs: runs(id, n), once: () => runOnce(id, n) })));
  const out: Partial<Record<WayId, Timing>> = {};
  for (const id of ids) {
    const xs = measured[id].samples;
    if (xs.length === 0) continue;
    const m = (f: (s: Sample) => number) => median(xs.map(f));
    const phases = xs[0].phases
      ? {
          validate: m((s) => s.phases!.validate),
          render: m((s) => s.phases!.render),
          yaml: m((s) => s.phases!.yaml),
          write: m((s) => s.phases!.write),
        }
      : undefined;
    out[id] = {
      build: m((s) => s.build),
      synth: m((s) => s.synth),
      total: m((s) => s.total),
      phases,
      runs: xs.length,
      warmups: measured[id].warmups,
    };
  }
  return out;
}

/** Both ways write the same files with the same policies; says whether the bytes are identical too. */
function checkSameOutput(n: number): void {
  const a = tempDir();
  const b = tempDir();
  try {
    synthOurs(buildCharts(n, a), a);
    synthNaive(buildCharts(n, b));
    const files = fs.readdirSync(a).sort();
    const other = fs.readdirSync(b).sort();
    if (files.join() !== other.join()) {
      process.stderr.write(
        `N=${n}: the two ways write different files: ${files.slice(0, 3).join(', ')}… vs ${other.slice(0, 3).join(', ')}…\n`,
      );
      process.exit(1);
    }
    let identical = true;
    for (const f of files) {
      const x = fs.readFileSync(path.join(a, f), 'utf8');
      const y = fs.readFileSync(path.join(b, f), 'utf8');
      if (x === y) continue;
      identical = false;
      const problems = compareOutputs({ ours: x, naive: y });
      if (problems.length > 0) {
        process.stderr.write(`N=${n}: ${f} differs:\n${problems.map((p) => `  ${p}\n`).join('')}`);
        process.exit(1);
      }
    }
    process.stdout.write(
      `N=${n}: ${files.length} files, same policies: yes${identical ? ', byte-identical: yes' : ', byte-identical: no (order differs)'}\n\n`,
    );
  } finally {
    fs.rmSync(a, { recursive: true, force: true });
    fs.rmSync(b, { recursive: true, force: true });
  }
}

function main(args: string[]): void {
  const sizes = sizesFromArgs(args, [100, 1000, 5000]);
  checkSameOutput(Math.min(...sizes, 10));
  const rows: string[][] = [];
  const phaseRows: string[][] = [];
  const perChart: Array<[number, number]> = [];
  for (const n of sizes) {
    const t = timeAll(n);
    const ours = t.ours!;
    perChart.push([n, ours.total / n]);
    for (const id of ['ours', 'naive'] as WayId[]) {
      const x = t[id];
      if (!x) {
        rows.push([`${n}`, NAMES[id], '-', '-', '-', '-', '-', `not run (quadratic, N > ${NAIVE_MAX})`]);
        continue;
      }
      rows.push([
        `${n}`,
        NAMES[id],
        fmtMs(x.build),
        fmtMs(x.synth),
        fmtMs(x.total),
        fmtMs(x.total / n),
        `${x.warmups}+${x.runs}`,
        id === 'ours' ? '' : `ours ${fmtRatio(ours.total / x.total)}`,
      ]);
    }
    const ph = ours.phases!;
    phaseRows.push([`${n}`, fmtMs(ours.build), fmtMs(ph.validate), fmtMs(ph.render), fmtMs(ph.yaml), fmtMs(ph.write)]);
  }
  printTable(['charts', 'way', 'ms build', 'ms synth', 'ms total', 'ms/chart', 'warm-up+runs', 'vs ours'], rows);
  process.stdout.write('\nours, by phase (medians, ms):\n');
  printTable(['charts', 'build', 'validateApp', 'renderApp', 'toYaml', 'write files'], phaseRows);
  const [n0, c0] = perChart[0];
  const [n1, c1] = perChart[perChart.length - 1];
  process.stdout.write(`\nours: ${fmtMs(c0)} ms/chart at N=${n0}, ${fmtMs(c1)} ms/chart at N=${n1}\n`);
  if (n1 > n0)
    process.stdout.write(
      `target linear in charts (ms/chart at N=${n1} ≤ 1.25x N=${n0}): ${fmtRatio(c1 / c0)}, ${c1 / c0 <= 1.25 ? 'met' : 'MISSED'}\n`,
    );
  process.stdout.write(
    `(medians of the measured runs after a warm-up, the two ways taking turns; files written to a temporary folder; node ${process.version})\n`,
  );
}

main(process.argv.slice(2));
