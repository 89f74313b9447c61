/**
 * The rules of one end of a connection that name the other end by a pod selector and allow some
 * of a set of ports: what NP002 points at. The answer is the one `Analysis.explain` gives rule
 * by rule (the same peer matching, port entries and conditions), worked out once per rule of the
 * isolating policies instead of once per port and per policy of the cluster.
 */
import type { Analysis } from '../../../analysis/analysis';
import type { WorkloadEndpoint } from '../../../analysis/endpoint';
import { Workload } from '../../../model/cluster';
import { ConnectionSet } from '../../../model/connection-set';
import { Peer, peerMatchesNamespace, peerMatchesPod } from '../../../model/peer';
import { Policy } from '../../../model/policy';
import { PROTOCOLS } from '../../../model/protocol';
import { Reach } from '../../../model/reach';
import { Direction } from '../../../model/rule';
import { byNamespace } from './by-namespace';

/** A rule of the subject's policies that names the other end and allows part of the gap. */
export interface NamingRule {
  readonly policy: Policy;
  /** Position of the rule in the policy's list of `side`. */
  readonly ruleIndex: number;
  /** Position of the first peer that names the other end's pods. */
  readonly peer: number;
  /** The ports of the gap that the rule allows. */
  readonly ports: ConnectionSet;
  /** The ids of the policies isolating the other end in the other direction, sorted. */
  readonly otherEnd: string[];
}

/**
 * The policies of `analysis` that select `pod` and isolate it in `direction`, in id order (the
 * order of an explanation's `isolatedBy`).
 */
export type IsolatedBy = (pod: Workload, direction: Direction) => readonly Policy[];

/**
 * For the connection from `a` to `b`: the rules of `side` (the egress of `a`, or the ingress of
 * `b`) whose peers name the other end by a pod selector for sure and that allow, for sure, the
 * first port of some range of `gap`; per rule, the first such peer and the ports of `gap` in the
 * ranges it allows first. Rules are tried in policy id order, then rule order, and the first
 * that qualifies on a range takes it. Policies come from `isolatedBy` (`isolatedByOf`).
 */
export function namingRules(
  analysis: Analysis,
  isolatedBy: IsolatedBy,
  a: Workload,
  b: Workload,
  gap: ConnectionSet,
  side: Direction,
): NamingRule[] {
  const subject = side === Direction.EGRESS ? a : b;
  const other = side === Direction.EGRESS ? b : a;
  const otherSide = side === Direction.EGRESS ? Direction.INGRESS : Direction.EGRESS;
  const end = side === Direction.INGRESS ? 'source' : 'destination';
  const otherNamespace = analysis.namespace(other.namespace);
  // Per rule, what it allows of a to b and the first peer naming the other end's pods for sure.
  const rules: Array<{ policy: Policy; ruleIndex: number; reach: Reach; peer: number }> = [];
  for (const policy of isolatedBy(subject, side)) {
    policy.rules(side).forEach((rule, ruleIndex) => {
      if (rule.anyPeer) return;
      const matches = rule.peers.map((peer) => peerMatchesPod(peer, end, policy.namespace, other, otherNamespace, analysis.addressing));
      const peer = matches.findIndex((m, i) => m === true && namesPods(rule.peers[i]));
      if (peer < 0) return;
      let peers = Reach.none();
      for (const m of matches) peers = peers.union(m === true ? Reach.all() : m === false ? Reach.none() : Reach.all().when(m));
      rules.push({ policy, ruleIndex, reach: peers.intersect(rule.portReach(b)), peer });
    });
  }
  if (rules.length === 0) return [];
  const found = new Map<string, { policy: Policy; ruleIndex: number; peer: number; ports: ConnectionSet }>();
  for (const protocol of PROTOCOLS) {
    for (const [first, last] of gap.ranges(protocol)) {
      const r = rules.find((x) => x.reach.allowed.contains(first, protocol));
      if (!r) continue;
      const key = `${r.policy.id}|${r.ruleIndex}|${r.peer}`;
      const range = ConnectionSet.range(protocol, first, last);
      const prev = found.get(key);
      found.set(key, { policy: r.policy, ruleIndex: r.ruleIndex, peer: r.peer, ports: prev ? prev.ports.union(range) : range });
    }
  }
  if (found.size === 0) return [];
  const otherEnd = isolatedBy(other, otherSide).map((p) => p.id);
  return [...found.values()].map((f) => ({ ...f, ports: f.ports.intersect(gap), otherEnd }));
}

/**
 * The pairs of classes (i, j) for which some rule could be reported: an egress rule of the
 * source's policies, or an ingress rule of the destination's, with a peer that names the other
 * end's pods for sure (`namingRules` finds nothing for any other pair). By source class, then
 * destination class, both ascending: the order of a walk over every pair.
 */
export function candidatePairs(
  analysis: Analysis,
  isolatedBy: IsolatedBy,
  firsts: readonly WorkloadEndpoint[],
  seconds: readonly (WorkloadEndpoint | undefined)[],
): Array<[number, number[]]> {
  // Each representative: its class, and whether it stands for the class paired with itself.
  const rep = new Map<Workload, { index: number; second: boolean }>();
  firsts.forEach((e, index) => rep.set(e.workload, { index, second: false }));
  seconds.forEach((e, index) => e && rep.set(e.workload, { index, second: true }));
  const named = new NamedPods(analysis, [...rep.keys()]);
  const pairs = firsts.map(() => new Set<number>());
  // The peers naming pods of each policy's rules of a side, listed once per policy.
  const ofPolicy: Record<Direction, Map<Policy, Array<{ peer: Peer; namespace: string }>>> = {
    [Direction.INGRESS]: new Map(),
    [Direction.EGRESS]: new Map(),
  };
  const policyPeers = (p: Policy, side: Direction) => {
    let list = ofPolicy[side].get(p);
    if (!list) {
      list = p.rules(side).flatMap((r) => (r.anyPeer ? [] : r.peers.filter(namesPods).map((peer) => ({ peer, namespace: p.namespace }))));
      ofPolicy[side].set(p, list);
    }
    return list;
  };
  const peersNaming = (pod: Workload, side: Direction) => isolatedBy(pod, side).flatMap((p) => policyPeers(p, side));
  // The source's egress names the destination: the first of another class, or the second of its own.
  firsts.forEach((a, i) => {
    for (const { peer, namespace } of peersNaming(a.workload, Direction.EGRESS)) {
      for (const b of named.matching(peer, 'destination', namespace)) {
        const r = rep.get(b)!;
        if (r.second === (r.index === i)) pairs[i].add(r.index);
      }
    }
  });
  // The destination's ingress names the source, the first of its class.
  for (const [b, { index: j, second }] of rep) {
    for (const { peer, namespace } of peersNaming(b, Direction.INGRESS)) {
      for (const a of named.matching(peer, 'source', namespace)) {
        const r = rep.get(a)!;
        if (!r.second && second === (r.index === j)) pairs[r.index].add(j);
      }
    }
  }
  return pairs.flatMap((js, i) => (js.size > 0 ? [[i, [...js].sort((x, y) => x - y)] as [number, number[]]] : []));
}

/**
 * `isolating` (the policies that select a pod and isolate it in a direction, in any order)
 * sorted by id, remembered per pod and direction.
 */
export function isolatedByOf(isolating: (pod: Workload, direction: Direction) => readonly Policy[]): IsolatedBy {
  const memo = new Map<Workload, Partial<Record<Direction, readonly Policy[]>>>();
  return (pod, direction) => {
    let entry = memo.get(pod);
    if (!entry) memo.set(pod, (entry = {}));
    let sorted = entry[direction];
    if (!sorted) entry[direction] = sorted = [...isolating(pod, direction)].sort((x, y) => compare(x.id, y.id));
    return sorted;
  };
}

function compare(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

/** True if the peer selects pods by label (not a whole namespace, not addresses). */
export function namesPods(peer: Peer): boolean {
  return peer.podSelector !== undefined && !peer.podSelector.isEmpty;
}

/**
 * Which of some workloads each peer that names pods (`namesPods`) matches for sure, remembered
 * per peer: the workloads of the namespaces the peer admits for sure whose labels its pod
 * selector matches.
 */
export class NamedPods {
  private readonly byNamespace: Map<string, Workload[]>;
  private readonly memo = new Map<string, readonly Workload[]>();
  private readonly byPeer = new Map<Peer, Map<string, readonly Workload[]>>();
  private readonly namespaceMemo = new Map<string, readonly string[]>();

  /** `among`: the workloads to look at, in the order answers list them. */
  public constructor(
    private readonly analysis: Analysis,
    among: readonly Workload[],
  ) {
    this.byNamespace = byNamespace(among);
  }

  /**
   * The workloads that `peer` (one that names pods), in a rule of a policy of `policyNamespace`
   * matching the `end`, matches for sure: those for which `peerMatchesPod` is true.
   */
  public matching(peer: Peer, end: 'source' | 'destination', policyNamespace: string): readonly Workload[] {
    // The same peer object is asked about once for each pod its policy isolates.
    let asked = this.byPeer.get(peer);
    if (!asked) this.byPeer.set(peer, (asked = new Map()));
    const askedKey = `${end}|${policyNamespace}`;
    const known = asked.get(askedKey);
    if (known) return known;
    // A namespace selector does not depend on the policy's namespace; a pod selector alone does.
    const where = peer.namespaceSelector ? `namespaces ${peer.namespaceSelector}` : `namespace ${policyNamespace}`;
    const key = `${end}|${where}|${peer.podSelector}`;
    let found = this.memo.get(key);
    if (!found) {
      const out: Workload[] = [];
      for (const name of this.namespacesOf(peer, end, policyNamespace, `${end}|${where}`)) {
        const ns = this.analysis.namespace(name);
        for (const w of this.byNamespace.get(name)!) {
          if (peerMatchesPod(peer, end, policyNamespace, w, ns, this.analysis.addressing) === true) out.push(w);
        }
      }
      this.memo.set(key, (found = out));
    }
    asked.set(askedKey, found);
    return found;
  }

  /** The namespaces of the workloads that the peer admits for sure, remembered by `key`. */
  private namespacesOf(peer: Peer, end: 'source' | 'destination', policyNamespace: string, key: string): readonly string[] {
    let found = this.namespaceMemo.get(key);
    if (!found) {
      const candidates = peer.namespaceSelector
        ? [...this.byNamespace.keys()]
        : this.byNamespace.has(policyNamespace)
          ? [policyNamespace]
          : [];
      found = candidates.filter((name) => peerMatchesNamespace(peer, end, policyNamespace, this.analysis.namespace(name)) === true);
      this.namespaceMemo.set(key, found);
    }
    return found;
  }
}
