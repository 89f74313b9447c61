/**
 * How fast is reading manifests next to `JSON.parse` of the same data? Generates a cluster
 * (bench/private/cluster-fixture.ts), keeps every file's text in memory, and parses all of it
 * in turns in this process with:
 *
 * - `JSON.parse` of the same objects written as JSON (the floor: no reader of text is faster);
 * - js-yaml's `loadAll` alone (what the fast path costs without its checks);
 * - `parseManifestText`, the reader every verb uses (the fast path, with the full reader for
 *   what it leaves over);
 * - the full reader alone (the `yaml` package's syntax tree, as every file was read before the
 *   fast path);
 * - `parseAllDocuments` of the `yaml` package (how the reader began).
 *
 * Prints the median milliseconds of each and its ratio to `JSON.parse`. The target: the reader
 * within 10x of `JSON.parse`.
 *
 *   node --import tsx bench/parse.ts [small|medium|wide|large] [--runs N]
 */
import * as jsYaml from 'js-yaml';
import { parseAllDocuments } from 'yaml';
import { parseManifestText } from '../lib/io/documents';
import { readYamlFully } from '../lib/io/private/full-yaml';
import { DEFAULT_INPUT_LIMITS } from '../lib/io/private/limits';
import { CLUSTER_SIZES, generateCluster, serialize } from './private/cluster-fixture';
import { fmtMs, fmtRatio, median, now, printTable, runInterleaved } from './private/timing';

function main(): void {
  const args = process.argv.slice(2);
  const runsAt = args.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 5;
  const sizeName = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--runs') ?? 'large';
  const shape = CLUSTER_SIZES[sizeName];
  if (!shape || !(runs >= 1)) {
    process.stderr.write(`usage: bench/parse.ts [${Object.keys(CLUSTER_SIZES).join('|')}] [--runs N]\n`);
    process.exit(2);
  }
  const { cluster, policies } = generateCluster(shape);
  const files = [...cluster.values(), ...policies.values()];
  const yamlTexts = files.map((objects) => serialize(objects, 'yaml'));
  const jsonTexts = files.map((objects) => serialize(objects, 'json'));
  const bytes = yamlTexts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  const jsonBytes = jsonTexts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  const objects = files.reduce((n, f) => n + f.length, 0);

  // Every reader must find the same objects before any is timed.
  const count = (read: (text: string) => number) => yamlTexts.reduce((n, t) => n + read(t), 0);
  const counts = {
    ours: count((t) => parseManifestText(t, 'x.yaml').length),
    jsYaml: count((t) => jsYaml.loadAll(t).filter((d) => d !== null).length),
    full: count((t) => {
      let n = 0;
      readYamlFully(t, 'x.yaml', {}, DEFAULT_INPUT_LIMITS, (v) => (n += v === null ? 0 : 1));
      return n;
    }),
  };
  if (counts.ours !== objects || counts.jsYaml !== objects || counts.full !== objects) {
    process.stderr.write(`the readers disagree on the number of objects: ${JSON.stringify({ objects, ...counts })}\n`);
    process.exit(1);
  }

  const timed = (work: () => void) => () => {
    const t0 = now();
    work();
    return { total: now() - t0 };
  };
  const contenders = [
    { id: 'JSON.parse (same objects as JSON)', runs, once: timed(() => jsonTexts.forEach((t) => JSON.parse(t))) },
    { id: 'js-yaml loadAll alone', runs, once: timed(() => yamlTexts.forEach((t) => jsYaml.loadAll(t))) },
    { id: 'parseManifestText (the reader)', runs, once: timed(() => yamlTexts.forEach((t) => parseManifestText(t, 'x.yaml'))) },
    {
      id: 'full reader alone (yaml syntax tree)',
      runs,
      once: timed(() => yamlTexts.forEach((t) => readYamlFully(t, 'x.yaml', {}, DEFAULT_INPUT_LIMITS, () => undefined))),
    },
    {
      id: 'yaml parseAllDocuments',
      runs,
      once: timed(() => yamlTexts.forEach((t) => parseAllDocuments(t, { uniqueKeys: false }))),
    },
  ];
  const measured = runInterleaved(contenders, { warmupMs: 1000, maxWarmup: 3 });
  const floor = median(measured[contenders[0].id].samples.map((s) => s.total));
  process.stdout.write(
    `${sizeName}: ${files.length} files, ${objects.toLocaleString('en-US')} objects, ${(bytes / 1048576).toFixed(1)} MiB YAML (${(jsonBytes / 1048576).toFixed(1)} MiB as JSON), median of ${runs} runs\n\n`,
  );
  printTable(
    ['reader', 'ms', 'x JSON.parse', 'MiB/s'],
    contenders.map((c) => {
      const ms = median(measured[c.id].samples.map((s) => s.total));
      return [c.id, fmtMs(ms), fmtRatio(ms / floor), ((bytes / 1048576) * (1000 / ms)).toFixed(1)];
    }),
  );
}

main();
