/**
 * What a change to the policies changes in allowed connectivity: the flows (ordered pairs of
 * endpoints) that become allowed, stop being allowed, or keep being allowed on other ports.
 * This is the review question of a pull request, answered from the semantics rather than from
 * a text diff of YAML: reordering rules or splitting a policy in two shows no change, and an
 * ipBlock made redundant by a wider one shows none either.
 *
 * Both sides are analysed over the same endpoints: one cluster (given, or inferred from the
 * policies of both sides) and external addresses cut by the ipBlocks of both sides, so that
 * every flow of one side has its counterpart on the other.
 */
import { AddressSet, cutAddressSpace } from '../model/address-set';
import { Cluster, Workload } from '../model/cluster';
import { ClusterPolicy } from '../model/cluster-policy';
import { NetpolError } from '../model/errors';
import { Port } from '../model/port';
import { Policy } from '../model/policy';
import { compareStrings } from '../model/order';
import { Direction } from '../model/rule';
import { AddressRange } from '../model/address-range';
import { Reach } from '../model/reach';
import { analyze, Analysis, AnalyzeOptions } from './analysis';
import { ConnectionSet } from '../model/connection-set';
import { Endpoint, ExternalEndpoint } from './endpoint';
import { clusterPicture } from './picture';

/** One end of a flow in a diff: a workload, or a group of external addresses treated alike. */
export type DiffEndpoint =
  | { readonly type: 'workload'; readonly workload: Workload; /** `ns/name`, as `Analysis.nameOf` prints it. */ readonly name: string }
  | { readonly type: 'external'; readonly addresses: AddressSet; /** `addresses.toString()`. */ readonly name: string };

/** How a flow changed. */
export type FlowChangeKind = 'added' | 'removed' | 'changed';

/** One flow whose allowed connections differ between the two sides. */
export interface FlowChange {
  /**
   * `added`: nothing was allowed before, not even on a condition; `removed`: nothing is allowed
   * after; else `changed`.
   */
  readonly change: FlowChangeKind;
  readonly from: DiffEndpoint;
  readonly to: DiffEndpoint;
  /** What was allowed for sure before. */
  readonly before: ConnectionSet;
  /** What is allowed for sure after. */
  readonly after: ConnectionSet;
  /** Allowed for sure after and not before. */
  readonly added: ConnectionSet;
  /** Allowed for sure before and not after. */
  readonly removed: ConnectionSet;
  /** Everything allowed before, what depends on something unknown included. */
  readonly beforeReach: Reach;
  /** Everything allowed after, what depends on something unknown included. */
  readonly afterReach: Reach;
  /** True if the after side may allow something the before side does not (for sure, or on a condition). */
  readonly widens: boolean;
}

/** A policy that exists on one side only, or whose rules differ. */
export interface PolicyChange {
  /** `namespace/name`; `ClusterNetworkPolicy <name>` for a ClusterNetworkPolicy. */
  readonly id: string;
  readonly change: 'added' | 'removed' | 'changed';
  /**
   * What differs, one line each, `-` for what only the before side has and `+` for what only
   * the after side has: `- ingress from 172.16.0.0/16: TCP 80, TCP 443`,
   * `+ egress to pods app=db: TCP 5432`, `- applies to pods app=web`, `+ isolates Egress`.
   */
  readonly details: readonly string[];
  /**
   * How many of the flow changes have an end that the policy (either version) selects, in a
   * direction it isolates. Zero means the policy changed but what its pods may do did not,
   * e.g. because another peer already allowed what the changed one allows.
   */
  readonly flows: number;
}

/** The result of `diffPolicies`. */
export interface ConnectivityDiff {
  /** Every flow change, sorted by source then destination name. */
  readonly flows: readonly FlowChange[];
  /** Every changed policy, sorted by id. */
  readonly policies: readonly PolicyChange[];
  /** How many flows of each kind. */
  readonly summary: { readonly added: number; readonly removed: number; readonly changed: number };
  /**
   * True if anything may be allowed after that was not before: an added flow, new ports on a
   * changed one, or something that newly depends on an unknown.
   */
  readonly widens: boolean;
}

/** The ClusterNetworkPolicies of the two sides of a diff. */
export interface DiffClusterPolicies {
  /** Those of the before side. */
  readonly before: readonly ClusterPolicy[];
  /** Those of the after side. */
  readonly after: readonly ClusterPolicy[];
}

/** Options of `diffPolicies`. */
export interface DiffOptions extends Omit<AnalyzeOptions, 'clusterPolicies'> {
  /**
   * What is known of the cluster to analyse both sides over (`clusterPicture` adds groups for
   * what the policies of both sides select beyond it, unless it is complete).
   * @default - nothing: pod groups inferred from the policies of both sides
   */
  readonly cluster?: Cluster;
  /**
   * The ClusterNetworkPolicies of each side, evaluated with its NetworkPolicies; a change of
   * theirs (a rule, its order, the priority, the tier, the subject) is a policy change.
   * @default - none on either side
   */
  readonly clusterPolicies?: DiffClusterPolicies;
}

/**
 * The semantic difference between two sets of policies: what the change does to allowed
 * connectivity, and which policies changed.
 *
 * @example
 * const d = diffPolicies(readPolicies(['base/']).policies, readPolicies(['dist/prod']).policies);
 * for (const f of d.flows) console.log(f.change, f.from.name, '->', f.to.name, f.after.toString());
 */
export function diffPolicies(before: readonly Policy[], after: readonly Policy[], options: DiffOptions = {}): ConnectivityDiff {
  const cnps = options.clusterPolicies ?? { before: [], after: [] };
  const cluster = clusterPicture([...before, ...after], {
    known: options.cluster,
    clusterPolicies: [...cnps.before, ...cnps.after],
  });
  const beforeAnalysis = analyze(before, cluster, { ...options, clusterPolicies: cnps.before });
  const afterAnalysis = analyze(after, cluster, { ...options, clusterPolicies: cnps.after });
  const flows = diffAnalyses(beforeAnalysis, afterAnalysis);
  const policies = [
    ...policyChanges(before, after, flows),
    ...clusterPolicyChanges(cnps.before, cnps.after, flows, [beforeAnalysis, afterAnalysis]),
  ];
  const count = (k: FlowChangeKind) => flows.filter((f) => f.change === k).length;
  return {
    flows,
    policies,
    summary: { added: count('added'), removed: count('removed'), changed: count('changed') },
    widens: flows.some((f) => f.widens),
  };
}

/**
 * The flows whose allowed connections differ between two analyses of the same workloads
 * (the same `Workload` objects, as when both are analysed over one cluster). Pairs of a
 * workload with itself count: they stand for traffic between pods of one group. External
 * ranges are cut where either analysis cuts them, and ranges that changed alike toward the
 * same workload are merged into one endpoint. Sorted by source then destination name.
 * Throws `NetpolError` when the analyses cover different workloads.
 */
export function diffAnalyses(before: Analysis, after: Analysis): FlowChange[] {
  const ws = before.workloads;
  if (ws.length !== after.workloads.length || ws.some((w, i) => w !== after.workloads[i])) {
    throw NetpolError.ofValue(
      'diff.workloads',
      'the two analyses cover different workloads; analyse both policy sets over one cluster, e.g. clusterPicture([...before, ...after])',
    );
  }
  const position = new Map(ws.map((w, i) => [w, i]));
  const endpoint = (w: Workload): DiffEndpoint => ({
    type: 'workload',
    workload: w,
    name: before.nameOf({ type: 'workload', workload: w }),
  });

  // Workloads alike on both sides form one joint class; a pair of classes is compared once.
  const joint = new Map<string, { b: number; a: number; members: Workload[] }>();
  for (const w of ws) {
    const b = before.classOfWorkload(w).index;
    const a = after.classOfWorkload(w).index;
    const key = `${b}|${a}`;
    const j = joint.get(key);
    if (j) j.members.push(w);
    else joint.set(key, { b, a, members: [w] });
  }
  const classes = [...joint.values()];
  const out: FlowChange[] = [];
  for (const src of classes) {
    for (const dst of classes) {
      const b = before.classReach(src.b, dst.b);
      const a = after.classReach(src.a, dst.a);
      if (b.equals(a)) continue;
      for (const from of src.members) {
        for (const to of dst.members) {
          // between two workloads of one namespace, conditions on both ends' namespaces are one
          const same = from.namespace === to.namespace;
          const bb = same ? b.forSharedNamespace() : b;
          const aa = same ? a.forSharedNamespace() : a;
          if (!bb.equals(aa)) out.push(change(endpoint(from), endpoint(to), bb, aa));
        }
      }
    }
  }

  // External ends: the common refinement of both sides' ranges, merged where they change alike.
  const external = (range: AddressRange): ExternalEndpoint => ({
    type: 'external',
    range,
    address: { family: range.family, value: range.first },
  });
  const sides = [
    { ranges: commonPartition(before.externalSources, after.externalSources), inbound: true },
    { ranges: commonPartition(before.externalDestinations, after.externalDestinations), inbound: false },
  ];
  for (const { ranges, inbound } of sides) {
    const groups = new Map<string, { workload: Workload; b: Reach; a: Reach; ranges: AddressRange[] }>();
    for (const range of ranges) {
      for (const j of classes) {
        const w: Endpoint = { type: 'workload', workload: j.members[0] };
        const x = external(range);
        const b = inbound ? before.reach(x, w) : before.reach(w, x);
        const a = inbound ? after.reach(x, w) : after.reach(w, x);
        if (b.equals(a)) continue;
        for (const workload of j.members) {
          const key = `${position.get(workload)}|${b.key}|${a.key}`;
          const g = groups.get(key);
          if (g) g.ranges.push(range);
          else groups.set(key, { workload, b, a, ranges: [range] });
        }
      }
    }
    for (const g of groups.values()) {
      const addresses = AddressSet.of(g.ranges);
      const ext: DiffEndpoint = { type: 'external', addresses, name: addresses.toString() };
      out.push(inbound ? change(ext, endpoint(g.workload), g.b, g.a) : change(endpoint(g.workload), ext, g.b, g.a));
    }
  }
  return out.sort((x, y) => compareStrings(x.from.name, y.from.name) || compareStrings(x.to.name, y.to.name));
}

function change(from: DiffEndpoint, to: DiffEndpoint, before: Reach, after: Reach): FlowChange {
  const kind: FlowChangeKind = before.isEmpty ? 'added' : after.isEmpty ? 'removed' : 'changed';
  return {
    change: kind,
    from,
    to,
    before: before.allowed,
    after: after.allowed,
    added: after.allowed.subtract(before.allowed),
    removed: before.allowed.subtract(after.allowed),
    beforeReach: before,
    afterReach: after,
    // after within before, in every world: what after allows, before allows too
    widens: !after.intersect(before).equals(after),
  };
}

/** The ranges that start wherever a range of either partition starts (both cover the whole space). */
function commonPartition(x: readonly AddressRange[], y: readonly AddressRange[]): AddressRange[] {
  return cutAddressSpace([...x, ...y]);
}

/** A policy as the set of facts that decide what it does, keyed for comparison. */
interface Fact {
  /** Orders lines: what the policy selects, then what it isolates, then ingress, then egress. */
  readonly section: number;
  /** The line without its ports: `applies to pods app=web`, `ingress from 10.0.0.0/8`. */
  readonly subject: string;
  readonly port?: Port;
}

/**
 * A rule allows every pair of one of its peers and one of its ports, so a policy is exactly
 * the union of such pairs per direction, plus its pod selector and policy types.
 */
function facts(p: Policy): Map<string, Fact> {
  const out = new Map<string, Fact>();
  const add = (f: Fact) => out.set(`${f.section}|${f.subject}|${f.port?.toString() ?? ''}`, f);
  add({ section: 0, subject: `applies to pods ${p.podSelector}` });
  for (const t of p.policyTypes) add({ section: 1, subject: `isolates ${t}` });
  ([Direction.INGRESS, Direction.EGRESS] as Direction[]).forEach((d, i) => {
    const word = d === Direction.INGRESS ? 'ingress from' : 'egress to';
    for (const rule of p.rules(d)) {
      const peers = rule.anyPeer ? [d === Direction.INGRESS ? 'any source' : 'any destination'] : rule.peers.map(String);
      for (const peer of peers) {
        if (rule.anyPort) add({ section: 2 + i, subject: `${word} ${peer}` });
        for (const port of rule.ports) add({ section: 2 + i, subject: `${word} ${peer}`, port });
      }
    }
  });
  return out;
}

/** `-`/`+` lines for the facts only one side has, ports of one subject and sign on one line. */
function detailLines(gone: readonly Fact[], come: readonly Fact[]): string[] {
  const lines = new Map<string, { section: number; subject: string; sign: string; ports: Port[]; all: boolean }>();
  for (const [sign, list] of [
    ['-', gone],
    ['+', come],
  ] as const) {
    for (const f of list) {
      const key = `${sign}|${f.section}|${f.subject}`;
      let l = lines.get(key);
      if (!l) lines.set(key, (l = { section: f.section, subject: f.subject, sign, ports: [], all: false }));
      if (f.port) l.ports.push(f.port);
      else if (f.section >= 2) l.all = true;
    }
  }
  return [...lines.values()]
    .sort((a, b) => a.section - b.section || compareStrings(a.subject, b.subject) || compareStrings(a.sign, b.sign))
    .map((l) => {
      const ports = [...(l.all ? ['all ports'] : []), ...l.ports.sort(Port.compare).map(String)];
      return `${l.sign} ${l.subject}${l.section >= 2 ? `: ${ports.join(', ')}` : ''}`;
    });
}

function policyChanges(before: readonly Policy[], after: readonly Policy[], flows: readonly FlowChange[]): PolicyChange[] {
  const b = new Map(before.map((p) => [p.id, p]));
  const a = new Map(after.map((p) => [p.id, p]));
  const ids = [...new Set([...b.keys(), ...a.keys()])].sort(compareStrings);
  const out: PolicyChange[] = [];
  for (const id of ids) {
    const pb = b.get(id);
    const pa = a.get(id);
    const fb = pb ? facts(pb) : new Map<string, Fact>();
    const fa = pa ? facts(pa) : new Map<string, Fact>();
    const gone = [...fb].filter(([k]) => !fa.has(k)).map(([, f]) => f);
    const come = [...fa].filter(([k]) => !fb.has(k)).map(([, f]) => f);
    if (pb && pa && gone.length === 0 && come.length === 0) continue;
    const versions = [pb, pa].filter((p): p is Policy => p !== undefined);
    const touched = flows.filter((f) => versions.some((p) => touches(p, f))).length;
    out.push({ id, change: !pb ? 'added' : !pa ? 'removed' : 'changed', details: detailLines(gone, come), flows: touched });
  }
  return out;
}

/**
 * What a ClusterNetworkPolicy says, line by line: tier and priority, subject, and each rule with
 * its position, since order decides.
 */
function clusterFacts(p: ClusterPolicy): Map<string, string> {
  const lines = [`tier ${p.tier}`, `priority ${p.priority}`, `applies to ${p.subject}`];
  for (const [word, rules] of [
    ['ingress', p.ingress],
    ['egress', p.egress],
  ] as const) {
    rules.forEach((r, i) => lines.push(`${word} rule ${i}${r.name ? ` (${r.name})` : ''}: ${r}`));
  }
  return new Map(lines.map((l) => [l, l]));
}

function clusterPolicyChanges(
  before: readonly ClusterPolicy[],
  after: readonly ClusterPolicy[],
  flows: readonly FlowChange[],
  analyses: readonly Analysis[],
): PolicyChange[] {
  const b = new Map(before.map((p) => [p.name, p]));
  const a = new Map(after.map((p) => [p.name, p]));
  const names = [...new Set([...b.keys(), ...a.keys()])].sort(compareStrings);
  const out: PolicyChange[] = [];
  for (const name of names) {
    const pb = b.get(name);
    const pa = a.get(name);
    const fb = pb ? clusterFacts(pb) : new Map<string, string>();
    const fa = pa ? clusterFacts(pa) : new Map<string, string>();
    const gone = [...fb.keys()].filter((k) => !fa.has(k));
    const come = [...fa.keys()].filter((k) => !fb.has(k));
    if (pb && pa && gone.length === 0 && come.length === 0) continue;
    const versions = [pb, pa].filter((p): p is ClusterPolicy => p !== undefined);
    const selects = (e: DiffEndpoint) =>
      e.type === 'workload' && analyses.some((an) => an.clusterPoliciesOf(e.workload).some((p) => versions.includes(p)));
    const touched = flows.filter((f) => selects(f.from) || selects(f.to)).length;
    out.push({
      id: `ClusterNetworkPolicy ${name}`,
      change: !pb ? 'added' : !pa ? 'removed' : 'changed',
      details: [...gone.map((l) => `- ${l}`), ...come.map((l) => `+ ${l}`)],
      flows: touched,
    });
  }
  return out;
}

/** True if the policy selects the flow's destination and isolates ingress, or its source and isolates egress. */
function touches(p: Policy, f: FlowChange): boolean {
  const selects = (e: DiffEndpoint) => e.type === 'workload' && p.selects(e.workload);
  return (p.isolates(Direction.INGRESS) && selects(f.to)) || (p.isolates(Direction.EGRESS) && selects(f.from));
}
