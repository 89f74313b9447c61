/**
 * The tiers of ClusterNetworkPolicy around NetworkPolicy, per direction, evaluated over classes:
 * the Admin tier's rules by priority and written order (Accept and Deny final, Pass on to the next
 * tier), then the NetworkPolicies if one isolates the pod for the direction (final), else the
 * Baseline tier, else allowed. What the tiers decide is computed as port sets; where a match turns
 * on something unknown (a namespace's labels, a pod's IP, a named port's number, the addresses
 * behind a domain name, which of two policies of one priority a network plugin applies first),
 * the evaluation follows each alternative and the answer is *depends* where they disagree, with
 * the alternative stated as a fact (`Condition.choice`).
 *
 * Phase one (`TierInput` → `TierSelection`) computes, over the workloads, every set the classes
 * must respect (subjects, peers, host networking, node and network addresses); phase two
 * (`Tiers`) evaluates a direction for a class against a class, an external range or a domain
 * name, remembering results by what they depend on.
 *
 * @see https://github.com/kubernetes-sigs/network-policy-api/blob/main/apis/v1alpha2/clusternetworkpolicy_types.go
 */
import { AddressRange } from '../../model/address-range';
import { AddressSet } from '../../model/address-set';
import { Cidr, formatIp, IpBlock } from '../../model/cidr';
import { ClusterPeer, ClusterPeerKind } from '../../model/cluster-peer';
import { ClusterPolicy, ClusterTier } from '../../model/cluster-policy';
import { ClusterRule, ClusterRuleAction } from '../../model/cluster-rule';
import { ClusterNode } from '../../model/node';
import { Namespace, portsKnown, Workload } from '../../model/cluster';
import { Condition } from '../../model/condition';
import { ConnectionSet } from '../../model/connection-set';
import { Peer, PeerKind } from '../../model/peer';
import { portConnections } from '../../model/port';
import { Protocol } from '../../model/protocol';
import { Reach } from '../../model/reach';
import { Direction, Rule } from '../../model/rule';
import { LabelSelector } from '../../model/selector';
import { Bitset } from './bitset';
import { Partition } from './classes';
import { Selection } from './selection';

/** Three-valued match. */
type Tri = 'yes' | 'no' | 'maybe';

/** The other end of a direction: a class, an external range (by index), or a domain name. */
export type OtherEnd =
  | { readonly kind: 'class'; readonly index: number }
  | { readonly kind: 'range'; readonly range: AddressRange }
  | { readonly kind: 'domain'; readonly name: string };

/**
 * Asks which alternative of an unknown holds; each alternative is a fact: a choice fact's text,
 * or a condition (a pod's IP lies in some addresses).
 */
type Pick = (id: string, facts: ReadonlyArray<string | Condition>) => number;

/** What decided one direction on one alternative: the tier, the policy and the rule. */
export interface TierDecision {
  /** `Admin`, `NetworkPolicy`, `Baseline`, or `default` (nothing matched: allowed). */
  readonly tier: 'Admin' | 'NetworkPolicy' | 'Baseline' | 'default';
  /** The deciding ClusterNetworkPolicy, for the Admin and Baseline tiers. */
  readonly policy?: ClusterPolicy;
  /** Position of the deciding rule among the policy's rules of the direction (0-based). */
  readonly rule?: number;
  /** The deciding rule's action. */
  readonly action?: ClusterRuleAction;
  /** Pass rules passed through on the way, in order. */
  readonly passedBy: ReadonlyArray<{ readonly policy: ClusterPolicy; readonly rule: number }>;
  /** The facts under which this is the decision (empty when nothing is unknown), in words. */
  readonly facts: readonly string[];
}

/** Everything the tiers are computed from. */
export interface TierInput {
  readonly clusterPolicies: readonly ClusterPolicy[];
  readonly workloads: readonly Workload[];
  readonly namespaces: ReadonlyMap<string, Namespace>;
  readonly nodes: readonly ClusterNode[];
  readonly selection: Selection;
  /** The pod address ranges, when known. */
  readonly podCidrs?: readonly Cidr[];
}

const ALL = ConnectionSet.all();
const NONE = ConnectionSet.none();
const EVERY_ADDRESS = AddressSet.parse('0.0.0.0/0').union(AddressSet.parse('::/0'));
const PROTOCOLS: readonly Protocol[] = [Protocol.TCP, Protocol.UDP, Protocol.SCTP];

interface CompiledPeer {
  readonly peer: ClusterPeer;
  /** Workloads matched for sure, and on an unknown (namespace labels, pod IP, node). */
  readonly yes: Bitset;
  readonly maybe: Bitset;
  /** The addresses of a networks or nodes peer. */
  readonly addresses?: AddressSet;
}

interface CompiledRule {
  readonly rule: ClusterRule;
  readonly index: number;
  readonly peers: readonly CompiledPeer[];
  readonly numbered: ConnectionSet;
}

interface CompiledPolicy {
  readonly policy: ClusterPolicy;
  readonly index: number;
  readonly subjectYes: Bitset;
  readonly subjectMaybe: Bitset;
  readonly rules: Readonly<Record<Direction, readonly CompiledRule[]>>;
}

/** The sets over workloads that the classes must respect, and the address cuts of egress. */
export class TierSelection {
  /** Bitsets the partition into classes must refine. */
  public readonly sets: Bitset[] = [];
  /** Named ports of the rules, for every protocol (a ClusterNetworkPolicy named port has none of its own). */
  public readonly namedPorts: Array<{ name: string; protocol: Protocol }> = [];
  /** Address ranges egress must tell apart: networks CIDRs and node addresses. */
  public readonly cuts: Array<{ family: 4 | 6; first: bigint; last: bigint }> = [];
  /** @internal */
  public readonly policies: CompiledPolicy[];
  /** @internal */
  public readonly host: Bitset;
  /** @internal */
  public readonly podAddresses?: AddressSet;

  constructor(public readonly input: TierInput) {
    const { workloads, selection } = input;
    const n = workloads.length;
    this.host = Bitset.empty(n);
    workloads.forEach((w, i) => {
      if (w.hostNetwork) this.host.add(i);
    });
    const pods = this.host.not();
    this.sets.push(this.host);
    if (input.podCidrs && input.podCidrs.length > 0) {
      this.podAddresses = input.podCidrs.map((c) => AddressSet.fromBlock(IpBlock.of(c))).reduce((a, b) => a.union(b));
    }
    for (const node of input.nodes) {
      for (const a of node.addresses) this.cuts.push({ family: a.family, first: a.value, last: a.value });
    }
    const names = new Set<string>();
    this.policies = input.clusterPolicies.map((policy, index) => {
      const subject = selection.peer(
        Peer.raw({ namespaceSelector: policy.subject.namespaceSelector, podSelector: policy.subject.podSelector ?? LabelSelector.all() }),
        '',
        'source',
      );
      const subjectYes = subject.yes.and(pods);
      const subjectMaybe = subject.maybe.and(pods);
      this.sets.push(subjectYes, subjectMaybe);
      const compileRules = (direction: Direction): CompiledRule[] =>
        policy.rules(direction).map((rule, ri) => {
          for (const name of rule.namedPorts) names.add(name);
          let numbered = rule.anyPort ? ALL : NONE;
          for (const p of rule.ports) numbered = numbered.union(portConnections(p));
          const peers = rule.peers.map((peer) => this.compilePeer(peer, direction, pods));
          return { rule, index: ri, peers, numbered };
        });
      return {
        policy,
        index,
        subjectYes,
        subjectMaybe,
        rules: { [Direction.INGRESS]: compileRules(Direction.INGRESS), [Direction.EGRESS]: compileRules(Direction.EGRESS) },
      };
    });
    for (const name of [...names].sort()) for (const protocol of PROTOCOLS) this.namedPorts.push({ name, protocol });
  }

  private compilePeer(peer: ClusterPeer, direction: Direction, pods: Bitset): CompiledPeer {
    const { workloads, selection } = this.input;
    const n = workloads.length;
    const end = direction === Direction.INGRESS ? 'source' : 'destination';
    let out: CompiledPeer;
    switch (peer.kind) {
      case ClusterPeerKind.NAMESPACES:
      case ClusterPeerKind.PODS: {
        const s = selection.peer(
          Peer.raw({ namespaceSelector: peer.namespaceSelector!, podSelector: peer.podSelector ?? LabelSelector.all() }),
          '',
          end,
        );
        out = { peer, yes: s.yes.and(pods), maybe: s.maybe.and(pods) };
        break;
      }
      case ClusterPeerKind.NODES: {
        const yes = Bitset.empty(n);
        const maybe = Bitset.empty(n);
        const nodes = this.input.nodes.filter((node) => peer.nodeSelector!.matches(node.labels));
        const addresses = nodes.flatMap((node) => node.addresses);
        workloads.forEach((w, i) => {
          if (!w.hostNetwork) return;
          if (!w.ips || w.ips.length === 0) maybe.add(i);
          else if (w.ips.some((ip) => addresses.some((a) => a.family === ip.family && a.value === ip.value))) yes.add(i);
        });
        const set = AddressSet.of(addresses.map((a) => ({ family: a.family, first: a.value, last: a.value })));
        out = { peer, yes, maybe, addresses: set };
        break;
      }
      case ClusterPeerKind.NETWORKS: {
        const set = peer.cidrs.map((c) => AddressSet.fromBlock(IpBlock.of(c))).reduce((a, b) => a.union(b));
        for (const c of peer.cidrs) {
          for (const [first, last] of IpBlock.of(c).ranges()) this.cuts.push({ family: c.family, first, last });
        }
        const yes = Bitset.empty(n);
        const maybe = Bitset.empty(n);
        const unknown: Tri = set.containsAll(EVERY_ADDRESS)
          ? 'yes'
          : this.podAddresses && set.containsAll(this.podAddresses)
            ? 'yes'
            : this.podAddresses && set.isDisjoint(this.podAddresses)
              ? 'no'
              : 'maybe';
        workloads.forEach((w, i) => {
          const m: Tri =
            w.ips && w.ips.length > 0
              ? w.ips.some((ip) => set.contains({ family: ip.family, first: ip.value, last: ip.value }))
                ? 'yes'
                : 'no'
              : w.hostNetwork
                ? set.containsAll(EVERY_ADDRESS)
                  ? 'yes'
                  : 'maybe'
                : unknown;
          if (m === 'yes') yes.add(i);
          else if (m === 'maybe') maybe.add(i);
        });
        out = { peer, yes, maybe, addresses: set };
        break;
      }
      case ClusterPeerKind.DOMAIN_NAMES:
        out = { peer, yes: Bitset.empty(n), maybe: Bitset.empty(n) };
        break;
    }
    this.sets.push(out.yes, out.maybe);
    return out;
  }
}

/** Lower tiers of one direction, as the caller knows them. */
export interface Lower {
  /** True if a NetworkPolicy isolates the subject for the direction. */
  readonly isolated: boolean;
  /** What the NetworkPolicies allow (only read when isolated). */
  readonly reach: () => Reach;
  /** A key of `reach` for memoizing (only read when isolated). */
  readonly key: string;
  /** The egress rules of the isolating NetworkPolicies, which decide toward a domain name. */
  readonly rules?: readonly Rule[];
}

/** The tiered evaluation over classes. */
export class Tiers {
  private readonly reps: readonly number[];
  private readonly subjectsOf: Record<Direction, Array<Array<{ p: CompiledPolicy; maybe: boolean }>>>;
  private readonly subjectKey: Record<Direction, string[]>;
  private readonly memo = new Map<string, Reach>();
  /** Per direction and class: the key of what the class is as the other end; per class: its named ports. */
  private readonly otherKeys: Record<Direction, Array<string | undefined>> = { [Direction.INGRESS]: [], [Direction.EGRESS]: [] };
  private readonly portKeys: Array<string | undefined> = [];

  constructor(
    private readonly selection: TierSelection,
    partition: Partition,
  ) {
    this.reps = partition.representatives;
    const C = this.reps.length;
    const make = () => Array.from({ length: C }, () => [] as Array<{ p: CompiledPolicy; maybe: boolean }>);
    this.subjectsOf = { [Direction.INGRESS]: make(), [Direction.EGRESS]: make() };
    for (let c = 0; c < C; c++) {
      const r = this.reps[c];
      for (const p of selection.policies) {
        const yes = p.subjectYes.has(r);
        const maybe = !yes && p.subjectMaybe.has(r);
        if (!yes && !maybe) continue;
        for (const d of [Direction.INGRESS, Direction.EGRESS]) this.subjectsOf[d][c].push({ p, maybe });
      }
    }
    const keys = (d: Direction) => this.subjectsOf[d].map((list) => list.map((s) => `${s.p.index}${s.maybe ? '?' : ''}`).join(','));
    this.subjectKey = { [Direction.INGRESS]: keys(Direction.INGRESS), [Direction.EGRESS]: keys(Direction.EGRESS) };
  }

  /**
   * What the Admin tier denies for sure at the subject class toward (from) the other end: in
   * every alternative of what is unknown.
   */
  public adminDenied(direction: Direction, subject: number, other: OtherEnd): ConnectionSet {
    const dst = direction === Direction.EGRESS ? (other.kind === 'class' ? other.index : -1) : subject;
    const tiers = this.subjectsOf[direction][subject];
    const leaves = explore((pick) => {
      const admin = tiers
        .filter((s) => s.p.policy.tier === ClusterTier.ADMIN)
        .filter(
          (s) =>
            !s.maybe ||
            pick(`subject:${s.p.index}`, subjectTexts(s.p.policy, direction === Direction.INGRESS ? 'destination' : 'source')) === 0,
        )
        .map((s) => s.p);
      return this.tier(admin, direction, other, dst, pick).deny;
    });
    return leaves.map((l) => l.value).reduce((a, b) => a.intersect(b));
  }

  /**
   * Per class, numbers for what `evaluate` of a direction depends on between classes: which
   * ClusterNetworkPolicies select the class (-1: none, and then the NetworkPolicies alone
   * decide), what it is as the other end, and what its named ports resolve to. Two pairs of
   * classes with equal numbers (and equal NetworkPolicy answers) get the same answer.
   */
  public kinds(direction: Direction): { subject: Int32Array; other: Int32Array; ports: Int32Array } {
    const C = this.reps.length;
    const numbering = () => {
      const ids = new Map<string, number>();
      return (key: string): number => {
        let id = ids.get(key);
        if (id === undefined) ids.set(key, (id = ids.size));
        return id;
      };
    };
    const subjectId = numbering();
    const otherId = numbering();
    const portId = numbering();
    const subject = new Int32Array(C);
    const other = new Int32Array(C);
    const ports = new Int32Array(C);
    for (let c = 0; c < C; c++) {
      subject[c] = this.subjectsOf[direction][c].length === 0 ? -1 : subjectId(this.subjectKey[direction][c]);
      other[c] = otherId((this.otherKeys[direction][c] ??= this.otherKey(direction, { kind: 'class', index: c })));
      ports[c] = portId((this.portKeys[c] ??= this.portKey(c)));
    }
    return { subject, other, ports };
  }

  /** The ClusterNetworkPolicies that select (or may select) the class, in the order given. */
  public subjects(cls: number): ClusterPolicy[] {
    return this.subjectsOf[Direction.EGRESS][cls].map((s) => s.p.policy);
  }

  /**
   * What one direction allows at the subject class toward (egress) or from (ingress) the other
   * end, the tiers and the NetworkPolicies together.
   */
  public evaluate(direction: Direction, subject: number, other: OtherEnd, lower: Lower): Reach {
    const tiers = this.subjectsOf[direction][subject];
    if (tiers.length === 0 && !(other.kind === 'domain' && lower.isolated)) return lower.isolated ? lower.reach() : Reach.all();
    const dst = direction === Direction.EGRESS ? (other.kind === 'class' ? other.index : -1) : subject;
    const otherKey =
      other.kind === 'class'
        ? (this.otherKeys[direction][other.index] ??= this.otherKey(direction, other))
        : this.otherKey(direction, other);
    const portKey = dst < 0 ? '' : (this.portKeys[dst] ??= this.portKey(dst));
    const key = `${direction}|${this.subjectKey[direction][subject]}|${otherKey}|${portKey}|${lower.isolated ? lower.key : '-'}`;
    let out = this.memo.get(key);
    if (!out) {
      const leaves = explore((pick) => this.run(direction, subject, other, dst, lower, pick).reach);
      out = combine(leaves);
      this.memo.set(key, out);
    }
    return out;
  }

  /**
   * What decided one direction on one port, on each alternative of what is unknown: the tier,
   * policy and rule (for `explain`).
   */
  public decide(direction: Direction, subject: number, other: OtherEnd, lower: Lower, port: number, protocol: Protocol): TierDecision[] {
    const dst = direction === Direction.EGRESS ? (other.kind === 'class' ? other.index : -1) : subject;
    const probe = ConnectionSet.port(protocol, port);
    return explore((pick) => this.run(direction, subject, other, dst, lower, pick, probe).decision!).map((l) => ({
      ...l.value,
      facts: l.facts.map(String),
    }));
  }

  /** One alternative: the reach, and with a probe, what decided it. */
  private run(
    direction: Direction,
    subject: number,
    other: OtherEnd,
    dst: number,
    lower: Lower,
    pick: Pick,
    probe?: ConnectionSet,
  ): { reach: Reach; decision?: Omit<TierDecision, 'facts'> } {
    const end = direction === Direction.INGRESS ? 'destination' : 'source';
    const tiers = this.subjectsOf[direction][subject];
    const selected = (tier: ClusterTier) =>
      tiers
        .filter((s) => s.p.policy.tier === tier)
        .filter((s) => !s.maybe || pick(`subject:${s.p.index}`, subjectTexts(s.p.policy, end)) === 0)
        .map((s) => s.p);
    const admin = this.tier(selected(ClusterTier.ADMIN), direction, other, dst, pick, probe);
    const rest = ALL.subtract(admin.accept).subtract(admin.deny);
    // what the Admin tier decides wholly (or on the port asked about) asks nothing of the tiers below
    if (rest.isEmpty || (probe && admin.decision))
      return { reach: Reach.of(admin.accept), ...(admin.decision ? { decision: admin.decision } : {}) };
    let lowerReach: Reach;
    let lowerDecision: Omit<TierDecision, 'facts'>;
    if (lower.isolated) {
      lowerReach = other.kind === 'domain' ? this.domainNetworkPolicy(lower, other.name, pick) : lower.reach();
      lowerDecision = { tier: 'NetworkPolicy', passedBy: admin.passedBy };
    } else {
      const baseline = this.tier(selected(ClusterTier.BASELINE), direction, other, dst, pick, probe);
      lowerReach = Reach.of(ALL.subtract(baseline.deny));
      lowerDecision = baseline.decision
        ? { ...baseline.decision, passedBy: [...admin.passedBy, ...baseline.decision.passedBy] }
        : { tier: 'default', passedBy: [...admin.passedBy, ...baseline.passedBy] };
    }
    const reach = Reach.of(admin.accept).union(Reach.of(rest).intersect(lowerReach));
    if (!probe) return { reach };
    return { reach, decision: admin.decision ?? lowerDecision };
  }

  /**
   * NetworkPolicy toward a domain name: its addresses are unknown, so an ipBlock matches it
   * for sure only when it holds every address of both families; otherwise it depends.
   */
  private domainNetworkPolicy(lower: Lower, name: string, pick: Pick): Reach {
    let out = Reach.none();
    (lower.rules ?? []).forEach((rule, ri) => {
      const blocks = rule.peers.filter((peer) => peer.kind === PeerKind.IP_BLOCK).map((peer) => AddressSet.fromBlock(peer.ipBlock!));
      // a name resolves to one address or another: the blocks together may hold every address
      let match = rule.anyPeer || (blocks.length > 1 && blocks.reduce((a, b) => a.union(b)).containsAll(EVERY_ADDRESS));
      rule.peers.forEach((peer, j) => {
        if (match || peer.kind !== PeerKind.IP_BLOCK) return;
        const block = AddressSet.fromBlock(peer.ipBlock!);
        if (block.containsAll(EVERY_ADDRESS)) match = true;
        else {
          const text = peer.ipBlock!.toString();
          match = pick(`np:${ri}:${j}`, [`${name} resolves inside ${text}`, `${name} resolves outside ${text}`]) === 0;
        }
      });
      if (match) out = out.union(rule.portReach(undefined));
    });
    return out;
  }

  /** The decisions of one tier: what it accepts and denies, and with a probe, which rule decided. */
  private tier(
    policies: readonly CompiledPolicy[],
    direction: Direction,
    other: OtherEnd,
    dst: number,
    pick: Pick,
    probe?: ConnectionSet,
  ): {
    accept: ConnectionSet;
    deny: ConnectionSet;
    passedBy: Array<{ policy: ClusterPolicy; rule: number }>;
    decision?: Omit<TierDecision, 'facts'>;
  } {
    let undecided = ALL;
    let accept = NONE;
    let deny = NONE;
    const passedBy: Array<{ policy: ClusterPolicy; rule: number }> = [];
    let decision: Omit<TierDecision, 'facts'> | undefined;
    const sorted = [...policies].sort((a, b) => a.policy.priority - b.policy.priority || a.index - b.index);
    for (let g = 0; g < sorted.length && !undecided.isEmpty;) {
      let h = g;
      while (h < sorted.length && sorted[h].policy.priority === sorted[g].policy.priority) h++;
      const group = sorted.slice(g, h);
      g = h;
      const walks = group.map((p) => this.walk(p, direction, other, dst, pick));
      let order = group.map((_, i) => i);
      if (group.length > 1) {
        const involved = conflicting(walks, undecided);
        if (involved.length > 1) {
          const perms = permutations(involved);
          const tierName = group[0].policy.tier;
          const texts = perms.map(
            (perm) =>
              `the network plugin applies ${tierName} policy ` +
              `${perm.map((i) => group[i].policy.name).join(' before ')} (all priority ${group[0].policy.priority})`,
          );
          const chosen = perms[pick(`order:${tierName}:${group[0].policy.priority}`, texts)];
          order = [...chosen, ...order.filter((i) => !chosen.includes(i))];
        }
      }
      for (const i of order) {
        for (const part of walks[i]) {
          const m = part.ports.intersect(undecided);
          if (m.isEmpty) continue;
          undecided = undecided.subtract(m);
          if (part.action === ClusterRuleAction.ACCEPT) accept = accept.union(m);
          else if (part.action === ClusterRuleAction.DENY) deny = deny.union(m);
          if (probe && !decision && !m.intersect(probe).isEmpty) {
            if (part.action === ClusterRuleAction.PASS) passedBy.push({ policy: group[i].policy, rule: part.rule });
            else
              decision = {
                tier: group[i].policy.tier === ClusterTier.ADMIN ? 'Admin' : 'Baseline',
                policy: group[i].policy,
                rule: part.rule,
                action: part.action,
                passedBy: [...passedBy],
              };
          }
        }
      }
    }
    return { accept, deny, passedBy, ...(decision ? { decision } : {}) };
  }

  /** One policy's rules in written order: the ports each rule claims first, with its action. */
  private walk(
    p: CompiledPolicy,
    direction: Direction,
    other: OtherEnd,
    dst: number,
    pick: Pick,
  ): Array<{ action: ClusterRuleAction; rule: number; ports: ConnectionSet }> {
    let remaining = ALL;
    const out: Array<{ action: ClusterRuleAction; rule: number; ports: ConnectionSet }> = [];
    for (const r of p.rules[direction]) {
      if (remaining.isEmpty) break;
      if (!this.peersMatch(p, r, direction, other, pick)) continue;
      const ports = this.rulePorts(p, r, direction, dst, pick).intersect(remaining);
      if (ports.isEmpty) continue;
      remaining = remaining.subtract(ports);
      out.push({ action: r.rule.action, rule: r.index, ports });
    }
    return out;
  }

  private peersMatch(p: CompiledPolicy, r: CompiledRule, direction: Direction, other: OtherEnd, pick: Pick): boolean {
    const end = direction === Direction.INGRESS ? 'source' : 'destination';
    if (other.kind === 'domain') {
      // a name resolves to one address or another: networks peers together may hold every address
      const networks = r.peers.filter((cp) => cp.peer.kind === ClusterPeerKind.NETWORKS).map((cp) => cp.addresses!);
      if (networks.length > 1 && networks.reduce((a, b) => a.union(b)).containsAll(EVERY_ADDRESS)) return true;
    }
    for (let j = 0; j < r.peers.length; j++) {
      const m = this.peerMatch(r.peers[j], other);
      if (m === 'yes') return true;
      if (m === 'maybe') {
        const texts = peerTexts(r.peers[j], end, other);
        if (pick(`peer:${p.index}:${direction}:${r.index}:${j}`, texts) === 0) return true;
      }
    }
    return false;
  }

  private peerMatch(cp: CompiledPeer, other: OtherEnd): Tri {
    const peer = cp.peer;
    switch (other.kind) {
      case 'class': {
        const rep = this.reps[other.index];
        return cp.yes.has(rep) ? 'yes' : cp.maybe.has(rep) ? 'maybe' : 'no';
      }
      case 'range': {
        if (!cp.addresses || peer.kind === ClusterPeerKind.DOMAIN_NAMES) return 'no';
        return cp.addresses.contains({ family: other.range.family, first: other.range.first, last: other.range.last }) ? 'yes' : 'no';
      }
      case 'domain':
        if (peer.kind === ClusterPeerKind.DOMAIN_NAMES) return peer.domains.some((d) => d.matches(other.name)) ? 'yes' : 'no';
        if (peer.kind === ClusterPeerKind.NETWORKS) return cp.addresses!.containsAll(EVERY_ADDRESS) ? 'yes' : 'maybe';
        return 'no';
    }
  }

  private rulePorts(p: CompiledPolicy, r: CompiledRule, direction: Direction, dst: number, pick: Pick): ConnectionSet {
    let ports = r.numbered;
    if (r.rule.namedPorts.length === 0 || dst < 0) return ports;
    const w = this.selection.input.workloads[this.reps[dst]];
    for (const name of r.rule.namedPorts) {
      if (portsKnown(w)) {
        for (const c of w.ports) if (c.name === name) ports = ports.union(ConnectionSet.port(c.protocol ?? Protocol.TCP, c.containerPort));
      } else if (
        pick(`port:${p.index}:${direction}:${r.index}:${name}`, [
          `the destination's port ${name} is the port asked about`,
          `the destination's port ${name} is not the port asked about`,
        ]) === 0
      ) {
        ports = ALL;
      }
    }
    return ports;
  }

  /** What the result for the other end depends on: its peer matches, per rule of every policy. */
  private otherKey(direction: Direction, other: OtherEnd): string {
    switch (other.kind) {
      case 'class': {
        const rep = this.reps[other.index];
        let key = 'c';
        for (const p of this.selection.policies) {
          for (const r of p.rules[direction]) for (const cp of r.peers) key += cp.yes.has(rep) ? 'y' : cp.maybe.has(rep) ? 'm' : 'n';
        }
        return key;
      }
      case 'range':
        return `r${other.range.family}:${other.range.first}-${other.range.last}`;
      case 'domain':
        return `d${other.name}`;
    }
  }

  /** What named ports resolve to on a destination class. */
  private portKey(dst: number): string {
    if (dst < 0 || this.selection.namedPorts.length === 0) return '';
    const w = this.selection.input.workloads[this.reps[dst]];
    if (!portsKnown(w)) return '?';
    return this.selection.namedPorts
      .filter((n, i, all) => all.findIndex((m) => m.name === n.name) === i)
      .map((n) =>
        w.ports
          .filter((c) => c.name === n.name)
          .map((c) => `${c.protocol}/${c.containerPort}`)
          .join('+'),
      )
      .join(',');
  }
}

/** Which policies of one group claim some undecided port with different actions. */
function conflicting(
  walks: ReadonlyArray<ReadonlyArray<{ action: ClusterRuleAction; ports: ConnectionSet }>>,
  undecided: ConnectionSet,
): number[] {
  const involved = new Set<number>();
  for (let i = 0; i < walks.length; i++) {
    for (let j = i + 1; j < walks.length; j++) {
      const clash = walks[i].some((a) =>
        walks[j].some((b) => a.action !== b.action && !a.ports.intersect(b.ports).intersect(undecided).isEmpty),
      );
      if (clash) {
        involved.add(i);
        involved.add(j);
      }
    }
  }
  return [...involved].sort((a, b) => a - b);
}

function permutations(items: readonly number[]): number[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [x, ...rest]));
}

function subjectTexts(policy: ClusterPolicy, end: 'source' | 'destination'): string[] {
  const sel = policy.subject.namespaceSelector;
  return [`the ${end}'s namespace labels match ${sel}`, `the ${end}'s namespace labels do not match ${sel}`];
}

function peerTexts(cp: CompiledPeer, end: 'source' | 'destination', other: OtherEnd): Array<string | Condition> {
  const peer = cp.peer;
  switch (peer.kind) {
    case ClusterPeerKind.NAMESPACES:
    case ClusterPeerKind.PODS:
      return [
        `the ${end}'s namespace labels match ${peer.namespaceSelector}`,
        `the ${end}'s namespace labels do not match ${peer.namespaceSelector}`,
      ];
    case ClusterPeerKind.NODES:
      return [`the ${end}'s node matches ${peer.nodeSelector}`, `the ${end}'s node does not match ${peer.nodeSelector}`];
    default: {
      const cidrs = peer.cidrs.join(', ');
      if (other.kind === 'domain') return [`${other.name} resolves inside ${cidrs}`, `${other.name} resolves outside ${cidrs}`];
      // a pod whose IP is unknown: the same facts as an ipBlock's, which pod ranges can settle
      return [Condition.podIp(end, cp.addresses!), Condition.podIp(end, complement(cp.addresses!))];
    }
  }
}

/**
 * Runs `run` on every alternative of the unknowns it asks about (`pick`), each alternative
 * with the facts it assumed, in a fixed order.
 */
export function explore<T>(run: (pick: Pick) => T): Array<{ facts: Array<string | Condition>; value: T }> {
  const out: Array<{ facts: Array<string | Condition>; value: T }> = [];
  const FORK = Symbol('fork');
  const go = (assumed: Map<string, number>, facts: Array<string | Condition>) => {
    let fork: { id: string; texts: ReadonlyArray<string | Condition> } | undefined;
    const pick: Pick = (id, texts) => {
      const a = assumed.get(id);
      if (a !== undefined) return a;
      fork = { id, texts };
      throw FORK;
    };
    try {
      out.push({ facts, value: run(pick) });
    } catch (e) {
      if (e !== FORK) throw e;
      const f = fork!;
      f.texts.forEach((text, i) => go(new Map(assumed).set(f.id, i), [...facts, text]));
    }
  };
  go(new Map(), []);
  return out;
}

/**
 * One answer from the alternatives, fork by fork (the alternatives come in the order `explore`
 * gives, a tree of forks): where every alternative of a fork gives the same, the fork does not
 * matter; otherwise what every alternative allows for sure is allowed for sure, and the rest of
 * each alternative is allowed if its fact holds.
 */
export function combine(leaves: ReadonlyArray<{ facts: ReadonlyArray<string | Condition>; value: Reach }>, depth = 0): Reach {
  if (leaves.length === 1) {
    let value = leaves[0].value;
    for (const f of leaves[0].facts.slice(depth)) value = value.when(fact(f));
    return value;
  }
  const groups = new Map<string, Array<{ facts: ReadonlyArray<string | Condition>; value: Reach }>>();
  for (const l of leaves) {
    const k = String(l.facts[depth]);
    const g = groups.get(k);
    if (g) g.push(l);
    else groups.set(k, [l]);
  }
  const children = [...groups.values()].map((g) => ({ fact: g[0].facts[depth], value: combine(g, depth + 1) }));
  if (children.every((c) => c.value.equals(children[0].value))) return children[0].value;
  let sure = children[0].value.allowed;
  for (const c of children) sure = sure.intersect(c.value.allowed);
  return Reach.build(
    sure,
    children.flatMap((c) => c.value.when(fact(c.fact)).depends),
  );
}

function fact(f: string | Condition): Condition {
  return typeof f === 'string' ? Condition.choice(f) : f;
}

/** Every address of both families that is not in the set. */
function complement(set: AddressSet): AddressSet {
  const out: Array<{ family: 4 | 6; first: bigint; last: bigint }> = [];
  for (const family of [4, 6] as const) {
    let next = 0n;
    const whole = AddressRange.whole(family);
    for (const r of set.intervals.filter((x) => x.family === family)) {
      if (r.first > next) out.push({ family, first: next, last: r.first - 1n });
      next = r.last + 1n;
    }
    if (next <= whole.last) out.push({ family, first: next, last: whole.last });
  }
  return AddressSet.of(out);
}

/** `10.0.0.1` for a one-address range, else the range. */
export function rangeText(r: AddressRange): string {
  return r.first === r.last ? formatIp(r.family, r.first) : r.toString();
}
