/**
 * `netpol diagram --policies <path>... [--cluster <path>...] [--output mermaid|dot|svg|html]
 * [--out-file FILE] [--namespace <ns>...] [--fold auto|none|namespaces|merge] [--max-groups N]
 * [--max-edges N] [--ipblock-pods match|ignore] [--skip-invalid] [--legacy-cidrs]`: draws who may
 * talk to whom. Without `--cluster`, the pod groups are inferred from the policies. Past N pod
 * groups (100), every namespace is folded into one box, and past N arrows between those boxes
 * (300), namespaces with the same connections share a box; a line on stderr says so. Exit 0 with the diagram
 * on stdout or in FILE; 2 on usage errors and bad input; 3 when the diagram cannot be written.
 */
import * as path from 'path';
import { Option } from 'commander';
import type { DefineCommand } from './index';
import { emit, EXIT, OUT_FILE_HELP, printWarning, runVerb } from '../cli-util';
import { podCidrOption, podCidrs } from '../pod-cidrs';

interface DiagramFlags {
  readonly policies: string[];
  readonly cluster?: string[];
  readonly output?: 'mermaid' | 'dot' | 'svg' | 'html';
  /** The former name of --output. */
  readonly format?: 'mermaid' | 'dot' | 'svg' | 'html';
  readonly outFile?: string;
  readonly namespace?: string[];
  readonly fold: 'auto' | 'none' | 'namespaces' | 'merge';
  readonly maxGroups: string;
  readonly maxEdges: string;
  readonly ipblockPods: 'match' | 'ignore';
  readonly skipInvalid?: boolean;
  readonly legacyCidrs?: boolean;
  readonly podCidr: string[];
}

const BY_EXTENSION: Record<string, 'mermaid' | 'dot' | 'svg' | 'html'> = {
  '.mmd': 'mermaid',
  '.mermaid': 'mermaid',
  '.dot': 'dot',
  '.gv': 'dot',
  '.svg': 'svg',
  '.html': 'html',
  '.htm': 'html',
};

/**
 * The format a file name asks for. An extension that names no format of ours (`x.pdf`, `x.png`,
 * none at all) is a usage error rather than Mermaid text under a name that promises something else.
 */
function formatOfFile(file: string): 'mermaid' | 'dot' | 'svg' | 'html' {
  const { NetpolError } = require('../../lib/model/errors') as typeof import('../../lib/model/errors');
  const ext = path.extname(file).toLowerCase();
  const format = Object.prototype.hasOwnProperty.call(BY_EXTENSION, ext) ? BY_EXTENSION[ext] : undefined;
  if (format) return format;
  const known = Object.keys(BY_EXTENSION)
    .map((e) => `*${e}`)
    .join(', ');
  const convert =
    ext === '.pdf' || ext === '.png'
      ? `; for ${ext.slice(1).toUpperCase()}, write DOT and convert it (-o dot | dot -T${ext.slice(1)})`
      : '';
  throw NetpolError.of(
    'diagram.format',
    '--out-file',
    `"${file}" ${ext ? `ends in ${ext}, which is no diagram format` : 'has no extension'}; name the ` +
      `file ${known}, or give -o mermaid, dot, svg or html${convert}`,
  );
}

/** The value of --max-groups: a whole number, 0 or more. */
function maxGroupsOf(value: string): number {
  if (/^\d{1,9}$/.test(value.trim())) return Number(value.trim());
  const { NetpolError } = require('../../lib/model/errors') as typeof import('../../lib/model/errors');
  throw NetpolError.of(
    'diagram.max-groups',
    '--max-groups',
    `"${value}" is not a number of pod groups; give a whole number, e.g. --max-groups 200`,
  );
}

/** The value of --max-edges: a whole number, 0 or more. */
function maxEdgesOf(value: string): number {
  if (/^\d{1,9}$/.test(value.trim())) return Number(value.trim());
  const { NetpolError } = require('../../lib/model/errors') as typeof import('../../lib/model/errors');
  throw NetpolError.of(
    'diagram.max-edges',
    '--max-edges',
    `"${value}" is not a number of arrows; give a whole number, e.g. --max-edges 400`,
  );
}

/** Declares the `diagram` verb. */
export const defineDiagram: DefineCommand = (program) => {
  program
    .command('diagram')
    .description('draw who may talk to whom: pod groups per namespace and external addresses, edges labelled with protocols and ports')
    .requiredOption(
      '--policies <path...>',
      'NetworkPolicy manifests: files, or folders to search for *.yaml, *.yml and *.json; - reads standard input',
    )
    .option(
      '--cluster <path...>',
      'Namespace, Pod and workload manifests of the whole cluster (default: the workloads beside the policies, and pod groups inferred from the policies)',
    )
    .addOption(podCidrOption())
    .addOption(
      new Option(
        '-o, --output <format>',
        'mermaid (for Markdown), dot (Graphviz), svg, or html (one page with the drawing and the ' +
          'reachability matrix); default: from the --out-file extension, else mermaid',
      ).choices(['mermaid', 'dot', 'svg', 'html']),
    )
    .addOption(new Option('-f, --format <format>', 'the former name of --output').choices(['mermaid', 'dot', 'svg', 'html']).hideHelp())
    .option('--out-file <file>', OUT_FILE_HELP)
    .option('-n, --namespace <ns...>', "only these namespaces' pod groups and what they talk to")
    .addOption(
      new Option(
        '--fold <mode>',
        'auto: one box per namespace when more than --max-groups pod groups would be drawn, and namespaces with the same ' +
          'connections in one box when those boxes would have more than --max-edges arrows; namespaces: always one box ' +
          'per namespace; merge: always, and namespaces with the same connections in one box; none: never',
      )
        .choices(['auto', 'none', 'namespaces', 'merge'])
        .default('auto'),
    )
    .option('--max-groups <n>', 'the most pod groups drawn one by one before --fold auto folds the namespaces', '100')
    .option(
      '--max-edges <n>',
      'the most arrows between namespace boxes and address groups before --fold auto merges namespaces with the same connections ' +
        '(Mermaid draws at most 500 by default)',
      '300',
    )
    .addOption(
      new Option('--ipblock-pods <mode>', 'whether ipBlocks match pod IPs (match) or only external addresses (ignore)')
        .choices(['match', 'ignore'])
        .default('match'),
    )
    .option('--skip-invalid', 'skip what cannot be read with a warning instead of failing')
    .option('--legacy-cidrs', 'accept ipBlock CIDRs as API servers up to 1.35 do (host bits, leading zeros)')
    .action((flags: DiagramFlags) =>
      runVerb(
        async () => {
          // loaded here so that `netpol --help` does not load the library
          const io = require('../../lib/io') as typeof import('../../lib/io');
          const analysis = require('../../lib/analysis') as typeof import('../../lib/analysis');
          const { clusterPicture } = require('../../lib/analysis/picture') as typeof import('../../lib/analysis/picture');
          const diagram = require('../../lib/report/diagram') as typeof import('../../lib/report/diagram');
          const format = flags.output ?? flags.format ?? (flags.outFile ? formatOfFile(flags.outFile) : 'mermaid');
          const maxGroups = maxGroupsOf(flags.maxGroups);
          const maxEdges = maxEdgesOf(flags.maxEdges);
          const read = {
            skipInvalid: flags.skipInvalid === true,
            legacyCidrs: flags.legacyCidrs === true,
            onWarning: printWarning,
          };
          // with --cluster, the whole cluster; without, the workloads beside the policies and groups for what they select
          const input = io.readAnalysisInput(flags.policies, flags.cluster ?? flags.policies, read);
          const cluster = clusterPicture(input.policies, {
            known: { ...input.cluster, complete: flags.cluster !== undefined },
            clusterPolicies: input.clusterPolicies,
          });
          const result = analysis.analyze(input.policies, cluster, {
            ipBlockPods: flags.ipblockPods,
            podCidrs: podCidrs(flags.podCidr),
            clusterPolicies: input.clusterPolicies,
          });
          const graph = diagram.buildDiagram(result, { namespaces: flags.namespace, fold: flags.fold, maxGroups, maxEdges });
          const text = await diagram.formatDiagram(graph, { format, source: flags.policies.join(', ') });
          if (graph.folded) process.stderr.write(`netpol: ${graph.folded.caption}\n`);
          emit(text, flags.outFile);
          if (flags.outFile) process.stderr.write(`netpol: wrote ${format} diagram to ${flags.outFile}\n`);
          return EXIT.ok;
        },
        { format: '--output', namespaces: '--namespace', fold: '--fold', maxGroups: '--max-groups', maxEdges: '--max-edges' },
      ),
    );
};
