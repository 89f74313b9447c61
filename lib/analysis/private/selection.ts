/**
 * Which workloads each policy selects and each peer matches, for all workloads at once: bitsets
 * over the workloads' positions, computed through inverted label indexes. A peer's answer has
 * three parts: the workloads it matches for sure, those it matches only if a condition holds
 * (an unknown namespace's labels, an unknown pod IP) — the same condition for all of them —
 * and, implicitly, the rest.
 */
import { Namespace, Workload } from '../../model/cluster';
import { Condition, End } from '../../model/condition';
import { Peer, PeerKind, peerMatchesNamespace, peerMatchesPod, PodAddressing } from '../../model/peer';
import { Policy } from '../../model/policy';
import { LabelSelector } from '../../model/selector';
import { Bitset } from './bitset';
import { SelectorIndex } from './selector-index';

/** The workloads a peer matches: `yes` for sure, `maybe` if `condition` holds. */
export interface PeerSelection {
  readonly yes: Bitset;
  readonly maybe: Bitset;
  /** The condition of `maybe` (ALWAYS when `maybe` is empty). */
  readonly condition: Condition;
}

const NO_NAMESPACE: Namespace = { name: '', labels: {} };

/** Selection over a fixed list of workloads and namespaces. */
export class Selection {
  /** Every workload. */
  public readonly all: Bitset;
  /** No workload. */
  public readonly none: Bitset;
  private readonly pods: SelectorIndex;
  private readonly nsMembers = new Map<string, Bitset>();
  private readonly nsList: readonly Namespace[];
  private readonly nsIndex: SelectorIndex;
  private readonly namespaceCache = new Map<string, { yes: Bitset; maybe: Bitset; condition: Condition }>();
  private readonly peerCache = new Map<string, PeerSelection>();

  constructor(
    private readonly workloads: readonly Workload[],
    namespaces: ReadonlyMap<string, Namespace>,
    private readonly addressing: PodAddressing,
  ) {
    const n = workloads.length;
    this.all = Bitset.full(n);
    this.none = Bitset.empty(n);
    this.pods = new SelectorIndex(workloads.map((w) => w.labels));
    this.nsList = [...namespaces.values()];
    this.nsIndex = new SelectorIndex(this.nsList.map((ns) => ns.labels));
    for (const ns of this.nsList) this.nsMembers.set(ns.name, Bitset.empty(n));
    workloads.forEach((w, i) => this.nsMembers.get(w.namespace)!.add(i));
  }

  /** The workloads a policy selects (its namespace, its podSelector). */
  public subjects(policy: Policy): Bitset {
    return this.pods.matching(policy.podSelector).and(this.nsMembers.get(policy.namespace) ?? this.none);
  }

  /** The workloads a peer of a policy in `policyNamespace` matches, as the `end` of a connection. */
  public peer(peer: Peer, policyNamespace: string, end: End): PeerSelection {
    const key = `${end}\u0000${peer.kind === PeerKind.PODS ? `${policyNamespace}\u0000` : ''}${peer.key}`;
    let s = this.peerCache.get(key);
    if (s) return s;
    switch (peer.kind) {
      case PeerKind.ANY:
        s = { yes: this.all, maybe: this.none, condition: Condition.ALWAYS };
        break;
      case PeerKind.PODS:
        s = {
          yes: this.pods.matching(peer.podSelector!).and(this.nsMembers.get(policyNamespace) ?? this.none),
          maybe: this.none,
          condition: Condition.ALWAYS,
        };
        break;
      case PeerKind.NAMESPACES: {
        const ns = this.namespaces(peer.namespaceSelector!, end);
        const pods = peer.podSelector ? this.pods.matching(peer.podSelector) : this.all;
        s = { yes: pods.and(ns.yes), maybe: pods.and(ns.maybe), condition: ns.condition };
        break;
      }
      case PeerKind.IP_BLOCK:
        s = this.ipBlock(peer, end);
        break;
    }
    this.peerCache.set(key, s);
    return s;
  }

  /** The workloads of the namespaces a selector matches: for sure, or if a condition on their labels holds. */
  private namespaces(selector: LabelSelector, end: End): { yes: Bitset; maybe: Bitset; condition: Condition } {
    const key = `${end}\u0000${JSON.stringify(selector.toJson())}`;
    let out = this.namespaceCache.get(key);
    if (out) return out;
    const yes = Bitset.empty(this.workloads.length);
    const maybe = Bitset.empty(this.workloads.length);
    let condition = Condition.ALWAYS;
    const known = this.nsIndex.matching(selector);
    this.nsList.forEach((ns, i) => {
      if (ns.labelsKnown !== false) {
        if (known.has(i)) yes.orInPlace(this.nsMembers.get(ns.name)!);
        return;
      }
      const m = peerMatchesNamespace(Peer.namespaces(selector), end, '', ns);
      if (m === true) yes.orInPlace(this.nsMembers.get(ns.name)!);
      else if (m !== false) {
        maybe.orInPlace(this.nsMembers.get(ns.name)!);
        condition = m;
      }
    });
    out = { yes, maybe, condition };
    this.namespaceCache.set(key, out);
    return out;
  }

  /** An ipBlock against pods: by known IPs, by the pod ranges, or on condition (see `Peer.matchesPod`). */
  private ipBlock(peer: Peer, end: End): PeerSelection {
    const yes = Bitset.empty(this.workloads.length);
    const maybe = Bitset.empty(this.workloads.length);
    // One answer for every pod whose IP is unknown, then each known IP.
    const unknown = peerMatchesPod(
      peer,
      end,
      '',
      { namespace: '', name: '', kind: 'Pod', labels: {}, ports: [] },
      NO_NAMESPACE,
      this.addressing,
    );
    const ignore = (this.addressing.ipBlockPods ?? 'match') === 'ignore';
    this.workloads.forEach((w, i) => {
      const m = w.ips && w.ips.length > 0 ? !ignore && w.ips.some((ip) => peer.ipBlock!.containsIp(ip)) : unknown;
      if (m === true) yes.add(i);
      else if (m !== false) maybe.add(i);
    });
    return { yes, maybe, condition: typeof unknown === 'boolean' ? Condition.ALWAYS : unknown };
  }
}
