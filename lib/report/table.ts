/**
 * Reachability as plain-text tables for people: one row per ordered pair, columns aligned, names
 * with their control characters spelled out (`terminalText`).
 */
import type { Analysis } from '../analysis/analysis';
import { Probe, probeText } from '../analysis/probe';
import { Reach } from '../model/reach';
import { terminalText } from './escape';
import { joinChunks, tableChunks } from './private/chunks';
import { FlowWalker, GroupFlow } from './private/flows';

/**
 * Every ordered pair with something allowed, as `FROM  TO  ALLOWED` rows (`TCP 80,UDP 53`,
 * `All Connections`), sorted by source then destination name; what depends on something
 * unknown follows after `; ` with its port names and condition (`TCP metrics`,
 * `TCP 8080 if source IP in 10.0.0.0/8`). Workloads are `ns/name`, external ranges CIDRs (or
 * `first-last`).
 */
export function formatConnectionsTable(analysis: Analysis): string {
  return joinChunks(connectionsTableChunks(new FlowWalker(analysis)));
}

/**
 * A truth table: for every ordered pair of distinct workloads, one column per probe saying
 * `allow`, `deny`, or `depends` where the answer turns on something unknown.
 */
export function formatProbeTable(analysis: Analysis, probes: readonly Probe[]): string {
  return joinChunks(probeTableChunks(new FlowWalker(analysis), probes));
}

/** `formatConnectionsTable` in pieces. @internal */
export function* connectionsTableChunks(walker: FlowWalker): Generator<string> {
  const names = new Names();
  const rows = function* () {
    for (const c of walker.connections()) yield [names.of(c.fromName), names.of(c.toName), names.reach(c.reach)];
  };
  if (walker.connections().next().done) {
    yield 'No connections are allowed.\n';
    return;
  }
  yield* tableChunks(['FROM', 'TO', 'ALLOWED'], rows);
}

/** `formatProbeTable` in pieces. @internal */
export function* probeTableChunks(walker: FlowWalker, probes: readonly Probe[]): Generator<string> {
  const names = new Names();
  const words = new Map<Reach, string[]>();
  const verdicts = (reach: Reach) => {
    let w = words.get(reach);
    if (!w) words.set(reach, (w = probes.map((p) => WORD[reach.verdict(p.port, p.protocol).value])));
    return w;
  };
  if (walker.workloadPairs().next().done) {
    yield 'No pairs of workloads to probe.\n';
    return;
  }
  const rows = function* () {
    for (const c of walker.workloadPairs()) yield [names.of(c.fromName), names.of(c.toName), ...verdicts(c.reach)];
  };
  yield* tableChunks(['FROM', 'TO', ...probes.map((p) => terminalText(probeText(p)))], rows);
}

/**
 * The grouped form of `formatConnectionsTable`: a line saying how many flows the groups stand
 * for, then `FROM  TO  PAIRS  ALLOWED` rows between workload groups and external ranges, then
 * the workloads of each group of more than one. @internal
 */
export function* groupConnectionsTableChunks(walker: FlowWalker, counts: GroupCounts): Generator<string> {
  yield `${groupSummary(counts)}\n`;
  if (counts.groupFlows === 0) {
    yield '\nNo connections are allowed.\n';
    return;
  }
  yield '\n';
  const reach = new Names();
  const rows = function* () {
    for (const f of walker.groupConnections()) yield groupRow(f, [reach.reach(f.reach)]);
  };
  yield* tableChunks(['FROM', 'TO', 'PAIRS', 'ALLOWED'], rows, { align: ['left', 'left', 'right'] });
  yield* groupMembersChunks(walker);
}

/** The grouped form of `formatProbeTable`: the summary line, `FROM  TO  PAIRS  <probes>` rows, the groups' workloads. @internal */
export function* groupProbeTableChunks(walker: FlowWalker, probes: readonly Probe[], counts: GroupCounts): Generator<string> {
  yield `${groupSummary(counts, true)}\n`;
  if (counts.groupFlows === 0) {
    yield '\nNo pairs of workloads to probe.\n';
    return;
  }
  yield '\n';
  const words = new Map<Reach, string[]>();
  const rows = function* () {
    for (const f of walker.groupPairs()) {
      let w = words.get(f.reach);
      if (!w) words.set(f.reach, (w = probes.map((p) => WORD[f.reach.verdict(p.port, p.protocol).value])));
      yield groupRow(f, w);
    }
  };
  yield* tableChunks(['FROM', 'TO', 'PAIRS', ...probes.map((p) => terminalText(probeText(p)))], rows, {
    align: ['left', 'left', 'right'],
  });
  yield* groupMembersChunks(walker);
}

/** How many flows a grouped report stands for, and in how many rows between how many groups. */
export interface GroupCounts {
  /** Rows of the full report: ordered pairs of workloads (and with external ranges). */
  readonly flows: number;
  /** Rows of the grouped report. */
  readonly groupFlows: number;
  /** Workload groups. */
  readonly groups: number;
}

/**
 * The line that says a report is grouped: `12000 flows shown as 40 between 30 workload groups and
 * address ranges; --detail workloads lists every flow`, or for probes `12000 pairs of workloads
 * shown as 40 pairs of 30 workload groups; --detail workloads lists every pair`.
 */
export function groupSummary(counts: GroupCounts, probes = false): string {
  const s = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const groups = s(counts.groups, 'workload group', 'workload groups');
  return probes
    ? `${s(counts.flows, 'pair', 'pairs')} of workloads shown as ${counts.groupFlows} ${counts.groupFlows === 1 ? 'pair' : 'pairs'} ` +
        `of ${groups}; --detail workloads lists every pair`
    : `${s(counts.flows, 'flow', 'flows')} shown as ${counts.groupFlows} between ${groups} and address ranges; ` +
        '--detail workloads lists every flow';
}

const WORD = { allowed: 'allow', denied: 'deny', depends: 'depends' } as const;

function groupRow(f: GroupFlow, rest: readonly string[]): string[] {
  return [terminalText(f.from), terminalText(f.to), String(f.pairs), ...rest];
}

function* groupMembersChunks(walker: FlowWalker): Generator<string> {
  const groups = walker.groups().filter((g) => g.workloads.length > 1);
  if (groups.length === 0) return;
  yield '\n';
  yield* tableChunks(['GROUP', 'WORKLOADS'], () => groups.map((g) => [terminalText(g.name), g.workloads.map(terminalText).join(', ')]));
}

/** Names and reach texts as shown, each worked out once. */
class Names {
  private readonly names = new Map<string, string>();
  private readonly texts = new Map<Reach, string>();

  public of(name: string): string {
    let shown = this.names.get(name);
    if (shown === undefined) this.names.set(name, (shown = terminalText(name)));
    return shown;
  }

  public reach(reach: Reach): string {
    let text = this.texts.get(reach);
    if (text === undefined) this.texts.set(reach, (text = terminalText(reach.toString())));
    return text;
  }
}
