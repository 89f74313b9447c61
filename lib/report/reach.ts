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
  checkReachFormat(options);
  const probes = options.probes && options.probes.length > 0 ? options.probes : undefined;
  switch (options.output ?? 'table') {
    case 'np-guard':
      return formatNpGuard(analysis);
    case 'json':
      return JSON.stringify(probes ? probesJson(analysis, probes) : connectionsJson(analysis), null, 2) + '\n';
    default:
      return probes ? formatProbeTable(analysis, probes) : formatConnectionsTable(analysis);
  }
}

/**
 * Throws what `formatReachability` would refuse in `options` (an unknown output, probes with
 * np-guard), before any input is read. The issue paths name the option: `output`, `probes`.
 */
export function checkReachFormat(options: ReachFormatOptions): void {
  const output = options.output ?? 'table';
  if (output !== 'table' && output !== 'json' && output !== 'np-guard') {
    throw NetpolError.of('report.format', 'output', `output format "${String(output)}" is not known; use table, json or np-guard`);
  }
  if (output === 'np-guard' && options.probes && options.probes.length > 0) {
    throw NetpolError.of(
      'report.probes',
      'probes',
      'the np-guard format lists connection sets and has no probes; leave out the probes, or use the table or json output',
    );
  }
}
