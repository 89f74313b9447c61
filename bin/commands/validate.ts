/**
 * `netpol validate <path>... [--legacy-cidrs] [--cnp-channel standard|experimental] [--skip-invalid] [--output text|json]`:
 * checks NetworkPolicy and ClusterNetworkPolicy manifests against the API server's validation
 * rules, offline. Exit 0 when every policy is valid, 1 when any is invalid, 2 on usage errors and
 * unreadable files.
 */
import { Option } from 'commander';
import type { DefineCommand } from './index';
import { emit, EXIT, OUT_FILE_HELP, printWarning, runVerb } from '../cli-util';

interface ValidateFlags {
  readonly legacyCidrs?: boolean;
  readonly cnpChannel: 'standard' | 'experimental';
  readonly skipInvalid?: boolean;
  readonly output: 'text' | 'json';
  readonly outFile?: string;
}

/** Declares the `validate` verb. */
export const defineValidate: DefineCommand = (program) => {
  program
    .command('validate')
    .description("check NetworkPolicy and ClusterNetworkPolicy manifests against the Kubernetes API server's validation, offline")
    .argument('<path...>', 'manifest files, or folders to search for *.yaml, *.yml and *.json; - reads standard input')
    .option('--legacy-cidrs', 'check ipBlock CIDRs as API servers up to 1.35 do (host bits, leading zeros and IPv4-mapped IPv6 pass)')
    .addOption(
      new Option('--cnp-channel <channel>', 'the ClusterNetworkPolicy CRD installed: standard has no nodes and domainNames peers')
        .choices(['standard', 'experimental'])
        .default('experimental'),
    )
    .option('--skip-invalid', 'skip the rest of a file after a YAML syntax error (with a warning) instead of failing')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--out-file <file>', OUT_FILE_HELP)
    .action((paths: string[], flags: ValidateFlags) =>
      runVerb(() => {
        // loaded here so that `netpol --help` does not load the library
        const lib = require('../../lib/check/validate') as typeof import('../../lib/check/validate');
        const result = lib.validateFiles(paths, {
          legacyCidrs: flags.legacyCidrs === true,
          clusterNetworkPolicyChannel: flags.cnpChannel,
          skipInvalid: flags.skipInvalid === true,
          onWarning: printWarning,
        });
        if (flags.output === 'json') {
          emit(`${JSON.stringify(toJson(result), null, 2)}\n`, flags.outFile);
        } else {
          emit(
            lib
              .formatValidationText(result)
              .map((l) => `${l}\n`)
              .join(''),
            flags.outFile,
          );
        }
        process.stderr.write(`${lib.formatValidationSummary(result)}\n`);
        return result.invalid > 0 ? EXIT.findings : EXIT.ok;
      }),
    );
};

function toJson(result: import('../../lib/check/validate').ValidateFilesResult): unknown {
  return {
    checked: result.checked,
    invalid: result.invalid,
    errors: result.errors,
    results: result.results.map((r) => ({ ...r, valid: r.issues.length === 0 })),
  };
}
