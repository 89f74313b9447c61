/**
 * `--pod-cidr`, shared by the verbs that analyse connectivity: the cluster's pod address ranges,
 * which decide an ipBlock against pods whose IP the manifests do not give.
 */
import { Option } from 'commander';
import type { Cidr } from '../lib/model/cidr';

/** Collects a repeatable option's values. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** The `--pod-cidr` option of reach, explain, diagram and diff. */
export function podCidrOption(): Option {
  return new Option(
    '--pod-cidr <cidr>',
    "the cluster's pod address range, which decides ipBlocks against pods whose IP is unknown (repeatable)",
  )
    .argParser(collect)
    .default([], 'unknown');
}

/** The --pod-cidr values, each checked as a CIDR, the option named in an error. */
export function podCidrs(values: readonly string[]): Cidr[] {
  const { Cidr } = require('../lib/model/cidr') as typeof import('../lib/model/cidr');
  const { NetpolError } = require('../lib/model/errors') as typeof import('../lib/model/errors');
  return values.map((v) => {
    try {
      return Cidr.parse(v);
    } catch (e) {
      throw NetpolError.isNetpolError(e) ? e.under('--pod-cidr') : e;
    }
  });
}
