/**
 * Every verb of the CLI on a cluster shaped like a real one (bench/private/cluster-fixture.ts),
 * each as a ratio to reading the same input: the time and peak memory that `netpol validate`,
 * `lint`, `reach`, `explain`, `diff` and `diagram` take over what parsing the manifests into
 * the model takes anyway.
 *
 *   node --import tsx bench/cluster.ts [size] [options]
 *
 *   size               small (100 policies, 500 pods), medium (1,000 / 2,500), wide (3,000 /
 *                      2,500), large (3,000 / 10,000, 200 namespaces); default: medium
 *   --policies N --pods N --namespaces N --replicas N --seed N   change the shape
 *   --format yaml|list|json   one document per object, a List per file, or JSON (default yaml)
 *   --open P           the share of namespaces without any policy (default 0.1)
 *   --verbs a,b        only these rows (ids as printed, e.g. lint-cluster,reach-json)
 *   --runs N           runs of each verb (each after a read of its input; default 1)
 *   --timeout S        seconds before a verb is stopped and reported as killed (default 300)
 *   --keep DIR         write the fixture into DIR and leave it there
 *   --build DIR        run the CLI and reader compiled into DIR (a copy of build/ made before a
 *                      change, inside this checkout so that it finds node_modules), without building
 *
 * Each verb runs as the CLI runs (`node build/bin/netpol.js ...`, in a process of its own, its
 * output to a file); the baseline is a process that reads the same paths with
 * `readManifests` and does nothing else. Before each run of a verb, its baseline runs once, so
 * that load from elsewhere on the machine falls on both alike; ratios are of medians. Time is
 * the wall clock from start to exit (Node's start-up included in both); peak memory is the
 * process's maximum resident set. `npm run build` runs first when build/ is older than lib/.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CLUSTER_SIZES, ClusterShape, WrittenCluster, writeCluster } from './private/cluster-fixture';
import { fmtRatio, median, now, printTable } from './private/timing';

const ROOT = path.resolve(__dirname, '..');
let BUILD = path.join(ROOT, 'build');
const RUSAGE = path.join(__dirname, 'private', 'rusage.js');

/** One row of the bench: a command line and the paths it reads. */
interface Verb {
  readonly id: string;
  /** The verb as a user types it, for the table. */
  readonly label: string;
  readonly args: string[];
  /** The paths the verb reads: its baseline reads the same. */
  readonly input: string[];
  /** The most the verb may take, as a multiple of reading its input, time and memory alike. */
  readonly target?: number;
}

/** The verbs as today's CLI spells them. */
function verbs(c: WrittenCluster): Verb[] {
  const both = ['--policies', c.policies, '--cluster', c.cluster];
  return [
    { id: 'validate', label: 'validate policies/', args: ['validate', c.policies], input: [c.policies], target: 3 },
    { id: 'lint', label: 'lint policies/', args: ['lint', c.policies], input: [c.policies], target: 3 },
    {
      id: 'lint-cluster',
      label: 'lint policies/ --cluster cluster/',
      args: ['lint', c.policies, '--cluster', c.cluster],
      input: [c.policies, c.cluster],
      target: 3,
    },
    { id: 'reach', label: 'reach (table)', args: ['reach', ...both], input: [c.policies, c.cluster], target: 5 },
    { id: 'reach-json', label: 'reach -o json', args: ['reach', ...both, '-o', 'json'], input: [c.policies, c.cluster], target: 5 },
    // every pair of workloads, however many: the output is written while it is worked out
    {
      id: 'reach-pairs',
      label: 'reach --detail workloads',
      args: ['reach', ...both, '--detail', 'workloads'],
      input: [c.policies, c.cluster],
      target: 5,
    },
    {
      id: 'reach-json-pairs',
      label: 'reach -o json --detail workloads',
      args: ['reach', ...both, '-o', 'json', '--detail', 'workloads'],
      input: [c.policies, c.cluster],
      target: 5,
    },
    {
      id: 'explain',
      label: `explain ${c.probe.from} → ${c.probe.to} ${c.probe.port}`,
      args: ['explain', ...both, '--from', c.probe.from, '--to', c.probe.to, '--port', c.probe.port],
      input: [c.policies, c.cluster],
    },
    {
      id: 'diff',
      label: 'diff policies/ policies-after/ --cluster cluster/',
      args: ['diff', c.policies, c.policiesAfter, '--cluster', c.cluster],
      input: [c.policies, c.policiesAfter, c.cluster],
      target: 3,
    },
    { id: 'diagram', label: 'diagram (mermaid)', args: ['diagram', ...both], input: [c.policies, c.cluster], target: 3 },
    { id: 'diagram-svg', label: 'diagram -o svg', args: ['diagram', ...both, '-o', 'svg'], input: [c.policies, c.cluster], target: 3 },
  ];
}

/** What one process run measured. */
interface Run {
  readonly ms: number;
  readonly cpuMs?: number;
  readonly rssMb?: number;
  readonly exit: number | null;
  readonly signal: string | null;
  readonly killed: boolean;
  readonly outBytes: number;
  readonly lastError: string;
}

/** Runs `node <args>` with the rusage preload, its output to a file, within the timeout. */
function runNode(args: string[], workDir: string, timeoutS: number): Run {
  const usage = path.join(workDir, 'rusage.json');
  const outFile = path.join(workDir, 'out.txt');
  fs.rmSync(usage, { force: true });
  const out = fs.openSync(outFile, 'w');
  const t0 = now();
  const r = spawnSync(process.execPath, ['--require', RUSAGE, ...args], {
    cwd: ROOT,
    stdio: ['ignore', out, 'pipe'],
    env: { ...process.env, NETPOL_BENCH_RUSAGE: usage },
    timeout: timeoutS * 1000,
    killSignal: 'SIGKILL',
    maxBuffer: 64 << 20,
  });
  const ms = now() - t0;
  fs.closeSync(out);
  let cpuMs: number | undefined;
  let rssMb: number | undefined;
  if (fs.existsSync(usage)) {
    const u = JSON.parse(fs.readFileSync(usage, 'utf8')) as { maxRssKb: number; userMs: number; systemMs: number };
    cpuMs = u.userMs + u.systemMs;
    rssMb = u.maxRssKb / 1024;
  }
  const stderr = (r.stderr ?? Buffer.alloc(0)).toString('utf8').trim().split('\n');
  return {
    ms,
    cpuMs,
    rssMb,
    exit: r.status,
    signal: r.signal,
    killed: r.error !== undefined && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT',
    outBytes: fs.statSync(outFile).size,
    lastError: stderr.filter((l) => l.trim() !== '').slice(-1)[0] ?? '',
  };
}

/** The baseline: a process that reads the paths into the model and stops. */
function readArgs(paths: string[]): string[] {
  const script = `require(${JSON.stringify(path.join(BUILD, 'lib', 'io'))}).readManifests(process.argv.slice(1));`;
  return ['-e', script, ...paths];
}

/** Runs `npm run build` when build/ is missing or older than a source of lib/ or bin/. */
function ensureBuild(): void {
  const newest = (dir: string): number => {
    let t = 0;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      t = Math.max(t, e.isDirectory() ? newest(p) : e.name.endsWith('.ts') ? fs.statSync(p).mtimeMs : 0);
    }
    return t;
  };
  const CLI = path.join(BUILD, 'bin', 'netpol.js');
  const built = fs.existsSync(CLI) ? fs.statSync(CLI).mtimeMs : 0;
  if (built >= Math.max(newest(path.join(ROOT, 'lib')), newest(path.join(ROOT, 'bin')))) return;
  process.stderr.write('build/ is missing or older than the sources; running npm run build\n');
  const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  if (r.status !== 0 && !fs.existsSync(CLI)) {
    process.stderr.write('cluster.ts: npm run build failed; run it to see why\n');
    process.exit(1);
  }
}

interface Options {
  shape: ClusterShape;
  size: string;
  only?: string[];
  runs: number;
  timeout: number;
  keep?: string;
  build?: string;
}

function parseArgs(args: string[]): Options {
  let size = 'medium';
  let shape = { ...CLUSTER_SIZES.medium };
  const o: Partial<Options> = { runs: 1, timeout: 300 };
  const int = (flag: string, v: string | undefined) => {
    if (!v || !/^[0-9]+$/.test(v)) fail(`${flag} takes a whole number, got ${JSON.stringify(v ?? '')}`);
    return Number(v);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (CLUSTER_SIZES[a]) {
      size = a;
      shape = { ...CLUSTER_SIZES[a] };
    } else if (['--policies', '--pods', '--namespaces', '--replicas', '--seed'].includes(a)) {
      shape = { ...shape, [a.slice(2)]: int(a, args[++i]) };
      size = 'custom';
    } else if (a === '--open') {
      const v = Number(args[++i]);
      if (!(v >= 0 && v <= 1)) fail(`--open takes a share from 0 to 1, got ${JSON.stringify(args[i] ?? '')}`);
      shape = { ...shape, open: v };
      size = 'custom';
    } else if (a === '--format') {
      const f = args[++i];
      if (f !== 'yaml' && f !== 'list' && f !== 'json') fail(`--format takes yaml, list or json, got ${JSON.stringify(f ?? '')}`);
      shape = { ...shape, format: f };
    } else if (a === '--verbs') o.only = (args[++i] ?? '').split(',');
    else if (a === '--runs') o.runs = int(a, args[++i]);
    else if (a === '--timeout') o.timeout = int(a, args[++i]);
    else if (a === '--keep') o.keep = args[++i];
    else if (a === '--build') o.build = path.resolve(args[++i] ?? '');
    else
      fail(
        `unknown argument ${JSON.stringify(a)}; give a size (${Object.keys(CLUSTER_SIZES).join(', ')}) and options as the header of bench/cluster.ts says`,
      );
  }
  return { ...(o as Options), shape, size };
}

function fail(message: string): never {
  process.stderr.write(`cluster.ts: ${message}\n`);
  process.exit(2);
}

const mb = (x: number | undefined) => (x === undefined ? '-' : x.toFixed(0));
const sec = (ms: number) => (ms / 1000).toFixed(2);

function main(): void {
  const o = parseArgs(process.argv.slice(2));
  if (o.build) BUILD = o.build;
  else ensureBuild();
  const CLI = path.join(BUILD, 'bin', 'netpol.js');
  const dir = o.keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-cluster-'));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-cluster-run-'));
  try {
    const c = writeCluster(dir, o.shape);
    const all = verbs(c);
    const unknown = (o.only ?? []).filter((id) => !all.some((v) => v.id === id));
    if (unknown.length > 0) fail(`no verb ${unknown.join(', ')}; the verbs are ${all.map((v) => v.id).join(', ')}`);
    const chosen = o.only ? all.filter((v) => o.only!.includes(v.id)) : all;
    process.stdout.write(
      `cluster ${o.size}: ${c.counts.policies} policies (${c.counts.policiesAfter} after), ${c.counts.pods} pods in ${c.counts.workloads} workloads, ` +
        `${c.counts.namespaces} namespaces (${Math.round(o.shape.open * 100)}% without policies), ${(c.bytes / 1024 / 1024).toFixed(1)} MB of ${o.shape.format} (seed ${o.shape.seed}); ` +
        `${os.cpus().length} CPUs, node ${process.version}, timeout ${o.timeout} s\n\n`,
    );
    const reads = new Map<string, Run[]>();
    const rows: string[][] = [];
    const verdicts: string[] = [];
    for (const v of chosen) {
      const key = v.input.join('\0');
      const runs: Run[] = [];
      for (let i = 0; i < o.runs; i++) {
        const base = runNode(readArgs(v.input), work, o.timeout);
        if (base.exit !== 0) fail(`reading the input failed: ${base.lastError}`);
        reads.set(key, [...(reads.get(key) ?? []), base]);
        runs.push(runNode([CLI, ...v.args], work, o.timeout));
        process.stderr.write(`${v.id}: ${sec(runs[runs.length - 1].ms)} s\n`);
      }
      const read = reads.get(key)!;
      const readMs = median(read.map((r) => r.ms));
      const readRss = median(read.map((r) => r.rssMb ?? 0));
      const last = runs[runs.length - 1];
      const failed = runs.find((r) => r.killed || r.signal !== null || r.exit === null || r.exit >= 2);
      const ms = median(runs.map((r) => r.ms));
      const rss = runs.every((r) => r.rssMb !== undefined) ? median(runs.map((r) => r.rssMb!)) : undefined;
      const cpu = runs.every((r) => r.cpuMs !== undefined) ? median(runs.map((r) => r.cpuMs!)) : undefined;
      const status = failed
        ? failed.killed
          ? `killed after ${o.timeout} s`
          : `exit ${failed.exit ?? failed.signal}: ${failed.lastError.slice(0, 80)}`
        : `exit ${last.exit}`;
      const tRatio = ms / readMs;
      const mRatio = rss === undefined ? undefined : rss / readRss;
      let verdict = '-';
      if (v.target !== undefined) {
        verdict = !failed && tRatio <= v.target && (mRatio ?? Infinity) <= v.target ? 'met' : 'MISSED';
        verdicts.push(`${v.id} within ${v.target}x of the read: ${verdict}`);
      }
      rows.push([
        v.id,
        status,
        sec(readMs),
        failed?.killed ? `>${o.timeout}` : sec(ms),
        failed?.killed ? '-' : fmtRatio(tRatio),
        cpu === undefined ? '-' : sec(cpu),
        mb(readRss),
        mb(rss),
        mRatio === undefined ? '-' : fmtRatio(mRatio),
        (last.outBytes / 1024).toFixed(0),
        v.target === undefined ? '-' : `${v.target}x`,
        verdict,
      ]);
    }
    printTable(
      ['verb', 'result', 's read', 's verb', 'time ×read', 's cpu', 'MB read', 'MB verb', 'memory ×read', 'KB out', 'target', ''],
      rows,
    );
    process.stdout.write(`\n${chosen.map((v) => `${v.id}: netpol ${v.label}`).join('\n')}\n`);
    process.stdout.write(`(medians of ${o.runs} run(s) each; wall clock and peak RSS of whole processes, Node start-up included)\n`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    if (!o.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
