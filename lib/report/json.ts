/**
 * Reachability as JSON for scripts: either the answers to probes, or the allowed connection
 * sets.
 */
import type { Analysis } from '../analysis/analysis';
import { Probe } from '../analysis/probe';
import { Protocol } from '../model/port';
import { compareStrings } from '../model/order';
import { workloadPairs } from './private/order';

/** One answer: may `from` reach `to` on `port`/`protocol`. */
export interface ProbeResult {
  /** The source workload, `ns/name`. */
  readonly from: string;
  /** The destination workload, `ns/name`. */
  readonly to: string;
  readonly port: number;
  readonly protocol: Protocol;
  /** True if both ends' policies let it through for sure. */
  readonly allowed: boolean;
  /** `allowed`, `denied`, or `depends` on something the analysis does not know. */
  readonly verdict: 'allowed' | 'denied' | 'depends';
  /** For `depends`: the alternatives under which it is allowed, each a condition (`source IP in 10.0.0.0/8`) and port names. */
  readonly depends?: ReadonlyArray<{ readonly if: string; readonly portNames: readonly string[] }>;
}

/** A part of a connection set that depends on something unknown. */
export interface DependentConnections {
  /** np-guard text of the ports (for port names, the range the number must lie in). */
  readonly connections: string;
  /** The same as ranges per protocol. */
  readonly ports: Partial<Record<Protocol, Array<[number, number]>>>;
  /** Container port names the destination must declare as the port; none for numbered ports. */
  readonly portNames: readonly string[];
  /** The condition on the ends, e.g. `source IP in 10.0.0.0/8`; empty when only the port names are unknown. */
  readonly if: string;
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
  /** What is allowed only if something unknown holds. @default - nothing */
  readonly depends?: readonly DependentConnections[];
}

/**
 * `{"connections":[{"from":"ns/a","to":"ns/b","port":80,"protocol":"TCP","allowed":true,"verdict":"allowed"},…]}`:
 * one entry per ordered pair of distinct workloads (by name) and per probe, pairs sorted by
 * source then destination, probes in the order given. `allowed` is true only for sure; a
 * `depends` verdict lists its alternatives.
 */
export function probesJson(analysis: Analysis, probes: readonly Probe[]): { connections: ProbeResult[] } {
  const connections: ProbeResult[] = [];
  for (const [from, to] of workloadPairs(analysis)) {
    const reach = analysis.reach(from, to);
    const names = { from: analysis.nameOf(from), to: analysis.nameOf(to) };
    for (const p of probes) {
      const v = reach.verdict(p.port, p.protocol);
      connections.push({
        ...names,
        port: p.port,
        protocol: p.protocol,
        allowed: v.value === 'allowed',
        verdict: v.value,
        ...(v.value === 'depends'
          ? { depends: v.alternatives.map((a) => ({ if: a.condition.toString(), portNames: a.portNames.map((n) => n.name) })) }
          : {}),
      });
    }
  }
  return { connections };
}

/**
 * `{"connections":[{"from":"ns/a","to":"ns/b","connections":"TCP 80","ports":{"TCP":[[80,80]]}},…]}`:
 * every ordered pair with something allowed or depending on something unknown (workloads and
 * external ranges), sorted by source then destination. `connections` and `ports` are what is
 * allowed for sure (`No Connections` and `{}` when everything depends); `depends` lists the
 * rest, each part with its ports, port names and condition.
 */
export function connectionsJson(analysis: Analysis): { connections: ConnectionResult[] } {
  const connections = analysis
    .connections()
    .map((c) => ({
      from: analysis.nameOf(c.from),
      to: analysis.nameOf(c.to),
      connections: c.allowed.toString(),
      ports: c.allowed.toJSON(),
      ...(c.reach.isDefinite
        ? {}
        : {
            depends: c.reach.depends.map((d) => ({
              connections: d.ports.toString(),
              ports: d.ports.toJSON(),
              portNames: d.portNames.map((n) => n.name),
              if: d.condition.toString(),
            })),
          }),
    }))
    .sort((a, b) => compareStrings(a.from, b.from) || compareStrings(a.to, b.to));
  return { connections };
}
