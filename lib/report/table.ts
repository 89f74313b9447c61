/**
 * Reachability as plain-text tables for people: one row per ordered pair, columns aligned, names
 * with their control characters spelled out (`terminalText`).
 */
import type { Analysis } from '../analysis/analysis';
import { Probe, probeText } from '../analysis/probe';
import { terminalText } from './escape';
import { compareStrings } from '../model/order';
import { workloadPairs } from './private/order';

/**
 * Every ordered pair with something allowed, as `FROM  TO  ALLOWED` rows (`TCP 80,UDP 53`,
 * `All Connections`), sorted by source then destination name; what depends on something
 * unknown follows after `; ` with its port names and condition (`TCP metrics`,
 * `TCP 8080 if source IP in 10.0.0.0/8`). Workloads are `ns/name`, external ranges CIDRs (or
 * `first-last`).
 */
export function formatConnectionsTable(analysis: Analysis): string {
  const rows = analysis
    .connections()
    .map((c) => [analysis.nameOf(c.from), analysis.nameOf(c.to), c.reach.toString()])
    .sort((a, b) => compareStrings(a[0], b[0]) || compareStrings(a[1], b[1]));
  if (rows.length === 0) return 'No connections are allowed.\n';
  return alignColumns([['FROM', 'TO', 'ALLOWED'], ...rows]);
}

/**
 * A truth table: for every ordered pair of distinct workloads, one column per probe saying
 * `allow`, `deny`, or `depends` where the answer turns on something unknown.
 */
export function formatProbeTable(analysis: Analysis, probes: readonly Probe[]): string {
  const rows: string[][] = [['FROM', 'TO', ...probes.map(probeText)]];
  const word = { allowed: 'allow', denied: 'deny', depends: 'depends' } as const;
  for (const [from, to] of workloadPairs(analysis)) {
    const reach = analysis.reach(from, to);
    rows.push([analysis.nameOf(from), analysis.nameOf(to), ...probes.map((p) => word[reach.verdict(p.port, p.protocol).value])]);
  }
  if (rows.length === 1) return 'No pairs of workloads to probe.\n';
  return alignColumns(rows);
}

function alignColumns(table: readonly string[][]): string {
  const rows = table.map((r) => r.map(terminalText));
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')).join('\n') + '\n';
}
