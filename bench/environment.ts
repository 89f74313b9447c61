/**
 * Does loading an environment stay linear in the number of CIDRs? An environment file with N
 * named CIDRs (`c<i>: 10.x.y.0/24`) is written to a temporary folder and loaded with
 * `Environment.load` (YAML parse, duplicate-key check, schema, one `IpBlock.of` per CIDR), for
 * N = 12,500, 25,000 and 50,000 by default. The baseline is the smallest N, run in the same
 * process: a linear loader costs 4× its CPU time at 4× the CIDRs. For comparison, the same text
 * is parsed by the `yaml` package with its own duplicate-key check (`uniqueKeys: true`, its
 * default), which compares every key of a mapping with every other.
 *
 *   node --import tsx bench/environment.ts [N...]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { Environment } from '../lib/env';

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const N = sizes.length > 0 ? sizes : [12_500, 25_000, 50_000];

function cpuMs(fn: () => unknown): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function environmentText(n: number): string {
  const lines = ['name: big', 'cidrs:'];
  for (let i = 0; i < n; i++) lines.push(`  c${i}: 10.${(i >> 8) & 255}.${i & 255}.0/24`);
  return `${lines.join('\n')}\n`;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-bench-env-'));
try {
  // warm-up: the code paths compiled before anything is measured
  const warm = path.join(dir, 'warm.yaml');
  fs.writeFileSync(warm, environmentText(2_000));
  for (let i = 0; i < 3; i++) Environment.load(warm);

  const rows: string[] = [];
  let base: { n: number; ms: number; yaml: number } | undefined;
  for (const n of N) {
    const file = path.join(dir, `env-${n}.yaml`);
    const text = environmentText(n);
    fs.writeFileSync(file, text);
    let names = 0;
    const ms = Math.min(...[0, 1, 2].map(() => cpuMs(() => (names = Environment.load(file).cidrNames().length))));
    if (names !== n) throw new Error(`loaded ${names} CIDRs of ${n}`);
    const yaml = n <= 25_000 ? cpuMs(() => parseAllDocuments(text, { uniqueKeys: true })) : NaN;
    base ??= { n, ms, yaml };
    const ratio = (x: number, b: number) => (Number.isNaN(x) ? '-' : `${(x / b).toFixed(2)}x`);
    rows.push(
      `| ${String(n).padStart(6)} | ${ms.toFixed(0).padStart(8)} | ${((ms / n) * 1000).toFixed(1).padStart(6)} | ${`${(n / base.n).toFixed(1)}x`.padStart(6)} | ${ratio(ms, base.ms).padStart(7)} | ${(Number.isNaN(yaml) ? '-' : yaml.toFixed(0)).padStart(12)} | ${ratio(yaml, base.yaml).padStart(12)} |`,
    );
  }
  process.stdout.write(
    [
      `Environment.load of N named CIDRs, CPU ms (best of 3), node ${process.version}, ${os.cpus().length} CPUs`,
      '',
      '|  CIDRs | ms (CPU) | µs/CIDR | size × | time × | yaml uniqueKeys ms | yaml time × |',
      '|-------:|---------:|--------:|-------:|-------:|-------------------:|------------:|',
      ...rows,
      '',
      'yaml uniqueKeys: the yaml package parsing the same text with its quadratic duplicate-key check (not run above 25,000).',
      '',
    ].join('\n'),
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
