/** The output of `netpol reach`, in the format asked for. */
import type { Analysis } from '../analysis/analysis';
import { Probe } from '../analysis/probe';
import { NetpolError } from '../model/errors';
import { connectionsJson, probesJson } from './json';
import { formatNpGuard } from './np-guard';
import { formatConnectionsTable, formatProbeTable } from './table';

/** The formats of `formatReachability`. */
export type ReachFormat = 'table' | 'json' | 'np-guard';

/** Options of `formatReachability`. */
export interface ReachFormatOptions {
  /** @default 'table' */
  readonly output?: ReachFormat;
  /**
   * Answer these probes for every pair of workloads instead of listing connection sets.
   * Not available with `np-guard`, whose format has no probes.
   * @default - list the connection sets
   */
  readonly probes?: readonly Probe[];
}

/** The analysis as text: a table, JSON (with a final newline), or np-guard's list. */
export function formatReachability(analysis: Analysis, options: ReachFormatOptions = {}): string {
  const output = options.output ?? 'table';
  const probes = options.probes && options.probes.length > 0 ? options.probes : undefined;
  switch (output) {
    case 'np-guard':
      if (probes)
        throw NetpolError.of(
          'report.probes',
          '--ports',
          'the np-guard format lists connection sets and has no probes; leave out --ports, or use --output table or json',
        );
      return formatNpGuard(analysis);
    case 'json':
      return JSON.stringify(probes ? probesJson(analysis, probes) : connectionsJson(analysis), null, 2) + '\n';
    case 'table':
      return probes ? formatProbeTable(analysis, probes) : formatConnectionsTable(analysis);
    default:
      throw NetpolError.of('report.format', '--output', `output format "${String(output)}" is not known; use table, json or np-guard`);
  }
}
