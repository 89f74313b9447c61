/** Shared ordering of report rows. */
import type { Analysis } from '../../analysis/analysis';
import { Endpoint } from '../../analysis/endpoint';
import { compareStrings } from '../../model/order';

/** Every ordered pair of distinct workloads, sorted by the names of source then destination. */
export function workloadPairs(analysis: Analysis): Array<[Endpoint, Endpoint]> {
  const ends: Endpoint[] = analysis.workloads.map((workload) => ({ type: 'workload', workload }));
  const named = ends.map((e) => ({ e, name: analysis.nameOf(e) })).sort((a, b) => compareStrings(a.name, b.name));
  const out: Array<[Endpoint, Endpoint]> = [];
  for (const a of named) for (const b of named) if (a.e !== b.e) out.push([a.e, b.e]);
  return out;
}
