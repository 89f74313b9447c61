/**
 * What does checking environment files cost a synth? Valid documents are checked on the plain
 * path, without zod; before it, the first environment loaded the schema and zod (95 modules).
 * The baseline is that load, run in the same bench: each job with `lib/env/schema.ts` required
 * first, beside the job as it is. Each runs in a process of its own, in turns, `runs` times (5
 * by default), for two jobs:
 *
 * - loading the example environments with `loadEnvironments` of `cdk8s-netpol/synth`
 *   (`lib/api/synth.ts`, required before the timing starts; one environment is laid over a
 *   Terraform output): CPU and wall clock of the loading alone, the schema required inside it;
 * - `netpol synth examples/index.ts examples/environments` (what `npm run synth` runs, lint
 *   included) into a temporary folder: CPU and wall clock of the whole process, the schema
 *   required before the program runs (`bench/private/require-first.mjs`).
 *
 * It prints the medians of the modules loaded through require (of them zod's, and the KB of
 * their files, counted by `bench/private/modules.js` at exit), of the CPU time and of the wall
 * clock, and each as a ratio to the run of the same job with the schema required first. Then,
 * in this process, the CPU time per example document on each path (warm; in µs) and their ratio.
 *
 *   node --import tsx bench/env-startup.ts [runs]
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseDataText } from '../lib/env/private/files';
import { plainEnvironment } from '../lib/env/private/plain-environment';
import { parseEnvironment as viaSchema } from '../lib/env/schema';
import { fmtMs, fmtRatio, median, now, printTable, runInterleaved, sizesFromArgs } from './private/timing';

const ROOT = path.resolve(__dirname, '..');
const MODULES = path.join(__dirname, 'private', 'modules.js');
const REQUIRE_FIRST = path.join(__dirname, 'private', 'require-first.mjs');
const SCHEMA = path.join(ROOT, 'lib', 'env', 'schema.ts');
const [runs] = sizesFromArgs(process.argv.slice(2), [5]);

interface Usage {
  readonly modules: number;
  readonly zod: number;
  readonly bytes: number;
  readonly cpuMs: number;
  readonly wallMs: number;
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-bench-env-startup-'));
const LOAD = `
const { loadEnvironments } = require('./lib/api/synth.ts');
const cpu = process.cpuUsage();
const start = process.hrtime.bigint();
if (process.env.NETPOL_BENCH_SCHEMA) require(process.env.NETPOL_BENCH_SCHEMA);
loadEnvironments(['examples/environments']);
const used = process.cpuUsage(cpu);
globalThis.netpolBenchPart = { cpuMs: (used.user + used.system) / 1000, wallMs: Number(process.hrtime.bigint() - start) / 1e6 };
`;

const JOBS: ReadonlyArray<{ readonly id: string; readonly args: readonly string[]; readonly part: boolean }> = [
  { id: 'loading the example environments', args: ['-e', LOAD], part: true },
  {
    id: 'netpol synth of the examples (process)',
    args: ['bin/netpol.ts', 'synth', 'examples/index.ts', 'examples/environments', '--outdir', path.join(work, 'dist')],
    part: false,
  },
];

/** Runs one job in a fresh process, with the schema required first or not; exits on failure. */
function runJob(job: (typeof JOBS)[number], schemaFirst: boolean): Usage {
  const out = path.join(work, 'modules.json');
  fs.rmSync(out, { force: true });
  const first = schemaFirst && !job.part ? ['--import', REQUIRE_FIRST] : [];
  const start = now();
  const r = spawnSync(process.execPath, ['--require', MODULES, '--import', 'tsx', ...first, ...job.args], {
    cwd: ROOT,
    env: {
      ...process.env,
      NETPOL_BENCH_MODULES: out,
      NETPOL_BENCH_REQUIRE_FIRST: schemaFirst && !job.part ? SCHEMA : '',
      NETPOL_BENCH_SCHEMA: schemaFirst && job.part ? SCHEMA : '',
    },
    encoding: 'utf8',
  });
  const wallMs = now() - start;
  if (r.status !== 0 || !fs.existsSync(out)) {
    process.stderr.write(`env-startup: ${job.id} failed (exit ${r.status}):\n${r.stderr}`);
    process.exit(1);
  }
  const u = JSON.parse(fs.readFileSync(out, 'utf8')) as Omit<Usage, 'wallMs'> & { wallMs?: number };
  return { ...u, wallMs: u.wallMs ?? wallMs };
}

try {
  const rows: string[][] = [];
  const samples = new Map<string, Usage[]>();
  const ways = JOBS.flatMap((job) => [
    { key: `${job.id}|yes`, job, schemaFirst: true },
    { key: `${job.id}|no`, job, schemaFirst: false },
  ]);
  // one unmeasured round, then rounds in which the order of the ways turns
  for (const w of ways) runJob(w.job, w.schemaFirst);
  for (let r = 0; r < runs; r++) {
    for (let k = 0; k < ways.length; k++) {
      const w = ways[(r + k) % ways.length];
      samples.set(w.key, [...(samples.get(w.key) ?? []), runJob(w.job, w.schemaFirst)]);
    }
  }
  const med = (key: string, f: (u: Usage) => number) => median(samples.get(key)!.map(f));
  for (const job of JOBS) {
    const base = `${job.id}|yes`;
    for (const way of ['yes', 'no']) {
      const key = `${job.id}|${way}`;
      const ratio = (f: (u: Usage) => number) => (way === 'yes' ? '' : fmtRatio(med(key, f) / med(base, f)));
      rows.push([
        job.id,
        way,
        String(med(key, (u) => u.modules)),
        String(med(key, (u) => u.zod)),
        String(Math.round(med(key, (u) => u.bytes) / 1024)),
        fmtMs(med(key, (u) => u.cpuMs)),
        fmtMs(med(key, (u) => u.wallMs)),
        ratio((u) => u.modules),
        ratio((u) => u.cpuMs),
        ratio((u) => u.wallMs),
      ]);
    }
  }
  process.stdout.write(
    `node ${process.version}, ${os.cpus().length} CPUs; medians of ${runs} runs each, in turns, after one unmeasured round\n\n`,
  );
  printTable(['job', 'schema required first', 'modules', 'zod', 'KB', 'ms cpu', 'ms wall', 'modules ×', 'cpu ×', 'wall ×'], rows);

  // Per document, in this process: both paths warm, their answers the same.
  const documents = ['dev.yaml', 'staging.yaml'].map((f) => {
    const file = path.join(ROOT, 'examples', 'environments', f);
    return parseDataText(fs.readFileSync(file, 'utf8'), file);
  });
  for (const doc of documents) {
    if (plainEnvironment(doc) === undefined) throw new Error('the plain path declined an example environment');
  }
  const PER_RUN = 200;
  const cpu = (fn: (doc: unknown) => unknown) => () => {
    const start = process.cpuUsage();
    for (let i = 0; i < PER_RUN; i++) for (const d of documents) fn(d);
    const used = process.cpuUsage(start);
    return { total: (used.user + used.system) / 1000 };
  };
  const measured = runInterleaved([
    { id: 'plain', runs: 15, once: cpu((d: unknown) => plainEnvironment(d)) },
    { id: 'schema', runs: 15, once: cpu((d: unknown) => viaSchema(d, 'env.yaml')) },
  ]);
  const perDoc = (id: string) => (median(measured[id].samples.map((s) => s.total)) * 1000) / (PER_RUN * documents.length);
  process.stdout.write('\n');
  printTable(
    ['example document (dev, staging)', 'µs cpu', 'plain / schema'],
    [
      ['plain path', perDoc('plain').toFixed(1), fmtRatio(perDoc('plain') / perDoc('schema'))],
      ['schema (zod)', perDoc('schema').toFixed(1), ''],
    ],
  );
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
