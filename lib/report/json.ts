/**
 * Reachability as JSON for scripts: either the answers to probes, or the allowed connection
 * sets.
 */
import type { Analysis } from '../analysis/analysis';
import { Probe } from '../analysis/probe';
import { Protocol } from '../model/port';
import { Reach } from '../model/reach';
import { JsonStream, jsonChunks } from './private/chunks';
import { FlowWalker } from './private/flows';

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
  for (const c of probeResults(new FlowWalker(analysis), probes)) connections.push(c);
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
  const connections: ConnectionResult[] = [];
  for (const c of connectionResults(new FlowWalker(analysis))) connections.push(c);
  return { connections };
}

/** A workload group of the grouped JSON: workloads of one namespace that no policy tells apart. */
export interface GroupJson {
  /** `ns/name` of its only workload, or `ns/first (+N)` with N more. */
  readonly name: string;
  /** Its workloads, `ns/name`, sorted. */
  readonly workloads: readonly string[];
}

/** `JSON.stringify(connectionsJson(analysis), null, 2)` and a newline, in pieces. @internal */
export function connectionsJsonChunks(walker: FlowWalker): Generator<string> {
  return jsonChunks([['connections', new JsonStream(connectionResults(walker))]]);
}

/** `JSON.stringify(probesJson(analysis, probes), null, 2)` and a newline, in pieces. @internal */
export function probesJsonChunks(walker: FlowWalker, probes: readonly Probe[]): Generator<string> {
  return jsonChunks([['connections', new JsonStream(probeResults(walker, probes))]]);
}

/**
 * The grouped JSON of connection sets, in pieces: `{"detail":"groups","flows":N,"groups":[…],
 * "connections":[…]}` where each connection is that of `connectionsJson` between groups (or
 * external ranges) with `pairs`, the number of ordered pairs of endpoints it stands for. @internal
 */
export function groupConnectionsJsonChunks(walker: FlowWalker, flows: number): Generator<string> {
  const results = function* () {
    const parts = new Parts();
    for (const f of walker.groupConnections()) yield { from: f.from, to: f.to, ...parts.of(f.reach), pairs: f.pairs };
  };
  return groupJsonChunks(walker, flows, results());
}

/** The grouped JSON of probe answers, in pieces: as `groupConnectionsJsonChunks`, each answer that of `probesJson` with `pairs`. @internal */
export function groupProbesJsonChunks(walker: FlowWalker, probes: readonly Probe[], flows: number): Generator<string> {
  const results = function* () {
    for (const f of walker.groupPairs()) for (const r of probeAnswers(f.from, f.to, f.reach, probes)) yield { ...r, pairs: f.pairs };
  };
  return groupJsonChunks(walker, flows, results());
}

function groupJsonChunks(walker: FlowWalker, flows: number, connections: Iterable<unknown>): Generator<string> {
  const groups: GroupJson[] = walker.groups().map((g) => ({ name: g.name, workloads: g.workloads }));
  return jsonChunks([
    ['detail', 'groups'],
    ['flows', flows],
    ['groups', new JsonStream(groups)],
    ['connections', new JsonStream(connections)],
  ]);
}

function* connectionResults(walker: FlowWalker): Generator<ConnectionResult> {
  const parts = new Parts();
  for (const c of walker.connections()) yield { from: c.fromName, to: c.toName, ...parts.of(c.reach) };
}

function* probeResults(walker: FlowWalker, probes: readonly Probe[]): Generator<ProbeResult> {
  for (const c of walker.workloadPairs()) yield* probeAnswers(c.fromName, c.toName, c.reach, probes);
}

function probeAnswers(from: string, to: string, reach: Reach, probes: readonly Probe[]): ProbeResult[] {
  return probes.map((p) => {
    const v = reach.verdict(p.port, p.protocol);
    return {
      from,
      to,
      port: p.port,
      protocol: p.protocol,
      allowed: v.value === 'allowed',
      verdict: v.value,
      ...(v.value === 'depends'
        ? { depends: v.alternatives.map((a) => ({ if: a.condition.toString(), portNames: a.portNames.map((n) => n.name) })) }
        : {}),
    };
  });
}

type ReachParts = Pick<ConnectionResult, 'connections' | 'ports' | 'depends'>;

/** The fields of a connection set's JSON, worked out once per distinct set. */
class Parts {
  private readonly parts = new Map<Reach, ReachParts>();

  public of(reach: Reach): ReachParts {
    let p = this.parts.get(reach);
    if (!p) {
      p = {
        connections: reach.allowed.toString(),
        ports: reach.allowed.toJSON(),
        ...(reach.isDefinite
          ? {}
          : {
              depends: reach.depends.map((d) => ({
                connections: d.ports.toString(),
                ports: d.ports.toJSON(),
                portNames: d.portNames.map((n) => n.name),
                if: d.condition.toString(),
              })),
            }),
      };
      this.parts.set(reach, p);
    }
    return p;
  }
}
