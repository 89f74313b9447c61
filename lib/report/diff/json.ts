/** A connectivity diff as JSON for scripts. */
import type { ConnectivityDiff, DiffEndpoint, FlowChange, PolicyChange } from '../../analysis/diff';
import { ConnectionSet } from '../../model/connection-set';
import { Reach } from '../../model/reach';
import { Protocol } from '../../model/port';
import { JsonStream, jsonChunks, joinChunks } from '../private/chunks';
import { DiffDetailOptions, DiffGroup, GroupedDiff, groupDiff } from './groups';
import { DiffLabels } from './summary';

/** A set of connections: np-guard's text and the ranges per protocol. */
export interface ConnectionsJson {
  /** What is allowed for sure: `TCP 80,443`, `All Connections`, `No Connections`. */
  readonly connections: string;
  /** `{"TCP":[[80,80],[443,443]]}`; `{}` for none. */
  readonly ports: Partial<Record<Protocol, Array<[number, number]>>>;
  /**
   * What is allowed only if something unknown holds (`before` and `after` only), each part
   * with its ports, port names and condition. @default - nothing
   */
  readonly depends?: ReadonlyArray<{
    readonly connections: string;
    readonly ports: Partial<Record<Protocol, Array<[number, number]>>>;
    readonly portNames: readonly string[];
    readonly if: string;
  }>;
}

/** An end of a flow. */
export interface DiffEndpointJson {
  readonly type: 'workload' | 'external';
  /** `ns/name`, or the addresses (`10.0.0.0/8; ::/0`). */
  readonly name: string;
  /** For an external end: its addresses, one ipBlock (or range) each. */
  readonly addresses?: string[];
  /** In a grouped diff, for a group of workloads (named `ns/first (+2)`): their names. @default - one workload */
  readonly workloads?: string[];
}

/** The JSON form of a connectivity diff. */
export interface DiffJson {
  readonly before?: string;
  readonly after?: string;
  readonly summary: { readonly added: number; readonly removed: number; readonly changed: number };
  /** True if anything is allowed after that was not before. */
  readonly widens: boolean;
  /**
   * When the flows are grouped (see `groupDiff`): the line that says so. Each flow then has
   * `pairs`, and its ends may be groups. @default - every flow is listed
   */
  readonly grouped?: string;
  /** When grouped: the groups of two workloads or more. @default - not grouped */
  readonly groups?: Array<{ readonly name: string; readonly workloads: string[] }>;
  readonly flows: Array<{
    /** When grouped: how many flows between workloads the row stands for. @default - one */
    readonly pairs?: number;
    readonly change: 'added' | 'removed' | 'changed';
    readonly from: DiffEndpointJson;
    readonly to: DiffEndpointJson;
    readonly before: ConnectionsJson;
    readonly after: ConnectionsJson;
    readonly added: ConnectionsJson;
    readonly removed: ConnectionsJson;
  }>;
  readonly policies: Array<{
    readonly id: string;
    readonly change: 'added' | 'removed' | 'changed';
    readonly details: string[];
    readonly flows: number;
  }>;
}

/** The diff as a JSON-ready object (see `DiffJson`). */
export function diffJson(diff: ConnectivityDiff, labels: DiffLabels & DiffDetailOptions = {}): DiffJson {
  const grouped = groupDiff(diff, labels);
  return {
    ...(labels.before !== undefined ? { before: labels.before } : {}),
    ...(labels.after !== undefined ? { after: labels.after } : {}),
    summary: { ...diff.summary },
    widens: diff.widens,
    ...(grouped ? { grouped: grouped.line, groups: grouped.groups.map(groupJson) } : {}),
    flows: grouped ? grouped.flows.map(groupFlowJson(grouped)) : diff.flows.map(flowJson),
    policies: diff.policies.map(policyJson),
  };
}

/** The diff as indented JSON text with a final newline. */
export function formatDiffJson(diff: ConnectivityDiff, labels: DiffLabels & DiffDetailOptions = {}): string {
  return joinChunks(diffJsonChunks(diff, labels));
}

/** `formatDiffJson` in pieces: each flow is turned into JSON while it is written. */
export function diffJsonChunks(diff: ConnectivityDiff, labels: DiffLabels & DiffDetailOptions = {}): Generator<string> {
  const grouped = groupDiff(diff, labels);
  return jsonChunks([
    ['before', labels.before],
    ['after', labels.after],
    ['summary', { ...diff.summary }],
    ['widens', diff.widens],
    ['grouped', grouped?.line],
    ['groups', grouped ? grouped.groups.map(groupJson) : undefined],
    ['flows', grouped ? new JsonStream(mapped(grouped.flows, groupFlowJson(grouped))) : new JsonStream(mapped(diff.flows, flowJson))],
    ['policies', new JsonStream(mapped(diff.policies, policyJson))],
  ]);
}

function groupJson(g: DiffGroup): { name: string; workloads: string[] } {
  return { name: g.name, workloads: [...g.workloads] };
}

/** The JSON of a grouped row: `pairs` first, and the workloads of an end that is a group. */
function groupFlowJson(grouped: GroupedDiff): (f: GroupedDiff['flows'][number]) => DiffJson['flows'][number] {
  const members = new Map(grouped.groups.map((g) => [g.name, g.workloads]));
  const end = (e: DiffEndpoint): DiffEndpointJson => {
    const ws = e.type === 'workload' ? members.get(e.name) : undefined;
    return ws ? { ...endpoint(e), workloads: [...ws] } : endpoint(e);
  };
  return (f) => ({ pairs: f.pairs, ...flowJson(f), from: end(f.from), to: end(f.to) });
}

function* mapped<T, U>(items: readonly T[], f: (item: T) => U): Generator<U> {
  for (const item of items) yield f(item);
}

function flowJson(f: FlowChange): DiffJson['flows'][number] {
  return {
    change: f.change,
    from: endpoint(f.from),
    to: endpoint(f.to),
    before: connections(f.before, f.beforeReach),
    after: connections(f.after, f.afterReach),
    added: connections(f.added),
    removed: connections(f.removed),
  };
}

function policyJson(p: PolicyChange): DiffJson['policies'][number] {
  return { id: p.id, change: p.change, details: [...p.details], flows: p.flows };
}

function endpoint(e: DiffEndpoint): DiffEndpointJson {
  return e.type === 'workload' ? { type: 'workload', name: e.name } : { type: 'external', name: e.name, addresses: e.addresses.lines() };
}

function connections(c: ConnectionSet, reach?: Reach): ConnectionsJson {
  const depends = reach?.depends ?? [];
  return {
    connections: c.toString(),
    ports: c.toJSON(),
    ...(depends.length > 0
      ? {
          depends: depends.map((d) => ({
            connections: d.ports.toString(),
            ports: d.ports.toJSON(),
            portNames: d.portNames.map((n) => n.name),
            if: d.condition.toString(),
          })),
        }
      : {}),
  };
}
