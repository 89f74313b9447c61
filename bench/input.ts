/**
 * Does reading manifests stay linear in the size of the input? Parses hostile and large inputs
 * at two sizes, a quarter and the whole, and prints the CPU time of each and the ratio: linear
 * reading costs about 4x for 4x the input (the `yaml` package's own duplicate-key check made a
 * 40,000-key mapping cost 8.8x a 10,000-key one). Baseline and measured run in this process,
 * in turns, medians of several runs.
 *
 *   node --import tsx bench/input.ts
 */
import { parseManifestText } from '../lib/io/documents';
import { median } from './private/timing';

interface Case {
  readonly name: string;
  /** The input at size `n`. */
  readonly text: (n: number) => string;
  /** Sizes: the quarter, then the whole. */
  readonly sizes: readonly [number, number];
  /** True when the input is refused by a limit (the time to refuse is what counts). */
  readonly refused?: boolean;
}

const CASES: Case[] = [
  {
    name: 'one mapping of N keys',
    sizes: [10_000, 40_000],
    text: (n) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n${Array.from({ length: n }, (_, i) => `  k${i}: v${i}\n`).join('')}`,
  },
  {
    name: 'N pods, one document each',
    sizes: [2_500, 10_000],
    text: (n) =>
      Array.from(
        { length: n },
        (_, i) =>
          `---\napiVersion: v1\nkind: Pod\nmetadata: {name: p${i}, namespace: ns${i % 50}, labels: {app: a${i % 300}}}\nspec: {containers: [{name: c, image: x, ports: [{containerPort: 8080, name: http}]}]}\nstatus: {podIP: 10.0.${(i >> 8) & 255}.${i & 255}}\n`,
      ).join(''),
  },
  {
    name: 'a List of N pods',
    sizes: [2_500, 10_000],
    text: (n) =>
      `apiVersion: v1\nkind: List\nitems:\n${Array.from(
        { length: n },
        (_, i) => `- {apiVersion: v1, kind: Pod, metadata: {name: p${i}, namespace: ns${i % 50}, labels: {app: a${i % 300}}}}\n`,
      ).join('')}`,
  },
  {
    // the yaml package finds each alias's anchor by a scan (quadratic): 1,000 aliases a file is the limit
    name: 'N anchors each aliased once',
    sizes: [250, 1_000],
    text: (n) =>
      `a: [${Array.from({ length: n }, (_, i) => `&a${i} {x: ${i}}`).join(', ')}]\nb: [${Array.from({ length: n }, (_, i) => `*a${i}`).join(', ')}]\n`,
  },
  {
    name: 'flow lists nested N deep (refused)',
    sizes: [25_000, 100_000],
    refused: true,
    text: (n) => `a: ${'['.repeat(n)}${']'.repeat(n)}\n`,
  },
  {
    name: 'N empty documents (refused past 100,000)',
    sizes: [25_000, 100_001],
    text: (n) => '---\n'.repeat(n),
  },
];

function cpuMs(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function parse(text: string): void {
  try {
    parseManifestText(text, 'bench.yaml');
  } catch (e) {
    if ((e as { name?: string }).name !== 'NetpolError') throw e;
  }
}

const RUNS = Number(process.env.RUNS ?? 5);
const rows: string[] = ['| input | N (quarter) | CPU ms | N (whole) | CPU ms | ratio |', '| --- | ---: | ---: | ---: | ---: | ---: |'];
for (const c of CASES) {
  const [small, large] = c.sizes.map((n) => c.text(n));
  parse(small); // warm-up
  parse(large);
  const times: [number[], number[]] = [[], []];
  for (let r = 0; r < RUNS; r++) {
    times[0].push(cpuMs(() => parse(small)));
    times[1].push(cpuMs(() => parse(large)));
  }
  const [a, b] = times.map(median);
  rows.push(
    `| ${c.name} | ${c.sizes[0].toLocaleString('en-US')} | ${a.toFixed(0)} | ${c.sizes[1].toLocaleString('en-US')} | ${b.toFixed(0)} | ${(b / a).toFixed(1)}x |`,
  );
}
process.stdout.write(`${rows.join('\n')}\n\nCPU time, median of ${RUNS} runs; linear is about 4x.\n`);
