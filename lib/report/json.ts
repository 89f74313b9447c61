/**
 * Reachability as JSON for scripts: either the answers to probes, or the allowed connection
 * sets.
 */
import type { Analysis } from '../analysis/analysis';
import { Probe } from '../analysis/probe';
import { Protocol } from '../model/port';
import { compareBytes, workloadPairs } from './private/order';

/** One answer: may `from` reach `to` on `port`/`protocol`. */
export interface ProbeResult {
  /** The source workload, `ns/name`. */
  readonly from: string;
  /** The destination workload, `ns/name`. */
  readonly to: string;
  readonly port: number;
  readonly protocol: Protocol;
  /** True if both ends' policies let it through. */
  readonly allowed: boolean;
}

/** One allowed connection set. */
export interface ConnectionResult {
  /** The source: a workload `ns/name`, or an address range (a CIDR where it is one). */
  readonly from: string;
  /** The destination, named the same way. */
  readonly to: string;
  /** np-guard text: `All Connections`, `TCP 80,UDP 53`. */
  readonly connections: string;
  /** The same as ranges per protocol: `{"TCP":[[80,80]],"UDP":[[53,53]]}`. */
  readonly ports: Partial<Record<Protocol, Array<[number, number]>>>;
}

/**
 * `{"connections":[{"from":"ns/a","to":"ns/b","port":80,"protocol":"TCP","allowed":true},…]}`:
 * one entry per ordered pair of distinct workloads (by name) and per probe, pairs sorted by
 * source then destination, probes in the order given.
 */
export function probesJson(analysis: Analysis, probes: readonly Probe[]): { connections: ProbeResult[] } {
  const connections: ProbeResult[] = [];
  for (const [from, to] of workloadPairs(analysis)) {
    const set = analysis.connectionSet(from, to);
    const names = { from: analysis.nameOf(from), to: analysis.nameOf(to) };
    for (const p of probes) connections.push({ ...names, port: p.port, protocol: p.protocol, allowed: set.contains(p.port, p.protocol) });
  }
  return { connections };
}

/**
 * `{"connections":[{"from":"ns/a","to":"ns/b","connections":"TCP 80","ports":{"TCP":[[80,80]]}},…]}`:
 * every ordered pair with something allowed (workloads and external ranges), sorted by source
 * then destination.
 */
export function connectionsJson(analysis: Analysis): { connections: ConnectionResult[] } {
  const connections = analysis
    .connections()
    .map((c) => ({
      from: analysis.nameOf(c.from),
      to: analysis.nameOf(c.to),
      connections: c.allowed.toString(),
      ports: c.allowed.toJSON(),
    }))
    .sort((a, b) => compareBytes(a.from, b.from) || compareBytes(a.to, b.to));
  return { connections };
}
