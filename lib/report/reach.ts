/** The output of `netpol reach`, in the format asked for. */
import type { Analysis } from '../analysis/analysis';
import { Probe } from '../analysis/probe';
import { NetpolError } from '../model/errors';
import { connectionsJsonChunks, groupConnectionsJsonChunks, groupProbesJsonChunks, probesJsonChunks } from './json';
import { formatNpGuard } from './np-guard';
import { joinChunks } from './private/chunks';
import { FlowWalker } from './private/flows';
import {
  connectionsTableChunks,
  GroupCounts,
  groupConnectionsTableChunks,
  groupProbeTableChunks,
  groupSummary,
  probeTableChunks,
} from './table';
import { oneOf } from './private/options';

/** The formats of `formatReachability`. */
export type ReachFormat = 'table' | 'json' | 'np-guard';

/**
 * How much `formatReachability` lists: `workloads`, every ordered pair of workloads (and of a
 * workload and an external range); `groups`, the flows between groups of workloads of one
 * namespace that no policy tells apart, each with the number of pairs it stands for; `auto`,
 * groups when there would be more than `groupAbove` rows and fewer rows grouped.
 */
export type ReachDetail = 'auto' | 'groups' | 'workloads';

/** The levels of `ReachDetail`, in the order the CLI lists them. */
export const REACH_DETAILS: readonly ReachDetail[] = ['auto', 'groups', 'workloads'];

/** The rows above which `detail: 'auto'` groups: about a megabyte of table. */
export const GROUP_ABOVE = 10_000;

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
  /**
   * Every pair, or flows between groups of workloads (not with `np-guard`, whose lines are
   * per owner already).
   * @default 'auto'
   */
  readonly detail?: ReachDetail;
  /** With `detail: 'auto'`, the number of rows above which the report is grouped. @default GROUP_ABOVE */
  readonly groupAbove?: number;
}

/** The analysis as text: a table, JSON (with a final newline), or np-guard's list. */
export function formatReachability(analysis: Analysis, options: ReachFormatOptions = {}): string {
  return joinChunks(reachChunks(analysis, options).chunks);
}

/** A reach report to be written piece by piece. */
export interface ReachReport {
  /** The text, in order, in pieces of any size: joined, the text of `formatReachability`. */
  readonly chunks: Iterable<string>;
  /**
   * For a grouped report, the line that says so (`12000 flows shown as 40 between 30 workload
   * groups …`), which the table starts with and the JSON does not.
   */
  readonly grouped?: string;
}

/**
 * `formatReachability` as pieces to write one after another, so that output of any size takes
 * no more memory than the analysis: the rows are worked out while they are written.
 */
export function reachChunks(analysis: Analysis, options: ReachFormatOptions = {}): ReachReport {
  checkReachFormat(options);
  const probes = options.probes && options.probes.length > 0 ? options.probes : undefined;
  const output = options.output ?? 'table';
  if (output === 'np-guard') return { chunks: [formatNpGuard(analysis)] };
  const walker = new FlowWalker(analysis);
  const counts = groupCounts(walker, probes !== undefined, options);
  if (counts) {
    const chunks =
      output === 'json'
        ? probes
          ? groupProbesJsonChunks(walker, probes, counts.flows)
          : groupConnectionsJsonChunks(walker, counts.flows)
        : probes
          ? groupProbeTableChunks(walker, probes, counts)
          : groupConnectionsTableChunks(walker, counts);
    return { chunks, grouped: groupSummary(counts, probes !== undefined) };
  }
  if (output === 'json') return { chunks: probes ? probesJsonChunks(walker, probes) : connectionsJsonChunks(walker) };
  return { chunks: probes ? probeTableChunks(walker, probes) : connectionsTableChunks(walker) };
}

/** The counts of the grouped report when the options ask for one, otherwise undefined. */
function groupCounts(walker: FlowWalker, probes: boolean, options: ReachFormatOptions): GroupCounts | undefined {
  const detail = options.detail ?? 'auto';
  if (detail === 'workloads') return undefined;
  let flows = 0;
  let groupFlows = 0;
  for (const f of probes ? walker.groupPairs() : walker.groupConnections()) {
    flows += f.pairs;
    groupFlows++;
  }
  if (detail === 'auto' && (flows <= (options.groupAbove ?? GROUP_ABOVE) || groupFlows >= flows)) return undefined;
  return { flows, groupFlows, groups: walker.groups().length };
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
  const detail = oneOf('report.detail', 'detail', 'detail', options.detail ?? 'auto', REACH_DETAILS);
  if (output === 'np-guard' && detail === 'groups') {
    throw NetpolError.of(
      'report.detail',
      'detail',
      'the np-guard format lists one line per pair of owners and has no groups; leave out the detail, or use the table or json output',
    );
  }
  if (output === 'np-guard' && options.probes && options.probes.length > 0) {
    throw NetpolError.of(
      'report.probes',
      'probes',
      'the np-guard format lists connection sets and has no probes; leave out the probes, or use the table or json output',
    );
  }
}
