/**
 * `netpol explain --policies <path>... --cluster <path>... --from <ns/name|ip|cidr> --to <ns/name|ip|cidr|domain>
 * --port 5432/TCP [--output text|json] [--ipblock-pods match|ignore] [--skip-invalid]`: says
 * whether one connection is allowed and which policy, rule, peer and port entry decide it.
 * Exit 0 with the explanation on stdout (allowed or not); 2 on usage errors and bad input.
 */
import { Option } from 'commander';
import type { DefineCommand } from './index';
import { emit, EXIT, OUT_FILE_HELP, runVerb } from '../cli-util';
import { podCidrOption } from '../pod-cidrs';
import { analyzeWholeCluster } from '../whole-cluster';

interface ExplainFlags {
  readonly policies: string[];
  readonly cluster: string[];
  readonly from: string;
  readonly to: string;
  readonly port: string;
  readonly output: 'text' | 'json';
  readonly outFile?: string;
  readonly ipblockPods: 'match' | 'ignore';
  readonly skipInvalid?: boolean;
  readonly legacyCidrs?: boolean;
  readonly podCidr: string[];
}

/** Declares the `explain` verb. */
export const defineExplain: DefineCommand = (program) => {
  program
    .command('explain')
    .description('explain whether one connection is allowed, naming the tier, policies, rules, peers and ports that decide it')
    .requiredOption(
      '--policies <path...>',
      'NetworkPolicy and ClusterNetworkPolicy manifests: files, or folders to search for *.yaml, *.yml and *.json; - reads standard input',
    )
    .requiredOption('--cluster <path...>', 'Namespace, Node, Pod and workload manifests: the whole cluster')
    .addOption(podCidrOption())
    .requiredOption(
      '--from <endpoint>',
      'source: a workload namespace/name (namespace/name[Kind] if two share a name), an IP address or a CIDR',
    )
    .requiredOption('--to <endpoint>', 'destination: a workload namespace/name, an IP address, a CIDR or a domain name')
    .requiredOption('--port <port>', 'port and protocol, e.g. 5432/TCP (protocol defaults to TCP)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--out-file <file>', OUT_FILE_HELP)
    .addOption(
      new Option('--ipblock-pods <mode>', 'whether ipBlocks match pod IPs (match) or only external addresses (ignore)')
        .choices(['match', 'ignore'])
        .default('match'),
    )
    .option('--skip-invalid', 'skip what cannot be read with a warning instead of failing')
    .option('--legacy-cidrs', 'accept ipBlock CIDRs as API servers up to 1.35 do (host bits, leading zeros)')
    .action((flags: ExplainFlags) =>
      runVerb(() => {
        // loaded here so that `netpol --help` does not load the library
        const analysis = require('../../lib/analysis') as typeof import('../../lib/analysis');
        const { NetpolError } = require('../../lib/model/errors') as typeof import('../../lib/model/errors');
        const { terminalLines } = require('../../lib/report/escape') as typeof import('../../lib/report/escape');
        const under = <T>(path: string, fn: () => T): T => {
          try {
            return fn();
          } catch (e) {
            throw NetpolError.isNetpolError(e) ? e.under(path) : e;
          }
        };
        const probes = under('--port', () => analysis.parseProbes(flags.port));
        if (probes.length !== 1) throw NetpolError.of('probe.count', '--port', `give one port, such as 5432/TCP, not "${flags.port}"`);
        const result = analyzeWholeCluster(flags);
        // a CIDR stands for every address in it: one explanation per range the policies tell apart
        const froms = under('--from', () => result.endpoints(flags.from, 'from'));
        const tos = under('--to', () => result.endpoints(flags.to, 'to'));
        const pairs = froms.flatMap((from) => tos.map((to) => ({ from, to })));
        const explanations = pairs.map(({ from, to }) => under('--to', () => result.explain(from, to, probes[0].port, probes[0].protocol)));
        if (flags.output === 'json') {
          emit(`${JSON.stringify(explanations.length === 1 ? explanations[0] : explanations, null, 2)}\n`, flags.outFile);
        } else if (explanations.length === 1) {
          emit(
            `${terminalLines(explanations[0].format())}
`,
            flags.outFile,
          );
        } else {
          // name the part of the CIDR each explanation stands for
          const part = (e: import('../../lib/analysis').Endpoint, ref: string): string | undefined => {
            if (e.type !== 'external') return undefined;
            const { Cidr } = require('../../lib/model/cidr') as typeof import('../../lib/model/cidr');
            const { AddressRange } = require('../../lib/model/address-range') as typeof import('../../lib/model/address-range');
            const c = Cidr.parse(ref, { legacy: true });
            const r = new AddressRange(
              c.family,
              e.range.first > c.first ? e.range.first : c.first,
              e.range.last < c.last ? e.range.last : c.last,
            );
            return `${r} of ${ref}`;
          };
          emit(
            `${explanations
              .map((e, i) => {
                const parts = [part(pairs[i].from, flags.from), part(pairs[i].to, flags.to)].filter((x) => x);
                return `# for ${parts.join(' and ')} (the policies treat these addresses alike)\n${terminalLines(e.format())}`;
              })
              .join('\n\n')}\n`,
            flags.outFile,
          );
        }
        return EXIT.ok;
      }),
    );
};
