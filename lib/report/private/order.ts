/** Shared ordering of report rows. */
import type { Analysis } from '../../analysis/analysis';
import { Endpoint } from '../../analysis/endpoint';

/** Go's string order: by UTF-8 bytes, so output does not depend on the locale. */
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  // For ASCII, UTF-16 code-unit order is byte order; only other text needs encoding.
  if (ASCII.test(a) && ASCII.test(b)) return a < b ? -1 : 1;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

// eslint-disable-next-line no-control-regex -- every character up to 0x7f is ASCII
const ASCII = /^[\x00-\x7f]*$/;

/** Every ordered pair of distinct workloads, sorted by the names of source then destination. */
export function workloadPairs(analysis: Analysis): Array<[Endpoint, Endpoint]> {
  const ends: Endpoint[] = analysis.workloads.map((workload) => ({ type: 'workload', workload }));
  const named = ends.map((e) => ({ e, name: analysis.nameOf(e) })).sort((a, b) => compareBytes(a.name, b.name));
  const out: Array<[Endpoint, Endpoint]> = [];
  for (const a of named) for (const b of named) if (a.e !== b.e) out.push([a.e, b.e]);
  return out;
}
