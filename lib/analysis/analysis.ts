/**
 * Offline reachability: what a set of NetworkPolicies allows between the workloads of a
 * cluster and the addresses outside it, with the exact Kubernetes semantics, in three values:
 * allowed, denied, or *depends* on what the picture does not know (a named port on pods whose
 * container ports are unknown, a namespace whose labels are unknown, an ipBlock against pods
 * whose IPs are unknown), with the condition under which it is allowed.
 *
 * How a *depends* answer is built: each rule gives a `Reach` for the pair (its peers' match, on
 * a condition where a fact is unknown, intersected with its ports, a named port staying a name
 * where the destination's container ports are unknown); the rules of every policy that isolates
 * an end add up (union), and the two ends must both allow (intersection: conditions are joined
 * by "and", port names must resolve to one port). So one pair can be allowed on TCP 443 for
 * sure and on the port named `metrics` if the destination declares one. What the pair itself
 * decides is decided (a known pod IP, two pods of one namespace sharing its labels); nothing
 * here turns what is left into allowed or denied — reports, matchers and lint decide how to
 * show it.
 *
 * It scales by never looking at pods one pair at a time: workloads that no selector, ipBlock
 * or named port can tell apart form one class; each distinct set of policies that selects a
 * class is evaluated once, as a row over classes; ports are interval sets and external
 * addresses are the ranges that the ipBlocks distinguish. A pair's answer is then one
 * intersection of two precomputed sets.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
import { AddressRange } from '../model/address-range';
import { cutAddressSpace } from '../model/address-set';
import { Cidr, formatIp, IpAddress, parseIp } from '../model/cidr';
import { ClusterPolicy } from '../model/cluster-policy';
import { Cluster, namespace as makeNamespace, Namespace, Workload, workloadId } from '../model/cluster';
import { ConnectionSet } from '../model/connection-set';
import { NetpolError } from '../model/errors';
import { IpBlockPods, PodAddressing, PeerKind } from '../model/peer';
import { Policy } from '../model/policy';
import { isProtocol, Protocol } from '../model/protocol';
import { Reach, Verdict } from '../model/reach';
import { Direction, Rule } from '../model/rule';
import { DomainName } from '../model/domain-name';
import { Labels, NAMESPACE_NAME_LABEL } from '../model/selector';
import { findRange, partitionAddressSpace } from './address-range';
import { Connection, Endpoint, ExternalEndpoint, workloadKindName } from './endpoint';
import { explainPair, Explanation, TieredExplanation } from './explanation';
import { ReachabilityMatrix } from './matrix';
import { partitionWorkloads } from './private/classes';
import { Bitset } from './private/bitset';
import { PairSides } from './private/pair-sides';
import { sumOverPairs } from './private/pair-sums';
import { buildRows, egressId, ingressId, RowInput, RowLayout, Rows } from './private/rows';
import { buildTieredRows, PairStorage } from './private/tiered-rows';
import { Selection } from './private/selection';
import { SetTable } from './private/set-table';
import { Lower, OtherEnd, TierDecision, Tiers, TierSelection } from './private/tiers';

export type { TierDecision } from './private/tiers';

/** Options of `analyze`. */
export interface AnalyzeOptions {
  /**
   * Whether an ipBlock peer matches pods whose IP lies in it. `'match'` is what Kubernetes'
   * conformance tests expect (a pod whose IP is unknown then matches on condition); `'ignore'`
   * is np-guard's convention, and what some network plugins do, where ipBlocks match only
   * addresses outside the cluster.
   * @default 'match'
   */
  readonly ipBlockPods?: IpBlockPods;
  /**
   * The ranges pod IPs are taken from, which decide an ipBlock against a pod whose IP is unknown
   * where the block holds all of them or none.
   * @default - the cluster's `podCidrs`, else unknown
   */
  readonly podCidrs?: readonly (string | Cidr)[];
  /**
   * ClusterNetworkPolicies evaluated with the NetworkPolicies, per direction: the Admin tier (by
   * priority, then rule order; Accept and Deny final, Pass on), then the NetworkPolicies that
   * isolate the pod (final), else the Baseline tier, else allowed. Nodes peers match the
   * cluster's `nodes` (their addresses, and host-network workloads at them).
   * @default - none
   */
  readonly clusterPolicies?: readonly ClusterPolicy[];
}

/**
 * Options of `Analysis.create` beyond `AnalyzeOptions`, for comparing implementations.
 * @internal
 */
export interface InternalAnalyzeOptions {
  /** How the rows are laid out. @default RowLayout.SHARED */
  readonly rowLayout?: RowLayout;
  /** How the all-pairs answers are kept with ClusterNetworkPolicies. @default PairStorage.ROWS */
  readonly pairStorage?: PairStorage;
}

/** A group of workloads that no policy can tell apart: every pair of them is treated alike. */
export interface WorkloadClass {
  /** Position in `Analysis.classes`. */
  readonly index: number;
  /** Its workloads, in the cluster's order. */
  readonly workloads: readonly Workload[];
}

/**
 * Analyses what the policies allow in the cluster.
 *
 * Policies are additive and both ends must allow a connection: a pod is isolated for ingress
 * (egress) once a policy of its namespace selects it and lists Ingress (Egress); then only what
 * such a policy's rules allow gets in (out). Addresses outside the cluster are not isolated.
 * What the cluster does not know (see `Cluster`) makes the answer *depend* on it.
 *
 * @example
 * const a = analyze(policies, cluster);
 * a.verdict('shop/web', 'shop/db', 5432).value; // 'allowed', 'denied' or 'depends'
 * a.reach('shop/web', 'shop/db').toString();    // 'TCP 5432'
 * console.log(a.explain('shop/web', 'shop/db', 5432).format());
 */
export function analyze(policies: readonly Policy[], cluster: Cluster, options: AnalyzeOptions = {}): Analysis {
  return Analysis.create(policies, cluster, options);
}

/** The cluster's namespaces, then those only referenced (their labels known only in a complete picture). */
function namespacesOf(cluster: Cluster, policies: readonly Policy[], complete: boolean): Map<string, Namespace> {
  const namespaces = new Map<string, Namespace>();
  for (const ns of cluster.namespaces) namespaces.set(ns.name, { ...ns, labels: { ...ns.labels, [NAMESPACE_NAME_LABEL]: ns.name } });
  for (const name of [...cluster.workloads.map((w) => w.namespace), ...policies.map((p) => p.namespace)]) {
    if (!namespaces.has(name)) namespaces.set(name, makeNamespace(name, {}, complete));
  }
  return namespaces;
}

/**
 * What tells workloads apart: the sets of workloads that policies, their peers and the
 * ClusterNetworkPolicies select (without all and none), and the named ports their rules use.
 */
function distinctions(
  policies: readonly Policy[],
  subjects: readonly Bitset[],
  selection: Selection,
  tierSelection: TierSelection,
): { sets: Set<Bitset>; namedPorts: Iterable<{ name: string; protocol: Protocol }> } {
  const sets = new Set(subjects);
  for (const b of tierSelection.sets) sets.add(b);
  const namedPorts = new Map<string, { name: string; protocol: Protocol }>();
  for (const p of policies) {
    for (const [end, rules] of [
      ['source', p.ingress],
      ['destination', p.egress],
    ] as const) {
      for (const r of rules) {
        for (const peer of r.peers) {
          const s = selection.peer(peer, p.namespace, end);
          sets.add(s.yes);
          sets.add(s.maybe);
        }
        for (const port of r.ports) {
          if (typeof port.port === 'string') namedPorts.set(`${port.protocol}/${port.port}`, { name: port.port, protocol: port.protocol });
        }
      }
    }
  }
  sets.delete(selection.all);
  sets.delete(selection.none);
  for (const n of tierSelection.namedPorts) namedPorts.set(`${n.protocol}/${n.name}`, n);
  return { sets, namedPorts: namedPorts.values() };
}

/** The ipBlocks of the rules `rules` picks from each policy. */
function ipBlocks(policies: readonly Policy[], rules: (p: Policy) => readonly Rule[]) {
  return policies.flatMap((p) =>
    rules(p).flatMap((r) => r.peers.filter((peer) => peer.kind === PeerKind.IP_BLOCK).map((peer) => peer.ipBlock!)),
  );
}

/** The address space cut by the egress ipBlocks and the ClusterNetworkPolicies' networks and nodes. */
function externalDestinations(policies: readonly Policy[], tierSelection: TierSelection): AddressRange[] {
  const blocks = ipBlocks(policies, (p) => p.egress);
  return tierSelection.cuts.length === 0
    ? partitionAddressSpace(blocks)
    : cutAddressSpace([
        ...blocks.flatMap((b) => b.ranges().map(([first, last]) => ({ family: b.cidr.family, first, last }))),
        ...tierSelection.cuts,
      ]);
}

/** The result of `analyze`: answers questions about connections. */
export class Analysis {
  /** @internal the factory behind `analyze` */
  public static create(policies: readonly Policy[], cluster: Cluster, options: AnalyzeOptions): Analysis {
    return new Analysis(policies, cluster, options);
  }

  /** The workloads analysed, in the cluster's order. */
  public readonly workloads: readonly Workload[];
  /** The policies analysed. */
  public readonly policies: readonly Policy[];
  /** The ClusterNetworkPolicies analysed with them. */
  public readonly clusterPolicies: readonly ClusterPolicy[];
  /**
   * Every namespace: the cluster's, and those only referenced, with their labels (always with
   * the name label) and whether the rest of their labels are known.
   */
  public readonly namespaces: ReadonlyMap<string, Namespace>;
  /** External source ranges: the address space (IPv4, then IPv6) cut by the ingress ipBlocks. */
  public readonly externalSources: readonly AddressRange[];
  /**
   * External destination ranges: the address space cut by the egress ipBlocks, the networks
   * of ClusterNetworkPolicies and the nodes' addresses.
   */
  public readonly externalDestinations: readonly AddressRange[];
  /** The classes of indistinguishable workloads. */
  public readonly classes: readonly WorkloadClass[];
  /** How ipBlock peers treat pods, and the pod address ranges when known. */
  public readonly addressing: PodAddressing;
  /** True if the cluster is the whole cluster (see `Cluster.complete`). */
  public readonly complete: boolean;

  private readonly table = new SetTable();
  private readonly classOf: Int32Array;
  private readonly rowInput: RowInput;
  private builtRows?: Rows;
  private pairSides?: PairSides;
  private readonly byName = new Map<string, number[]>();
  private readonly position = new Map<Workload, number>();
  private pairIds?: Int32Array;
  /** With ClusterNetworkPolicies, once the all-pairs analysis is asked for: the answers as rows. */
  private tieredRows?: Rows;
  private readonly pairStorage: PairStorage;
  private readonly tiers?: Tiers;
  private readonly subjects: readonly Bitset[];
  private readonly representatives: readonly number[];

  private constructor(policies: readonly Policy[], cluster: Cluster, options: AnalyzeOptions & InternalAnalyzeOptions) {
    this.policies = policies;
    this.pairStorage = options.pairStorage ?? PairStorage.ROWS;
    this.clusterPolicies = options.clusterPolicies ?? [];
    this.workloads = cluster.workloads;
    this.complete = cluster.complete === true;
    const podCidrs = (options.podCidrs ?? cluster.podCidrs)?.map((c) => (typeof c === 'string' ? Cidr.parse(c, { legacy: true }) : c));
    this.addressing = { ipBlockPods: options.ipBlockPods ?? 'match', ...(podCidrs && podCidrs.length > 0 ? { podCidrs } : {}) };
    this.workloads.forEach((w, i) => {
      this.position.set(w, i);
      const id = workloadId(w);
      const list = this.byName.get(id);
      if (list) list.push(i);
      else this.byName.set(id, [i]);
    });

    const namespaces = namespacesOf(cluster, policies, this.complete);
    this.namespaces = namespaces;

    const selection = new Selection(this.workloads, namespaces, this.addressing);
    const subjects = policies.map((p) => selection.subjects(p));
    this.subjects = subjects;
    const tierSelection = new TierSelection({
      clusterPolicies: this.clusterPolicies,
      workloads: this.workloads,
      namespaces,
      nodes: cluster.nodes ?? [],
      selection,
      ...(podCidrs && podCidrs.length > 0 ? { podCidrs } : {}),
    });
    const { sets, namedPorts } = distinctions(policies, subjects, selection, tierSelection);
    const partition = partitionWorkloads(this.workloads, sets, namedPorts);
    this.representatives = partition.representatives;
    this.classOf = partition.classOf;
    this.classes = partition.members.map((ms, index) => ({ index, workloads: ms.map((i) => this.workloads[i]) }));

    this.externalSources = partitionAddressSpace(ipBlocks(policies, (p) => p.ingress));
    this.externalDestinations = externalDestinations(policies, tierSelection);
    if (this.clusterPolicies.length > 0 || this.workloads.length > 0) this.tiers = new Tiers(tierSelection, partition);

    this.rowInput = {
      policies,
      workloads: this.workloads,
      selection,
      partition,
      subjects,
      externalSources: this.externalSources,
      externalDestinations: this.externalDestinations,
      table: this.table,
      ...(options.rowLayout ? { layout: options.rowLayout } : {}),
    };
  }

  /** The rows of every distinct set of isolating policies, built on first need. */
  private get rows(): Rows {
    return (this.builtRows ??= buildRows(this.rowInput));
  }

  /** The class of a workload of `workloads`. */
  public classOfWorkload(workload: Workload): WorkloadClass {
    return this.classes[this.classOf[this.indexOf({ type: 'workload', workload })]];
  }

  /** What the policies allow from any workload of class `from` to any other of class `to`. */
  public classReach(from: number, to: number): Reach {
    return this.table.get(this.classPair(from, to));
  }

  /** What the policies allow for sure from any workload of class `from` to any other of class `to`. */
  public classConnectionSet(from: number, to: number): ConnectionSet {
    return this.classReach(from, to).allowed;
  }

  /**
   * The answer of every ordered pair of classes (the all-pairs analysis). Each pair is two
   * lookups in the rows and a remembered intersection, so nothing is stored per pair. With
   * ClusterNetworkPolicies the tiers are first evaluated into rows of their own, once per kind
   * of subject and kind of other end (classes that every tier rule and every NetworkPolicy rule
   * treat alike share a row or a column).
   */
  public matrix(): ReachabilityMatrix {
    if (this.tiered && !this.tieredRows && !this.pairIds) {
      if (this.pairStorage === PairStorage.PER_PAIR) {
        const C = this.classes.length;
        const ids = new Int32Array(C * C);
        for (let d = 0; d < C; d++) for (let s = 0; s < C; s++) ids[d * C + s] = this.classPair(s, d);
        this.pairIds = ids;
      } else {
        this.tieredRows = buildTieredRows({
          rows: this.rows,
          tiers: this.tiers!,
          table: this.table,
          externalSources: this.externalSources,
          externalDestinations: this.externalDestinations,
        });
      }
    }
    const pairIds = this.pairIds;
    const rows = this.tieredRows ?? this.rows;
    return ReachabilityMatrix.create(this.classes, {
      pair: (from, to) => this.classPair(from, to),
      set: (id) => this.table.get(id),
      sumOverPairs: pairIds
        ? (weight, keep) => sumOverStoredPairs(pairIds, weight, keep)
        : (weight, keep) => sumOverPairs(rows, this.table, weight, keep),
      countExternal: (isEmpty) => this.countExternal(isEmpty),
    });
  }

  /** What an external source range (an index of `externalSources`) may send to a class. */
  public fromExternalToClass(source: number, to: number): Reach {
    return this.table.get(this.externalToClassId(source, to));
  }

  /** What a class may send to an external destination range (an index of `externalDestinations`). */
  public fromClassToExternal(from: number, destination: number): Reach {
    return this.table.get(this.classToExternalId(from, destination));
  }

  /**
   * What a class may send to a domain name (`api.example.com`): an endpoint of its own, which
   * `domainNames` peers match; an ipBlock or networks peer matches it for sure only when it
   * holds every address of both families, otherwise the answer depends on what the name
   * resolves to.
   */
  public fromClassToDomain(from: number, name: string): Reach {
    const er = this.rows.egressRowOf[from];
    const rules =
      er < 0
        ? []
        : this.policies
            .filter((p, i) => p.policyTypes.includes(Direction.EGRESS) && this.subjects[i].has(this.representatives[from]))
            .flatMap((p) => p.egress);
    return this.tiers!.evaluate(
      Direction.EGRESS,
      from,
      { kind: 'domain', name },
      {
        isolated: er >= 0,
        reach: () => Reach.all(),
        key: `np${er}`,
        rules,
      },
    );
  }

  /**
   * Resolves an endpoint reference, like `endpoint`, and also takes a CIDR outside the cluster
   * (`10.0.0.0/8`): then one endpoint per range of the partition that the CIDR overlaps, each
   * named by its first address inside the CIDR, since the policies may treat parts of the CIDR
   * differently.
   * @param role whether the endpoint is the source or the destination (external addresses
   *   fall into different ranges for each)
   */
  public endpoints(ref: string, role: 'from' | 'to'): Endpoint[] {
    const slash = ref.indexOf('/');
    if (slash > 0 && tryParseIp(ref.slice(0, slash))) {
      let cidr: Cidr;
      try {
        cidr = Cidr.parse(ref, { legacy: true });
      } catch (e) {
        if (!NetpolError.isNetpolError(e)) throw e;
        throw NetpolError.ofValue('endpoint.cidr', e.issues[0].message);
      }
      const partition = role === 'from' ? this.externalSources : this.externalDestinations;
      return partition
        .filter((r) => r.family === cidr.family && r.first <= cidr.last && r.last >= cidr.first)
        .map((range) => ({
          type: 'external' as const,
          range,
          address: { family: cidr.family, value: range.first > cidr.first ? range.first : cidr.first },
        }));
    }
    return [this.endpoint(ref, role)];
  }

  /**
   * Resolves an endpoint reference: a workload `ns/name` (or `ns/name[Kind]` when two workloads
   * share a name), or an IP address outside the cluster. Throws `NetpolError` naming what
   * exists when nothing matches.
   * @param role whether the endpoint is the source or the destination
   */
  public endpoint(ref: string, role: 'from' | 'to'): Endpoint {
    const ip = tryParseIp(ref);
    if (ip) {
      const partition = role === 'from' ? this.externalSources : this.externalDestinations;
      return { type: 'external', range: partition[findRange(partition, ip)], address: ip };
    }
    const slash = ref.indexOf('/');
    if (slash > 0 && tryParseIp(ref.slice(0, slash))) {
      throw NetpolError.ofValue(
        'endpoint.cidr',
        `"${ref}" is a CIDR; give one address, such as "${ref.slice(0, slash)}" (Analysis.endpoints takes CIDRs)`,
      );
    }
    const m = /^([^/]+)\/([^[\]/]+)(?:\[([^\]]+)\])?$/.exec(ref);
    if (!m) {
      const domain = tryDomain(ref);
      if (domain) return { type: 'domain', name: domain.key };
      throw NetpolError.ofValue('endpoint.syntax', `"${ref}" is neither a workload ("namespace/name"), an IP address nor a domain name`);
    }
    const [, ns, name, kind] = m;
    const found = (this.byName.get(`${ns}/${name}`) ?? []).filter((i) => kind === undefined || this.workloads[i].kind === kind);
    if (found.length === 1) return { type: 'workload', workload: this.workloads[found[0]] };
    if (found.length > 1) {
      const options = found.map((i) => `"${workloadKindName(this.workloads[i])}"`).join(', ');
      throw NetpolError.ofValue('endpoint.ambiguous', `"${ref}" names ${found.length} workloads; write one of ${options}`);
    }
    const owned = this.workloads.filter(
      (w) => w.namespace === ns && w.owner?.name === name && (kind === undefined || w.owner.kind === kind),
    );
    if (owned.length > 0) {
      const options = owned.map((w) => `"${workloadId(w)}"`).join(', ');
      throw NetpolError.ofValue(
        'endpoint.ambiguous',
        `"${ref}" is ${owned[0].owner!.kind} ${name}, whose pods carry different labels and are told apart; write one of ${options}`,
      );
    }
    const inNs = this.workloads.filter((w) => w.namespace === ns).map((w) => w.name);
    const hint =
      inNs.length === 0
        ? `namespace "${ns}" has no workloads`
        : `workloads in namespace "${ns}": ${[...new Set(inNs)].sort().slice(0, 10).join(', ')}${inNs.length > 10 ? ', …' : ''}`;
    throw NetpolError.ofValue('endpoint.unknown', `no workload "${ref}" in the cluster; ${hint}`);
  }

  /**
   * What the policies allow from `from` to `to` (endpoint references as for `endpoint`, or
   * endpoints), in three values. Between two workloads both ends must allow it; an external end
   * is not isolated; for two workloads of one namespace, a condition on the labels of both ends'
   * namespaces is one on that namespace. Throws `NetpolError` when both ends are outside the
   * cluster.
   */
  public reach(from: string | Endpoint, to: string | Endpoint): Reach {
    const src = typeof from === 'string' ? this.endpoint(from, 'from') : from;
    const dst = typeof to === 'string' ? this.endpoint(to, 'to') : to;
    if (src.type !== 'workload' && dst.type !== 'workload') {
      throw NetpolError.ofValue(
        'endpoint.external-pair',
        `both ends (${this.nameOf(src)} and ${this.nameOf(dst)}) are outside the cluster; NetworkPolicy governs only traffic to or from pods`,
      );
    }
    if (src.type === 'domain') {
      throw NetpolError.ofValue(
        'endpoint.domain-source',
        `${src.name} is a domain name, which policies match as a destination only; give the source's IP address instead`,
      );
    }
    if (dst.type === 'domain') return this.fromClassToDomain(this.classOf[this.indexOf(src as Endpoint)], dst.name);
    if (src.type === 'external') {
      return this.fromExternalToClass(this.rangeIndex(src, this.externalSources), this.classOf[this.indexOf(dst)]);
    }
    if (dst.type === 'external') {
      return this.fromClassToExternal(this.classOf[this.indexOf(src)], this.rangeIndex(dst, this.externalDestinations));
    }
    const reach = this.table.get(this.classPair(this.classOf[this.indexOf(src)], this.classOf[this.indexOf(dst)]));
    return src.workload.namespace === dst.workload.namespace ? reach.forSharedNamespace() : reach;
  }

  /**
   * What the policies of one direction allow between two workloads, the other end taken as
   * allowing everything: for `Direction.EGRESS`, what the source's egress allows to the
   * destination; for `Direction.INGRESS`, what the destination's ingress admits from the
   * source. The same answer as `reach` over the policies of that direction alone, taken from
   * this analysis without another one (lint compares the two ends with it).
   * @internal
   */
  public sideReach(direction: Direction, from: Endpoint, to: Endpoint): Reach {
    if (from.type !== 'workload' || to.type !== 'workload') {
      throw NetpolError.ofValue('endpoint.external-side', 'sideReach answers for two workloads; ask reach for an address or a domain name');
    }
    const s = this.classOf[this.indexOf(from)];
    const d = this.classOf[this.indexOf(to)];
    const id = direction === Direction.EGRESS ? egressId(this.rows, s, d) : ingressId(this.rows, d, s);
    const reach = this.table.get(id);
    return from.workload.namespace === to.workload.namespace ? reach.forSharedNamespace() : reach;
  }

  /**
   * `sideReach`, worked out for this one pair from the rules of the policies that isolate its
   * end, without the rows of every class that the other questions are answered from: for a
   * caller that asks about a few pairs of many classes (lint). The same answer as `sideReach`.
   * @internal
   */
  public pairSideReach(direction: Direction, from: Endpoint, to: Endpoint): Reach {
    if (from.type !== 'workload' || to.type !== 'workload') {
      throw NetpolError.ofValue('endpoint.external-side', 'sideReach answers for two workloads; ask reach for an address or a domain name');
    }
    this.pairSides ??= new PairSides(this.rowInput);
    const s = this.classOf[this.indexOf(from)];
    const d = this.classOf[this.indexOf(to)];
    return from.workload.namespace === to.workload.namespace
      ? this.pairSides.reachInNamespace(direction, s, d)
      : this.pairSides.reach(direction, s, d);
  }

  /**
   * What the policies allow for sure from `from` to `to` (see `reach` for what depends on
   * something unknown).
   */
  public connectionSet(from: string | Endpoint, to: string | Endpoint): ConnectionSet {
    return this.reach(from, to).allowed;
  }

  /**
   * The answer on one port: allowed, denied, or depends (with the alternatives under which it
   * is allowed).
   * @param protocol @default 'TCP'
   */
  public verdict(from: string | Endpoint, to: string | Endpoint, port: number, protocol: Protocol = Protocol.TCP): Verdict {
    checkProbe(port, protocol);
    return this.reach(from, to).verdict(port, protocol);
  }

  /**
   * True if the policies allow the connection for sure; false when it is denied or depends on
   * something unknown (`verdict` tells the two apart).
   * @param protocol @default 'TCP'
   */
  public allows(from: string | Endpoint, to: string | Endpoint, port: number, protocol: Protocol = Protocol.TCP): boolean {
    return this.verdict(from, to, port, protocol).value === 'allowed';
  }

  /**
   * Why the connection is allowed, denied or depends: which policies isolate each end, per
   * direction, and which rule, peer and port entry allows it, on which condition, or what each
   * rule lacks.
   * @param protocol @default 'TCP'
   */
  public explain(from: string | Endpoint, to: string | Endpoint, port: number, protocol: Protocol = Protocol.TCP): Explanation {
    checkProbe(port, protocol);
    const src = typeof from === 'string' ? this.endpoint(from, 'from') : from;
    const dst = typeof to === 'string' ? this.endpoint(to, 'to') : to;
    if (src.type !== 'workload' && dst.type !== 'workload') this.reach(src, dst);
    if (src.type === 'domain') this.reach(src, dst);
    if (!this.tiered && dst.type !== 'domain') return explainPair(this, src, dst, port, protocol);
    return explainPair(this, src, dst, port, protocol, this.tieredExplanation(src, dst, port, protocol));
  }

  /** The tiers' part of an explanation: per direction, what decided it, and the answers. */
  private tieredExplanation(src: Endpoint, dst: Endpoint, port: number, protocol: Protocol): TieredExplanation {
    const decisions = this.tierDecisions(src, dst, port, protocol);
    const out: { -readonly [K in keyof TieredExplanation]: TieredExplanation[K] } = {
      verdict: this.reach(src, dst).verdict(port, protocol),
    };
    if (src.type === 'workload' && decisions.egress) {
      const s = this.classOf[this.indexOf(src)];
      const reach =
        dst.type === 'workload'
          ? this.table.get(
              this.directionId(
                Direction.EGRESS,
                s,
                { kind: 'class', index: this.classOf[this.indexOf(dst)] },
                this.lower(Direction.EGRESS, s, this.classOf[this.indexOf(dst)], false),
              ),
            )
          : dst.type === 'external'
            ? this.table.get(this.classToExternalId(s, this.rangeIndex(dst, this.externalDestinations)))
            : this.fromClassToDomain(s, dst.name);
      out.egress = { selectedBy: this.tiers!.subjects(s), decisions: decisions.egress, reach };
    }
    if (dst.type === 'workload' && decisions.ingress) {
      const d = this.classOf[this.indexOf(dst)];
      const reach =
        src.type === 'workload'
          ? this.table.get(
              this.directionId(
                Direction.INGRESS,
                d,
                { kind: 'class', index: this.classOf[this.indexOf(src)] },
                this.lower(Direction.INGRESS, d, this.classOf[this.indexOf(src)], false),
              ),
            )
          : this.table.get(this.externalToClassId(this.rangeIndex(src as ExternalEndpoint, this.externalSources), d));
      out.ingress = { selectedBy: this.tiers!.subjects(d), decisions: decisions.ingress, reach };
    }
    return out;
  }

  /**
   * Every ordered pair with something allowed or depending: workload to workload (never a
   * workload to itself), external source range to workload, workload to external destination
   * range. Workloads come in the cluster's order, ranges in address order.
   */
  public connections(): Connection[] {
    const out: Connection[] = [];
    const ws = this.workloads;
    const endpoints: Endpoint[] = ws.map((workload) => ({ type: 'workload', workload }));
    const push = (from: Endpoint, to: Endpoint, id: number) => {
      if (id === SetTable.NONE) return;
      let reach = this.table.get(id);
      if (!reach.isDefinite && from.type === 'workload' && to.type === 'workload' && from.workload.namespace === to.workload.namespace) {
        reach = reach.forSharedNamespace();
        if (reach.isEmpty) return;
      }
      out.push({ from, to, allowed: reach.allowed, reach });
    };
    for (let a = 0; a < ws.length; a++) {
      for (let b = 0; b < ws.length; b++) if (a !== b) push(endpoints[a], endpoints[b], this.classPair(this.classOf[a], this.classOf[b]));
    }
    this.externalSources.forEach((range, x) => {
      const from: ExternalEndpoint = { type: 'external', range };
      for (let b = 0; b < ws.length; b++) push(from, endpoints[b], this.externalToClassId(x, this.classOf[b]));
    });
    for (let a = 0; a < ws.length; a++) {
      this.externalDestinations.forEach((range, y) => {
        push(endpoints[a], { type: 'external', range }, this.classToExternalId(this.classOf[a], y));
      });
    }
    return out;
  }

  /**
   * The name of an endpoint for people: `ns/name` (`ns/name[Kind]` when another workload has
   * the same name), the address asked about, or the range (a CIDR where it is one).
   */
  public nameOf(e: Endpoint): string {
    if (e.type === 'workload') {
      const id = workloadId(e.workload);
      return (this.byName.get(id)?.length ?? 0) > 1 ? workloadKindName(e.workload) : id;
    }
    if (e.type === 'domain') return e.name;
    return e.address ? formatIp(e.address.family, e.address.value) : e.range.toString();
  }

  /** A namespace (also one only referenced), with its labels and whether they are known. */
  public namespace(name: string): Namespace {
    return this.namespaces.get(name) ?? makeNamespace(name, {}, this.complete);
  }

  /** The labels of a namespace (with `kubernetes.io/metadata.name`), also for one only referenced. */
  public namespaceLabels(name: string): Labels {
    return this.namespace(name).labels;
  }

  /**
   * What the Admin tier of the ClusterNetworkPolicies denies for sure in one direction of a
   * connection between a workload and another endpoint (at the source for egress, at the
   * destination for ingress), before any NetworkPolicy is looked at: what no NetworkPolicy can
   * open. Empty without ClusterNetworkPolicies, or at an endpoint outside the cluster.
   */
  public deniedByAdmin(from: string | Endpoint, to: string | Endpoint, direction: Direction): ConnectionSet {
    const src = typeof from === 'string' ? this.endpoint(from, 'from') : from;
    const dst = typeof to === 'string' ? this.endpoint(to, 'to') : to;
    const [at, other] = direction === Direction.EGRESS ? [src, dst] : [dst, src];
    if (!this.tiered || at.type !== 'workload') return ConnectionSet.none();
    const cls = this.classOf[this.indexOf(at)];
    const end: OtherEnd =
      other.type === 'workload'
        ? { kind: 'class', index: this.classOf[this.indexOf(other)] }
        : other.type === 'domain'
          ? { kind: 'domain', name: other.name }
          : {
              kind: 'range',
              range: (direction === Direction.EGRESS ? this.externalDestinations : this.externalSources)[
                this.rangeIndex(other, direction === Direction.EGRESS ? this.externalDestinations : this.externalSources)
              ],
            };
    return this.tiers!.adminDenied(direction, cls, end);
  }

  /** The ClusterNetworkPolicies that select (or may select) a workload, in the order given. */
  public clusterPoliciesOf(workload: Workload): ClusterPolicy[] {
    return this.tiered ? this.tiers!.subjects(this.classOf[this.indexOf({ type: 'workload', workload })]) : [];
  }

  /** True when ClusterNetworkPolicies take part. */
  private get tiered(): boolean {
    return this.clusterPolicies.length > 0;
  }

  /** The NetworkPolicy tier of a direction at a class toward (from) a class or range. */
  private lower(direction: Direction, at: number, other: number, external: boolean): Lower {
    const rowOf = direction === Direction.EGRESS ? this.rows.egressRowOf : this.rows.ingressRowOf;
    const rows = direction === Direction.EGRESS ? this.rows.egressRows : this.rows.ingressRows;
    const r = rowOf[at];
    if (r < 0) return NOT_ISOLATED;
    const id = external
      ? rows[r].external[other]
      : direction === Direction.EGRESS
        ? egressId(this.rows, at, other)
        : ingressId(this.rows, at, other);
    return { isolated: true, reach: () => this.table.get(id), key: String(id) };
  }

  /** What one direction allows, tiers included, as a set id. */
  private directionId(direction: Direction, at: number, other: OtherEnd, lower: Lower): number {
    return this.table.intern(this.tiers!.evaluate(direction, at, other, lower));
  }

  private externalToClassId(source: number, to: number): number {
    const row = this.rows.ingressRowOf[to];
    // ClusterNetworkPolicy ingress peers are pods and namespaces: an external source meets no rule of a tier.
    return row < 0 ? SetTable.ALL : this.rows.ingressRows[row].external[source];
  }

  private classToExternalId(from: number, destination: number): number {
    if (this.tieredRows) {
      const row = this.tieredRows.egressRowOf[from];
      return row < 0 ? SetTable.ALL : this.tieredRows.egressRows[row].external[destination];
    }
    if (this.tiered) {
      return this.directionId(
        Direction.EGRESS,
        from,
        { kind: 'range', range: this.externalDestinations[destination] },
        this.lower(Direction.EGRESS, from, destination, true),
      );
    }
    const row = this.rows.egressRowOf[from];
    return row < 0 ? SetTable.ALL : this.rows.egressRows[row].external[destination];
  }

  /**
   * What decided each direction of a connection on one port, tier by tier (for `explain`): one
   * entry per alternative of what is unknown. An external source has no egress side.
   */
  public tierDecisions(
    src: Endpoint,
    dst: Endpoint,
    port: number,
    protocol: Protocol,
  ): { egress?: TierDecision[]; ingress?: TierDecision[] } {
    const out: { egress?: TierDecision[]; ingress?: TierDecision[] } = {};
    if (src.type === 'workload') {
      const s = this.classOf[this.indexOf(src)];
      let other: OtherEnd;
      let lower: Lower;
      if (dst.type === 'workload') {
        const d = this.classOf[this.indexOf(dst)];
        other = { kind: 'class', index: d };
        lower = this.lower(Direction.EGRESS, s, d, false);
      } else if (dst.type === 'external') {
        const y = this.rangeIndex(dst, this.externalDestinations);
        other = { kind: 'range', range: this.externalDestinations[y] };
        lower = this.lower(Direction.EGRESS, s, y, true);
      } else {
        other = { kind: 'domain', name: dst.name };
        const er = this.rows.egressRowOf[s];
        lower = {
          isolated: er >= 0,
          reach: () => Reach.all(),
          key: `np${er}`,
          rules: this.policies
            .filter((p, i) => p.policyTypes.includes(Direction.EGRESS) && this.subjects[i].has(this.representatives[s]))
            .flatMap((p) => p.egress),
        };
      }
      out.egress = this.tiers!.decide(Direction.EGRESS, s, other, lower, port, protocol);
    }
    if (dst.type === 'workload') {
      const d = this.classOf[this.indexOf(dst)];
      if (src.type === 'workload') {
        const s = this.classOf[this.indexOf(src)];
        out.ingress = this.tiers!.decide(
          Direction.INGRESS,
          d,
          { kind: 'class', index: s },
          this.lower(Direction.INGRESS, d, s, false),
          port,
          protocol,
        );
      } else if (src.type === 'external') {
        const x = this.rangeIndex(src, this.externalSources);
        out.ingress = this.tiers!.decide(
          Direction.INGRESS,
          d,
          { kind: 'range', range: this.externalSources[x] },
          this.lower(Direction.INGRESS, d, x, true),
          port,
          protocol,
        );
      }
    }
    return out;
  }

  private classPair(s: number, d: number): number {
    if (this.pairIds) return this.pairIds[d * this.classes.length + s];
    if (this.tieredRows) return this.table.intersect(egressId(this.tieredRows, s, d), ingressId(this.tieredRows, d, s));
    if (this.tiered) {
      const e = this.directionId(Direction.EGRESS, s, { kind: 'class', index: d }, this.lower(Direction.EGRESS, s, d, false));
      const i = this.directionId(Direction.INGRESS, d, { kind: 'class', index: s }, this.lower(Direction.INGRESS, d, s, false));
      return this.table.intersect(e, i);
    }
    return this.table.intersect(egressId(this.rows, s, d), ingressId(this.rows, d, s));
  }

  /** How many pairs of an external range and a workload have something allowed (`isEmpty` says which ids are empty). */
  private countExternal(isEmpty: (id: number) => boolean): number {
    const { ingressRowOf, ingressRows, egressRowOf, egressRows } = this.rows;
    let count = 0;
    this.classes.forEach((c, i) => {
      const weigh = (row: { external: Int32Array } | undefined, ranges: number) => {
        if (!row) return ranges * c.workloads.length;
        let n = 0;
        for (const id of row.external) if (!isEmpty(id)) n++;
        return n * c.workloads.length;
      };
      count += weigh(ingressRows[ingressRowOf[i]], this.externalSources.length);
      if (this.tiered) {
        let n = 0;
        for (let y = 0; y < this.externalDestinations.length; y++) if (!isEmpty(this.classToExternalId(i, y))) n++;
        count += n * c.workloads.length;
      } else count += weigh(egressRows[egressRowOf[i]], this.externalDestinations.length);
    });
    return count;
  }

  private indexOf(e: Endpoint): number {
    if (e.type !== 'workload') throw new Error('not a workload');
    const i = this.position.get(e.workload) ?? -1;
    if (i < 0) throw NetpolError.ofValue('endpoint.unknown', `workload ${workloadId(e.workload)} is not part of this analysis`);
    return i;
  }

  private rangeIndex(e: ExternalEndpoint, partition: readonly AddressRange[]): number {
    const i = findRange(partition, { family: e.range.family, value: e.address?.value ?? e.range.first });
    const r = partition[i];
    if (!e.address && (r.first !== e.range.first || r.last !== e.range.last)) {
      throw NetpolError.ofValue(
        'endpoint.range',
        `${e.range} is not one of this analysis's ${partition === this.externalSources ? 'source' : 'destination'} ranges; name an address instead`,
      );
    }
    return i;
  }
}

function tryDomain(text: string): DomainName | undefined {
  if (!text.includes('.') || text.startsWith('*')) return undefined;
  try {
    return DomainName.of(text);
  } catch {
    return undefined;
  }
}

function tryParseIp(text: string): IpAddress | undefined {
  try {
    return parseIp(text);
  } catch {
    return undefined;
  }
}

/**
 * The sum of `weight[from] × weight[to]` over the stored pairs (destination-major) whose set
 * passes `keep`.
 */
function sumOverStoredPairs(ids: Int32Array, weight: Float64Array, keep: (id: number) => boolean): number {
  const C = weight.length;
  let top = 0;
  for (let k = 0; k < ids.length; k++) if (ids[k] > top) top = ids[k];
  const kept = new Uint8Array(top + 1);
  for (let id = 0; id <= top; id++) kept[id] = keep(id) ? 1 : 0;
  let total = 0;
  for (let d = 0; d < C; d++) {
    const base = d * C;
    let sum = 0;
    for (let s = 0; s < C; s++) if (kept[ids[base + s]] === 1) sum += weight[s];
    total += sum * weight[d];
  }
  return total;
}

const NOT_ISOLATED: Lower = { isolated: false, reach: () => Reach.all(), key: '-' };

function checkProbe(port: number, protocol: Protocol): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw NetpolError.of('port.range', 'port', `port ${port} is out of range; a port number is an integer from 1 to 65535`);
  }
  if (!isProtocol(protocol)) {
    throw NetpolError.of('port.protocol', 'protocol', `protocol "${protocol}" is not supported; use "TCP", "UDP" or "SCTP" (upper case)`);
  }
}
