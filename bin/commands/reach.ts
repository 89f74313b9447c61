/**
 * `netpol reach --policies <path>... --cluster <path>... [--ports 80/TCP,53/UDP]
 * [--output table|json|np-guard] [--detail auto|groups|workloads] [--ipblock-pods match|ignore] [--skip-invalid]
 * [--legacy-cidrs]`: what the policies allow between the workloads of the cluster and the outside, offline. The
 * output is written while it is worked out, so that its size does not weigh on memory.
 * Exit 0 with the result on stdout; 2 on usage errors and unreadable or invalid input.
 */
import { Option } from 'commander';
import type { DefineCommand } from './index';
import { emitChunks, EXIT, OUT_FILE_HELP, printWarning, runVerb } from '../cli-util';
import { podCidrOption } from '../pod-cidrs';
import { analyzeWholeCluster } from '../whole-cluster';

interface ReachFlags {
  readonly policies: string[];
  readonly cluster: string[];
  readonly ports?: string;
  readonly output: 'table' | 'json' | 'np-guard';
  readonly detail: 'auto' | 'groups' | 'workloads';
  readonly outFile?: string;
  readonly ipblockPods: 'match' | 'ignore';
  readonly skipInvalid?: boolean;
  readonly legacyCidrs?: boolean;
  readonly podCidr: string[];
}

/** Declares the `reach` verb. */
export const defineReach: DefineCommand = (program) => {
  program
    .command('reach')
    .description(
      'list what the NetworkPolicies and ClusterNetworkPolicies allow between workloads and external addresses, or answer port probes',
    )
    .requiredOption(
      '--policies <path...>',
      'NetworkPolicy and ClusterNetworkPolicy manifests: files, or folders to search for *.yaml, *.yml and *.json; - reads standard input',
    )
    .requiredOption(
      '--cluster <path...>',
      'Namespace, Node, Pod and workload manifests (Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob): the whole cluster',
    )
    .addOption(podCidrOption())
    .option('--ports <probes>', 'answer these probes for every pair of workloads, e.g. 80/TCP,81/TCP,53/UDP (protocol defaults to TCP)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json', 'np-guard']).default('table'))
    .addOption(
      new Option(
        '--detail <level>',
        'workloads: every pair of workloads; groups: flows between groups of workloads of one namespace that no policy ' +
          'tells apart, with the number of pairs each stands for; auto: groups above 10000 rows (not with np-guard)',
      )
        .choices(['auto', 'groups', 'workloads'])
        .default('auto'),
    )
    .option('--out-file <file>', OUT_FILE_HELP)
    .addOption(
      new Option(
        '--ipblock-pods <mode>',
        'whether ipBlocks match pod IPs (match: as Kubernetes does) or only external addresses (ignore: as np-guard does)',
      )
        .choices(['match', 'ignore'])
        .default('match'),
    )
    .option(
      '--skip-invalid',
      'skip what cannot be read (the rest of a file after a YAML syntax error, invalid objects) with a warning instead of failing',
    )
    .option('--legacy-cidrs', 'accept ipBlock CIDRs as API servers up to 1.35 do (host bits, leading zeros)')
    .action((flags: ReachFlags) =>
      runVerb(
        async () => {
          // loaded here so that `netpol --help` does not load the library
          const analysis = require('../../lib/analysis') as typeof import('../../lib/analysis');
          const report = require('../../lib/report') as typeof import('../../lib/report');
          const { NetpolError } = require('../../lib/model/errors') as typeof import('../../lib/model/errors');
          let probes: import('../../lib/analysis').Probe[] | undefined;
          if (flags.ports !== undefined) {
            try {
              probes = analysis.parseProbes(flags.ports);
            } catch (e) {
              throw NetpolError.isNetpolError(e) ? e.under('--ports') : e;
            }
          }
          const options = { output: flags.output, probes, detail: flags.detail };
          report.checkReachFormat(options);
          const result = analyzeWholeCluster(flags);
          const output = report.reachChunks(result, options);
          // the table says so in its first line; JSON keeps stdout for the document
          if (output.grouped !== undefined && flags.output === 'json') process.stderr.write(`netpol: ${output.grouped}\n`);
          await emitChunks(output.chunks, flags.outFile);
          if (flags.output === 'np-guard') {
            const left = report.dependentConnections(result);
            if (left > 0) {
              printWarning(
                `${left} connection${left === 1 ? '' : 's'} depend${left === 1 ? 's' : ''} on pod IPs the manifests ` +
                  `do not give, which the np-guard format cannot show; they are left out (see --output table, ` +
                  `--pod-cidr or --ipblock-pods ignore)`,
              );
            }
          }
          return EXIT.ok;
        },
        { probes: '--ports', output: '--output', detail: '--detail' },
      ),
    );
};
