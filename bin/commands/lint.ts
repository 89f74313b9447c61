/**
 * `netpol lint <path>... [--cluster <path>...] [--pod-cidr CIDR]... [--service-cidr CIDR]...
 * [--dns-port PORT]... [--output text|json|sarif] [--fail-on error|warning|info|never]`:
 * the usual NetworkPolicy mistakes, with stable rule ids. Exit 1 when a finding that is not
 * suppressed is at or above `--fail-on`, 0 otherwise, 2 on usage errors and unreadable input.
 */
import { Option } from 'commander';
import type { DefineCommand } from './index';
import { emit, EXIT, OUT_FILE_HELP, printWarning, runVerb } from '../cli-util';

interface LintFlags {
  readonly cluster?: string[];
  readonly podCidr: string[];
  readonly serviceCidr: string[];
  readonly dnsPort: string[];
  readonly output: 'text' | 'json' | 'sarif';
  readonly outFile?: string;
  readonly failOn: 'error' | 'warning' | 'info' | 'never';
  readonly showSuppressed?: boolean;
  readonly skipInvalid?: boolean;
  readonly legacyCidrs?: boolean;
  readonly listRules?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Declares the `lint` verb. */
export const defineLint: DefineCommand = (program) => {
  program
    .command('lint')
    .description('find the usual NetworkPolicy and ClusterNetworkPolicy mistakes (rules NP001-NP018); see --list-rules')
    .argument(
      '[path...]',
      'NetworkPolicy and ClusterNetworkPolicy manifests: files, or folders to search for *.yaml, *.yml and *.json; - reads standard input',
    )
    .option('--cluster <path...>', 'Namespace and workload manifests the policies govern (default: the same paths)')
    .addOption(
      new Option('--pod-cidr <cidr>', "the cluster's pod address range, for NP005 (repeatable)").argParser(collect).default([], 'none'),
    )
    .addOption(
      new Option('--service-cidr <cidr>', "the cluster's service address range, for NP005 (repeatable)")
        .argParser(collect)
        .default([], 'none'),
    )
    .addOption(
      new Option('--dns-port <port>', 'a port of the cluster DNS, for NP001: 5353 (UDP and TCP) or 5353/UDP (repeatable)')
        .argParser(collect)
        .default([], '53'),
    )
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .option('--out-file <file>', OUT_FILE_HELP)
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a finding at or above this severity is not suppressed')
        .choices(['error', 'warning', 'info', 'never'])
        .default('error'),
    )
    .option('--show-suppressed', 'list suppressed findings too in text output, with their reasons')
    .option(
      '--skip-invalid',
      'skip what cannot be read (the rest of a file after a YAML syntax error, invalid objects) with a warning instead of failing',
    )
    .option('--legacy-cidrs', 'accept ipBlock CIDRs as API servers up to 1.35 do (host bits, leading zeros)')
    .option('--list-rules', 'print the rules as Markdown and exit')
    .action((paths: string[], flags: LintFlags) =>
      runVerb(() => {
        // Loaded here so that `netpol --help` does not load the library, and module by module so
        // that linting files loads neither the constructs nor cdk8s (which `lintApp` needs).
        const { NetpolError } = require('../../lib/model/errors') as typeof import('../../lib/model/errors');
        if (flags.listRules) {
          const { rulesMarkdown } =
            require('../../lib/check/lint/format/rules-table') as typeof import('../../lib/check/lint/format/rules-table');
          process.stdout.write(rulesMarkdown());
          return EXIT.ok;
        }
        if (paths.length === 0) {
          throw NetpolError.of('lint.paths', '', 'give at least one file or folder of NetworkPolicy manifests, e.g. "netpol lint deploy/"');
        }
        const options = {
          podCidrs: flags.podCidr,
          serviceCidrs: flags.serviceCidr,
          ...(flags.dnsPort.length > 0 ? { dnsPorts: flags.dnsPort.flatMap(dnsPorts) } : {}),
          ...(flags.cluster ? { cluster: flags.cluster } : {}),
          skipInvalid: flags.skipInvalid === true,
          legacyCidrs: flags.legacyCidrs === true,
          onWarning: printWarning,
        };
        const { lintFiles } = require('../../lib/check/lint/files') as typeof import('../../lib/check/lint/files');
        const { failsAt } = require('../../lib/check/lint/finding') as typeof import('../../lib/check/lint/finding');
        let findings: import('../../lib/check/lint').Finding[];
        try {
          findings = lintFiles(paths, options);
        } catch (e) {
          throw NetpolError.isNetpolError(e) ? renameOptions(e) : e;
        }
        if (flags.output === 'json') {
          const { formatJson } = require('../../lib/check/lint/format/json') as typeof import('../../lib/check/lint/format/json');
          emit(formatJson(findings), flags.outFile);
        } else if (flags.output === 'sarif') {
          const { formatSarif } = require('../../lib/check/lint/format/sarif') as typeof import('../../lib/check/lint/format/sarif');
          emit(formatSarif(findings), flags.outFile);
        } else {
          const text = require('../../lib/check/lint/format/text') as typeof import('../../lib/check/lint/format/text');
          emit(text.formatText(findings, { showSuppressed: flags.showSuppressed === true }), flags.outFile);
          process.stderr.write(`netpol lint: ${text.summaryLine(findings)}\n`);
        }
        return failsAt(findings, flags.failOn) ? EXIT.findings : EXIT.ok;
      }),
    );
};

/** `--dns-port 5353` → UDP and TCP 5353; `--dns-port 5353/udp` → UDP 5353. */
function dnsPorts(text: string): import('../../lib/model/port').Port[] {
  const { Port } = require('../../lib/model/port') as typeof import('../../lib/model/port');
  const { NetpolError } = require('../../lib/model/errors') as typeof import('../../lib/model/errors');
  const m = /^([0-9]+)(?:\/([A-Za-z]+))?$/.exec(text.trim());
  const protocol = m?.[2]?.toUpperCase();
  const port = Number(m?.[1]);
  if (!m || !(port >= 1 && port <= 65535) || (protocol !== undefined && protocol !== 'UDP' && protocol !== 'TCP' && protocol !== 'SCTP')) {
    throw NetpolError.of(
      'lint.dns-port',
      '--dns-port',
      `"${text}" is not a DNS port; write a number from 1 to 65535, optionally with a protocol, e.g. "5353" or "5353/UDP"`,
    );
  }
  if (protocol === undefined) return [Port.udp(port), Port.tcp(port)];
  return [Port.of(protocol as import('../../lib/model/port').Protocol, port)];
}

/** Names the CLI options in errors about the library's options (`podCidrs[0]` → `--pod-cidr`). */
function renameOptions(e: import('../../lib/model/errors').NetpolError): import('../../lib/model/errors').NetpolError {
  const { NetpolError } = require('../../lib/model/errors') as typeof import('../../lib/model/errors');
  return new NetpolError(
    e.issues.map((i) => ({
      ...i,
      path: i.path.replace(/^podCidrs\[[0-9]+\]/, '--pod-cidr').replace(/^serviceCidrs\[[0-9]+\]/, '--service-cidr'),
    })),
    e.where,
  );
}
