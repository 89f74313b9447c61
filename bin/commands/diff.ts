/**
 * `netpol diff <before> <after> [--cluster <path>...] [--output text|json|markdown]
 * [--detail auto|groups|workloads] [--fail-on-added]`, or `netpol diff --base <git-rev> [--synth <command>] <path>`: what a
 * change to the policies changes in allowed connectivity — flows added, removed, or allowed
 * on other ports — not a text diff of the YAML.
 *
 * With `--base`, the policies at <path> in the working tree are compared with the same path
 * at the git revision. When <path> is generated and not committed (a `dist/` folder in
 * .gitignore), `--synth` runs the command that writes it in a copy of the revision.
 *
 * Past 10,000 changed flows (`--detail auto`), the flows between workloads with the same changes
 * are grouped, each row with the number of pairs it stands for, and the output says so (JSON:
 * a line on stderr as well).
 *
 * Exit 0; 1 with `--fail-on-added` when anything is allowed that was not before; 2 on usage
 * errors and bad input.
 */
import { Option } from 'commander';
import type { DefineCommand } from './index';
import { emitChunks, EXIT, OUT_FILE_HELP, printWarning, runVerb } from '../cli-util';
import { podCidrOption, podCidrs } from '../pod-cidrs';

interface DiffFlags {
  readonly base?: string;
  readonly synth?: string;
  readonly cluster?: string[];
  readonly output: 'text' | 'json' | 'markdown';
  readonly detail: 'auto' | 'groups' | 'workloads';
  readonly outFile?: string;
  readonly failOnAdded?: boolean;
  readonly ipblockPods: 'match' | 'ignore';
  readonly skipInvalid?: boolean;
  readonly legacyCidrs?: boolean;
  readonly podCidr: string[];
}

/** Declares the `diff` verb. */
export const defineDiff: DefineCommand = (program) => {
  program
    .command('diff')
    .description('show what a change to the policies changes in allowed connectivity: flows added, removed, or allowed on other ports')
    .argument('[paths...]', 'before and after: files or folders of NetworkPolicy manifests (one path with --base); - reads standard input')
    .option('--base <git-rev>', 'compare <path> in the working tree with the same path at this git revision, e.g. origin/main')
    .option(
      '--synth <command>',
      'with --base, when <path> is generated and not in git: run this shell command in a copy of the revision to write it, e.g. "npm run synth"',
    )
    .option(
      '--cluster <path...>',
      'Namespace, Pod and workload manifests of the whole cluster to analyse both sides over (default: ' +
        'the workloads beside the policies, and pod groups inferred from the policies of both sides)',
    )
    .addOption(podCidrOption())
    .addOption(
      new Option('-o, --output <format>', 'output format; markdown is ready to post as a pull-request comment')
        .choices(['text', 'json', 'markdown'])
        .default('text'),
    )
    .addOption(
      new Option(
        '--detail <level>',
        'workloads: every changed flow; groups: changed flows between groups of workloads of a namespace with the same ' +
          'changes, with the number of pairs each stands for; auto: groups above 10000 changed flows',
      )
        .choices(['auto', 'groups', 'workloads'])
        .default('auto'),
    )
    .option('--out-file <file>', OUT_FILE_HELP)
    .option('--fail-on-added', 'exit 1 when the change allows anything that was not allowed before (a new flow, or new ports on a flow)')
    .addOption(
      new Option('--ipblock-pods <mode>', 'whether ipBlocks match pod IPs (match) or only external addresses (ignore)')
        .choices(['match', 'ignore'])
        .default('match'),
    )
    .option('--skip-invalid', 'skip what cannot be read with a warning instead of failing')
    .option('--legacy-cidrs', 'accept ipBlock CIDRs as API servers up to 1.35 do (host bits, leading zeros)')
    .action((paths: string[], flags: DiffFlags) =>
      runVerb(
        async () => {
          // loaded here so that `netpol --help` does not load the library
          const io = require('../../lib/io') as typeof import('../../lib/io');
          const { diffPolicies } = require('../../lib/analysis/diff') as typeof import('../../lib/analysis/diff');
          const report = require('../../lib/report/diff') as typeof import('../../lib/report/diff');
          const { NetpolError } = require('../../lib/model/errors') as typeof import('../../lib/model/errors');
          if (flags.base !== undefined && paths.length !== 1) {
            throw NetpolError.of(
              'diff.usage',
              '--base',
              `--base compares one path with itself at a git revision; give one path, not ${paths.length}`,
            );
          }
          if (flags.base === undefined && paths.length !== 2) {
            throw NetpolError.of(
              'diff.usage',
              '',
              `give two paths to compare (before and after), or --base <git-rev> and one path; got ${paths.length}`,
            );
          }
          if (flags.synth !== undefined && flags.base === undefined) {
            throw NetpolError.of('diff.usage', '--synth', '--synth builds the before side at a git revision; use it with --base');
          }
          const read = {
            skipInvalid: flags.skipInvalid === true,
            legacyCidrs: flags.legacyCidrs === true,
            onWarning: printWarning,
          };
          type Side = {
            policies: import('../../lib/model/policy').Policy[];
            clusterPolicies: import('../../lib/model/cluster-policy').ClusterPolicy[];
            cluster: import('../../lib/model/cluster').Cluster;
          };
          const none: Side = { policies: [], clusterPolicies: [], cluster: { namespaces: [], workloads: [] } };
          let labels: { before: string; after: string };
          const sideOf = (dir: string): Side => io.readManifests([dir], read);
          let before: Side;
          let after: Side;
          if (flags.base !== undefined) {
            const target = paths[0];
            after = sideOf(target);
            const { copyAtRevision } = require('../../lib/io/revision') as typeof import('../../lib/io/revision');
            const base = copyAtRevision(flags.base, target, {
              synth: flags.synth,
              onProgress: (message) => process.stderr.write(`netpol: ${message}\n`),
              onWarning: printWarning,
            });
            try {
              before = base.dir === undefined ? none : sideOf(base.dir);
            } finally {
              base.cleanup();
            }
            labels = { before: flags.base, after: 'working tree' };
          } else {
            before = sideOf(paths[0]);
            after = sideOf(paths[1]);
            const label = (p: string) => (p === '-' ? '<stdin>' : p);
            labels = { before: label(paths[0]), after: label(paths[1]) };
          }
          // with --cluster, the whole cluster; without, the workloads beside the policies of either side
          const cluster = flags.cluster
            ? { ...io.readCluster(flags.cluster, read).cluster, complete: true }
            : knownOfBoth(after.cluster, before.cluster);
          const diff = diffPolicies(before.policies, after.policies, {
            cluster,
            ipBlockPods: flags.ipblockPods,
            podCidrs: podCidrs(flags.podCidr),
            clusterPolicies: { before: before.clusterPolicies, after: after.clusterPolicies },
          });
          const options = { output: flags.output, detail: flags.detail, ...labels };
          // the text and Markdown say they are grouped; JSON says so here
          const grouped = flags.output === 'json' ? report.groupDiff(diff, options) : undefined;
          if (grouped) process.stderr.write(`netpol: ${grouped.line}\n`);
          await emitChunks(report.diffChunks(diff, options), flags.outFile);
          return flags.failOnAdded && diff.widens ? EXIT.findings : EXIT.ok;
        },
        { output: '--output', revision: '--base', synth: '--synth', detail: '--detail' },
      ),
    );
};

/** The Namespaces and workloads of both sides, those of `first` winning where both define one. */
function knownOfBoth(
  first: import('../../lib/model/cluster').Cluster,
  second: import('../../lib/model/cluster').Cluster,
): import('../../lib/model/cluster').Cluster {
  const namespaces = new Map([...second.namespaces, ...first.namespaces].map((n) => [n.name, n]));
  const workloads = new Map([...second.workloads, ...first.workloads].map((w) => [`${w.namespace}/${w.name}[${w.kind}]`, w]));
  return { namespaces: [...namespaces.values()], workloads: [...workloads.values()] };
}
