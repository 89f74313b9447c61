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
import { compareStrings } from '../model/order';
import { Reach } from '../model/reach';
import { FlowWalker } from './private/flows';

/**
 * One line per ordered pair with something allowed, `src => dst : conns`, sorted by source then
 * destination as byte strings, each line ending in a newline. Workloads print as
 * `ns/name[Kind]` (the pods of one owner under the owner's name, as np-guard merges them),
 * external ranges as `first-last[External]` (IPv4 only, as np-guard); a pair whose ends print
 * the same is left out, and a line printed for several groups of one owner once. Where the
 * groups of one owner are allowed different things, np-guard's format cannot say so under one
 * name: their lines name each group (`ns/db-0[StatefulSet]`). An empty result is the empty string.
 * np-guard knows every pod and namespace label, so its format has no "depends": only what is
 * allowed for sure is listed, and `dependentConnections` counts what is left out. Control
 * characters in names are spelled out (`terminalText`), so every pair stays one line.
 */
export function formatNpGuard(analysis: Analysis): string {
  const walker = new FlowWalker(analysis);
  const texts = new Map<Reach, string>();
  const connections = function* () {
    for (const c of walker.connections()) {
      if (c.reach.allowed.isEmpty) continue;
      if ((c.from.type === 'external' && c.from.range.family !== 4) || (c.to.type === 'external' && c.to.range.family !== 4)) continue;
      let text = texts.get(c.reach);
      if (text === undefined) texts.set(c.reach, (text = c.reach.allowed.toString()));
      yield { from: c.from, to: c.to, text };
    }
  };
  const split = new Set<string>();
  const print = () => {
    const lines = new Map<string, { from: string; to: string; conns: Set<string>; owners: string[] }>();
    for (const c of connections()) {
      const from = npGuardName(c.from, split);
      const to = npGuardName(c.to, split);
      if (from === to) continue;
      const key = `${from}\u0000${to}`;
      let line = lines.get(key);
      if (!line)
        lines.set(
          key,
          (line = { from, to, conns: new Set(), owners: [ownerKey(c.from), ownerKey(c.to)].filter((o): o is string => o !== undefined) }),
        );
      line.conns.add(c.text);
    }
    return [...lines.values()];
  };
  let lines = print();
  const ambiguous = lines.filter((l) => l.conns.size > 1).flatMap((l) => l.owners);
  if (ambiguous.length > 0) {
    for (const o of ambiguous) split.add(o);
    lines = print();
  }
  lines.sort((a, b) => compareStrings(a.from, b.from) || compareStrings(a.to, b.to));
  return lines.map((l) => [...l.conns].map((conns) => `${terminalText(l.from)} => ${terminalText(l.to)} : ${conns}\n`).join('')).join('');
}

/** How many pairs of `Analysis.connections()` allow something that depends on an unknown fact. */
export function dependentConnections(analysis: Analysis): number {
  let n = 0;
  for (const c of new FlowWalker(analysis).connections()) if (!c.reach.isDefinite) n++;
  return n;
}

/**
 * `ns/name[Kind]` for a workload (`ns/<owner>[<owner kind>]` for some pods of an owner, unless
 * the owner is in `split`), `first-last[External]` for a range.
 */
export function npGuardName(e: Endpoint, split: ReadonlySet<string> = new Set()): string {
  if (e.type === 'domain') return `${e.name}[External]`;
  if (e.type !== 'workload') return `${e.range.toRangeString()}[External]`;
  const owner = ownerKey(e);
  return owner && !split.has(owner) ? owner : workloadKindName(e.workload);
}

function ownerKey(e: Endpoint): string | undefined {
  if (e.type !== 'workload' || !e.workload.owner) return undefined;
  return `${e.workload.namespace}/${e.workload.owner.name}[${e.workload.owner.kind}]`;
}
