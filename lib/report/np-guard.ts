/**
 * np-guard's connectivity list (the `txt` output of `netpol-analyzer list`), so that results
 * can be compared line by line with that tool:
 *
 *   default/frontend[Deployment] => default/backend[Deployment] : TCP 9090
 *   0.0.0.0-255.255.255.255[External] => default/frontend[Deployment] : TCP 8080
 *
 * @see https://github.com/np-guard/netpol-analyzer
 */
import type { Analysis } from '../analysis/analysis';
import { Endpoint, workloadKindName } from '../analysis/endpoint';
import { terminalText } from './escape';
import { compareBytes } from './private/order';

/**
 * One line per ordered pair with something allowed, `src => dst : conns`, sorted by source then
 * destination as byte strings, each line ending in a newline. Workloads print as
 * `ns/name[Kind]`, external ranges as `first-last[External]` (IPv4 only, as np-guard); a pair
 * whose ends print the same is left out. An empty result is the empty string. Control
 * characters in names are spelled out (`terminalText`), so every pair stays one line.
 */
export function formatNpGuard(analysis: Analysis): string {
  const lines: Array<[string, string, string]> = [];
  for (const c of analysis.connections()) {
    if ((c.from.type === 'external' && c.from.range.family !== 4) || (c.to.type === 'external' && c.to.range.family !== 4)) continue;
    const from = npGuardName(c.from);
    const to = npGuardName(c.to);
    if (from === to) continue;
    lines.push([from, to, c.allowed.toString()]);
  }
  lines.sort((a, b) => compareBytes(a[0], b[0]) || compareBytes(a[1], b[1]));
  return lines.map(([from, to, conns]) => `${terminalText(from)} => ${terminalText(to)} : ${conns}\n`).join('');
}

/** `ns/name[Kind]` for a workload, `first-last[External]` for a range. */
export function npGuardName(e: Endpoint): string {
  return e.type === 'workload' ? workloadKindName(e.workload) : `${e.range.toRangeString()}[External]`;
}
