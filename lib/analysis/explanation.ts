/**
 * Why one connection is allowed, denied or depends on something unknown, in terms of the
 * policies as written: which policies isolate each end, and for every rule of those policies
 * whether its peers match the other end (for sure, or on a condition) and whether its port
 * entries hold the port (for sure, or if a named port resolves to it).
 */
import { AddressSet } from '../model/address-set';
import { portReach } from '../model/port';
import { Namespace } from '../model/cluster';
import { Condition, EndNames } from '../model/condition';
import { Peer, PeerMatch, PodAddressing, PeerKind, peerMatchesPod, peerMatchesAddress } from '../model/peer';
import { Policy } from '../model/policy';
import { Protocol } from '../model/protocol';
import { PortName, Reach, Verdict } from '../model/reach';
import { Direction, Rule } from '../model/rule';
import { resolvePort } from '../model/cluster';
import { ClusterPolicy } from '../model/cluster-policy';
import { ClusterRuleAction } from '../model/cluster-rule';
import { Endpoint } from './endpoint';
import { TierDecision } from './private/tiers';

/** What an explanation needs of an analysis. */
export interface ExplainContext {
  readonly policies: readonly Policy[];
  readonly addressing: PodAddressing;
  /** A namespace with its labels and whether they are known. */
  namespace(name: string): Namespace;
  /** The name of an endpoint for people. */
  nameOf(e: Endpoint): string;
}

/**
 * How one rule of an isolating policy treats the connection. Positions are those of the model's
 * policy, which are the manifest's except where the manifest repeats a peer or port entry
 * exactly (the repeat is dropped).
 */
export interface RuleVerdict {
  readonly policy: Policy;
  readonly direction: Direction;
  /** Position of the rule in the policy's `ingress`/`egress` list. */
  readonly ruleIndex: number;
  readonly rule: Rule;
  /** `'any'` when the rule has no peer list; else the positions of the peers that match the other end for sure. */
  readonly matchingPeers: 'any' | readonly number[];
  /** Peers that match the other end only if a condition holds (an unknown namespace's labels or pod IP). */
  readonly dependentPeers: ReadonlyArray<{ readonly index: number; readonly condition: Condition }>;
  /** `'any'` when the rule has no port list; else the positions of the port entries that hold the port for sure. */
  readonly matchingPorts: 'any' | readonly number[];
  /** Named port entries that hold the port only if the destination, whose container ports are unknown, names it so. */
  readonly dependentPorts: ReadonlyArray<{ readonly index: number; readonly portName: PortName }>;
  /** For each port entry, what a named port resolves to on the destination (undefined: not named, or not found). */
  readonly resolvedPorts: ReadonlyArray<number | undefined>;
  /** True if both a peer and a port entry match for sure. */
  readonly allows: boolean;
  /** The rule's own answer: allowed, denied, or depends. */
  readonly verdict: Verdict;
}

/** One direction of the connection: the source's egress, or the destination's ingress. */
export interface DirectionVerdict {
  readonly direction: Direction;
  /** The end whose policies decide: the source for Egress, the destination for Ingress. */
  readonly subject: Endpoint;
  /** The other end, which the rules' peers must match. */
  readonly peer: Endpoint;
  /** False when the subject is outside the cluster, where no policy applies. */
  readonly applies: boolean;
  /** The policies of the subject's namespace that select it and cover this direction, by id. */
  readonly isolatedBy: readonly Policy[];
  /** The rules of those policies, in policy order then rule order. */
  readonly rules: readonly RuleVerdict[];
  /** True if the direction lets the connection through for sure. */
  readonly allowed: boolean;
  /** The direction's answer: allowed, denied, or depends. */
  readonly verdict: Verdict;
  /**
   * With ClusterNetworkPolicies: those that select the subject, and what decided the direction
   * (tier, policy, rule), one entry per alternative of what is unknown. Without, undefined.
   */
  readonly tiers?: { readonly selectedBy: readonly ClusterPolicy[]; readonly decisions: readonly TierDecision[] };
}

/** What the analysis adds to an explanation when ClusterNetworkPolicies take part. */
export interface TieredExplanation {
  readonly egress?: { readonly selectedBy: readonly ClusterPolicy[]; readonly decisions: readonly TierDecision[]; readonly reach: Reach };
  readonly ingress?: { readonly selectedBy: readonly ClusterPolicy[]; readonly decisions: readonly TierDecision[]; readonly reach: Reach };
  /** The answer of both directions together. */
  readonly verdict: Verdict;
}

/**
 * The explanation of one connection. `format()` gives it in words.
 *
 * @example
 * console.log(analysis.explain('shop/web', 'shop/db', 5432).format());
 * // shop/web -> shop/db on TCP 5432: allowed
 * //   egress from shop/web: not isolated (no policy selecting it covers Egress), so all traffic out is allowed
 * //   ingress to shop/db: isolated by shop/db
 * //     allowed by shop/db, ingress rule 0: peer 0 (pods app=web) and port entry 0 (TCP 5432)
 */
export class Explanation {
  /** @internal built by `Analysis.explain` */
  public static create(
    from: Endpoint,
    to: Endpoint,
    port: number,
    protocol: Protocol,
    egress: DirectionVerdict,
    ingress: DirectionVerdict,
    verdict: Verdict,
    names: EndNames,
  ): Explanation {
    return new Explanation(from, to, port, protocol, egress, ingress, verdict, names);
  }

  private constructor(
    public readonly from: Endpoint,
    public readonly to: Endpoint,
    public readonly port: number,
    public readonly protocol: Protocol,
    /** The source's egress. */
    public readonly egress: DirectionVerdict,
    /** The destination's ingress. */
    public readonly ingress: DirectionVerdict,
    /** Both directions together: allowed, denied, or depends (with the alternatives). */
    public readonly verdict: Verdict,
    /** How the two ends are named. */
    private readonly names: EndNames,
  ) {}

  /** True if both directions let the connection through for sure. */
  public get allowed(): boolean {
    return this.verdict.value === 'allowed';
  }

  /**
   * For `depends`: the condition in words, about the two ends (`the IP of shop/web lies in
   * 10.0.0.0/8`, `shop/db declares a TCP port named metrics as 9090`), alternatives joined by
   * `; or `. Empty otherwise.
   */
  public get condition(): string {
    return verdictCondition(this.verdict, this.port, this.names);
  }

  /** The explanation in words, one fact per line. */
  public format(): string {
    const head = `${this.names.source} -> ${this.names.destination} on ${this.protocol} ${this.port}: ${this.verdict.value}`;
    const lines = [this.verdict.value === 'depends' ? `${head}: allowed if ${this.condition}` : head];
    for (const v of [this.egress, this.ingress]) for (const l of this.formatDirection(v)) lines.push(`  ${l}`);
    return lines.join('\n');
  }

  /** Same as `format()`. */
  public toString(): string {
    return this.format();
  }

  /**
   * A plain-data form for JSON output: `allowed` (true only for sure), `verdict` and, for
   * `depends`, `condition` in words and the alternatives.
   */
  public toJSON(): Record<string, unknown> {
    const direction = (v: DirectionVerdict) => ({
      direction: v.direction,
      subject: this.nameOfSubject(v),
      applies: v.applies,
      isolatedBy: v.isolatedBy.map((p) => p.id),
      allowed: v.allowed,
      verdict: v.verdict.value,
      ...(v.tiers
        ? {
            clusterPolicies: v.tiers.selectedBy.map((p) => p.name),
            decidedBy: v.tiers.decisions.map((d) => ({
              tier: d.tier,
              ...(d.policy ? { policy: d.policy.name, rule: d.rule, action: d.action } : {}),
              ...(d.passedBy.length > 0 ? { passedBy: d.passedBy.map((p) => ({ policy: p.policy.name, rule: p.rule })) } : {}),
              ...(d.facts.length > 0 ? { if: d.facts.join(' and ') } : {}),
            })),
          }
        : {}),
      rules: v.rules.map((r) => ({
        policy: r.policy.id,
        rule: r.ruleIndex,
        matchingPeers: r.matchingPeers,
        matchingPorts: r.matchingPorts,
        allows: r.allows,
        verdict: r.verdict.value,
        ...(r.dependentPeers.length > 0
          ? { dependentPeers: r.dependentPeers.map((d) => ({ peer: d.index, if: d.condition.toString() })) }
          : {}),
        ...(r.dependentPorts.length > 0 ? { dependentPorts: r.dependentPorts.map((d) => ({ port: d.index, name: d.portName.name })) } : {}),
      })),
    });
    return {
      from: this.names.source,
      to: this.names.destination,
      port: this.port,
      protocol: this.protocol,
      allowed: this.allowed,
      verdict: this.verdict.value,
      ...(this.verdict.value === 'depends'
        ? {
            condition: this.condition,
            alternatives: this.verdict.alternatives.map((a) => ({
              portNames: a.portNames.map((n) => n.name),
              if: a.condition.toString(),
            })),
          }
        : {}),
      egress: direction(this.egress),
      ingress: direction(this.ingress),
    };
  }

  private nameOfSubject(v: DirectionVerdict): string {
    return v.direction === Direction.EGRESS ? this.names.source : this.names.destination;
  }

  private formatDirection(v: DirectionVerdict): string[] {
    if (!v.tiers || (v.tiers.selectedBy.length === 0 && this.to.type !== 'domain')) return this.formatNetworkPolicies(v);
    // no ClusterNetworkPolicy rule matched: the NetworkPolicies decide, as without tiers
    const only = v.tiers.decisions.length === 1 ? v.tiers.decisions[0] : undefined;
    if (only && only.tier === 'NetworkPolicy' && only.passedBy.length === 0) return this.formatNetworkPolicies(v);
    const subject = this.nameOfSubject(v);
    const head = v.direction === Direction.EGRESS ? `egress from ${subject}` : `ingress to ${subject}`;
    const dir = directionWord(v.direction);
    const out: string[] = [];
    const several = v.tiers.decisions.length > 1;
    if (several) out.push(`${head}: ${v.verdict.value}, on what is unknown:`);
    let networkPolicies = false;
    for (const d of v.tiers.decisions) {
      const steps = d.passedBy.map(
        (p) => `passed on by ${p.policy.tier} policy ${p.policy.name}, ${dir} rule ${p.rule}${ruleName(p.policy, v.direction, p.rule)}`,
      );
      if (d.tier === 'Admin' || d.tier === 'Baseline') {
        const verb = d.action === ClusterRuleAction.ACCEPT ? 'allowed' : 'denied';
        steps.push(`${verb} by ${d.tier} policy ${d.policy!.name}, ${dir} rule ${d.rule}${ruleName(d.policy!, v.direction, d.rule!)}`);
      } else if (d.tier === 'NetworkPolicy') {
        steps.push('left to the NetworkPolicies that isolate it');
        networkPolicies = true;
      } else {
        steps.push(`no ClusterNetworkPolicy rule decides it and no NetworkPolicy isolates it, so it is allowed`);
      }
      const text = steps.join(', then ');
      out.push(several ? `  if ${d.facts.join(' and ')}: ${text}` : `${head}: ${text}`);
    }
    if (networkPolicies) out.push(...this.formatNetworkPolicies(v).map((l) => `  ${l}`));
    return out;
  }

  private formatNetworkPolicies(v: DirectionVerdict): string[] {
    const subject = this.nameOfSubject(v);
    const otherName = v.direction === Direction.EGRESS ? this.names.destination : this.names.source;
    const head = v.direction === Direction.EGRESS ? `egress from ${subject}` : `ingress to ${subject}`;
    if (!v.applies) return [`${head}: outside the cluster, so no policy restricts it`];
    if (v.isolatedBy.length === 0) {
      return [
        `${head}: not isolated (no policy selecting it covers ${v.direction}), so all traffic ${v.direction === Direction.EGRESS ? 'out' : 'in'} is allowed`,
      ];
    }
    const tail =
      v.verdict.value === 'denied'
        ? '; no rule allows the connection'
        : v.verdict.value === 'depends'
          ? '; no rule allows the connection for sure'
          : '';
    const out = [`${head}: isolated by ${v.isolatedBy.map((p) => p.id).join(', ')}${tail}`];
    const dir = directionWord(v.direction);
    const peerText = (r: RuleVerdict, i: number) => `peer ${i} (${r.rule.peers[i]})`;
    const allowing = v.rules.filter((r) => r.allows);
    if (allowing.length > 0) {
      for (const r of allowing) {
        const peers =
          r.matchingPeers === 'any'
            ? `every ${v.direction === Direction.EGRESS ? 'destination' : 'source'} (no ${v.direction === Direction.EGRESS ? 'to' : 'from'} list)`
            : peerText(r, r.matchingPeers[0]);
        const ports =
          r.matchingPorts === 'any'
            ? 'every port (no ports list)'
            : `port entry ${r.matchingPorts[0]} (${this.portText(r, r.matchingPorts[0])})`;
        out.push(`  allowed by ${r.policy.id}, ${dir} rule ${r.ruleIndex}: ${peers} and ${ports}`);
      }
      return out;
    }
    for (const r of v.rules.filter((x) => x.verdict.value === 'depends')) {
      const peers =
        r.matchingPeers === 'any'
          ? 'every peer'
          : r.matchingPeers.length > 0
            ? peerText(r, r.matchingPeers[0])
            : r.dependentPeers.map((d) => `${peerText(r, d.index)} if ${d.condition.describe(this.names)}`).join(', or ');
      const ports =
        r.matchingPorts === 'any'
          ? 'every port (no ports list)'
          : r.matchingPorts.length > 0
            ? `port entry ${r.matchingPorts[0]} (${this.portText(r, r.matchingPorts[0])})`
            : r.dependentPorts.map((d) => this.conditionalPortText(r, d)).join(', or ');
      out.push(`  allowed by ${r.policy.id}, ${dir} rule ${r.ruleIndex} only on a condition: ${peers}, and ${ports}`);
    }
    for (const p of v.isolatedBy) {
      const rules = v.rules.filter((r) => r.policy === p && r.verdict.value === 'denied');
      if (v.rules.every((r) => r.policy !== p)) {
        out.push(`  ${p.id} has no ${dir} rules`);
        continue;
      }
      for (const r of rules) {
        const where = `${p.id}, ${dir} rule ${r.ruleIndex}`;
        const anyPeer = r.matchingPeers === 'any' || r.matchingPeers.length > 0 || r.dependentPeers.length > 0;
        if (!anyPeer) {
          out.push(`  ${where}: no peer matches ${otherName} (${r.rule.peers.map(String).join('; ')})`);
        } else {
          const peer =
            r.matchingPeers === 'any'
              ? 'every peer matches'
              : r.matchingPeers.length > 0
                ? `${peerText(r, r.matchingPeers[0])} matches`
                : `${peerText(r, r.dependentPeers[0].index)} matches if ${r.dependentPeers[0].condition.describe(this.names)}`;
          out.push(
            `  ${where}: ${peer}, but no port entry allows ${this.protocol} ${this.port} (${r.rule.ports.map((_, i) => this.portText(r, i)).join(', ')})`,
          );
        }
      }
    }
    return out;
  }

  /** A port entry that allows the port only if the destination declares it under the entry's name. */
  private conditionalPortText(r: RuleVerdict, d: RuleVerdict['dependentPorts'][number]): string {
    return (
      `port entry ${d.index} (${r.rule.ports[d.index]}) if ${this.names.destination} declares a ` +
      `${d.portName.protocol} port named ${d.portName.name} as ${this.port}`
    );
  }

  private portText(r: RuleVerdict, i: number): string {
    const p = r.rule.ports[i];
    if (typeof p.port !== 'string') return p.toString();
    if (this.to.type !== 'workload') return `${p}: a port name, which means nothing outside the cluster`;
    if (r.dependentPorts.some((d) => d.index === i)) return `${p}: ${this.names.destination} has container ports nobody listed`;
    const resolved = r.resolvedPorts[i];
    return resolved === undefined ? `${p}: no such port on ${this.names.destination}` : `${p} = ${resolved} on ${this.names.destination}`;
  }
}

/** The alternatives of a `depends` verdict in words about two named ends, joined by `; or `. */
export function verdictCondition(verdict: Verdict, port: number, names: EndNames): string {
  return verdict.alternatives
    .map((a) =>
      [
        ...a.portNames.map((n) => `${names.destination} declares a ${n.protocol} port named ${n.name} as ${port}`),
        ...(a.condition.isAlways ? [] : [a.condition.describe(names)]),
      ].join(' and '),
    )
    .join('; or ');
}

/** The names of the two ends, for conditions in words. */
export function endNames(context: Pick<ExplainContext, 'nameOf'>, from: Endpoint, to: Endpoint): EndNames {
  return {
    source: context.nameOf(from),
    destination: context.nameOf(to),
    ...(from.type === 'workload' ? { sourceNamespace: from.workload.namespace } : {}),
    ...(to.type === 'workload' ? { destinationNamespace: to.workload.namespace } : {}),
  };
}

/** Builds the explanation of one pair, evaluating every rule of the isolating policies. */
export function explainPair(
  context: ExplainContext,
  from: Endpoint,
  to: Endpoint,
  port: number,
  protocol: Protocol,
  tiered?: TieredExplanation,
): Explanation {
  const destination = to.type === 'workload' ? to.workload : undefined;
  const direction = (dir: Direction, subject: Endpoint, other: Endpoint): { verdict: DirectionVerdict; reach: Reach } => {
    if (subject.type !== 'workload') {
      const allowed: Verdict = { value: 'allowed', alternatives: [] };
      return {
        verdict: { direction: dir, subject, peer: other, applies: false, isolatedBy: [], rules: [], allowed: true, verdict: allowed },
        reach: Reach.all(),
      };
    }
    const w = subject.workload;
    const isolatedBy = context.policies
      .filter((p) => p.isolates(dir) && p.selects(w))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const rules: RuleVerdict[] = [];
    let reach = isolatedBy.length === 0 ? Reach.all() : Reach.none();
    for (const p of isolatedBy) {
      p.rules(dir).forEach((rule, ruleIndex) => {
        const matches = rule.peers.map((peer) => peerMatch(context, peer, p.namespace, dir, other));
        let peers = rule.anyPeer ? Reach.all() : Reach.none();
        for (const m of matches) peers = peers.union(m === true ? Reach.all() : m === false ? Reach.none() : Reach.all().when(m));
        const ruleReach = peers.intersect(rule.portReach(destination));
        reach = reach.union(ruleReach);
        const entries = rule.ports.map((entry) => portReach(entry, destination).verdict(port, protocol));
        const verdict = ruleReach.verdict(port, protocol);
        rules.push({
          policy: p,
          direction: dir,
          ruleIndex,
          rule,
          matchingPeers: rule.anyPeer ? 'any' : matches.flatMap((m, i) => (m === true ? [i] : [])),
          dependentPeers: matches.flatMap((m, i) => (typeof m === 'object' ? [{ index: i, condition: m }] : [])),
          matchingPorts: rule.anyPort ? 'any' : entries.flatMap((e, i) => (e.value === 'allowed' ? [i] : [])),
          dependentPorts: entries.flatMap((e, i) =>
            e.value === 'depends' ? [{ index: i, portName: e.alternatives[0].portNames[0] }] : [],
          ),
          resolvedPorts: rule.ports.map((entry) =>
            typeof entry.port === 'string' && destination ? resolvePort(destination, entry.port, entry.protocol) : undefined,
          ),
          allows: verdict.value === 'allowed',
          verdict,
        });
      });
    }
    const verdict = reach.verdict(port, protocol);
    return {
      verdict: { direction: dir, subject, peer: other, applies: true, isolatedBy, rules, allowed: verdict.value === 'allowed', verdict },
      reach,
    };
  };
  const egress = direction(Direction.EGRESS, from, to);
  const ingress = direction(Direction.INGRESS, to, from);
  if (tiered) {
    const withTiers = (v: DirectionVerdict, t: TieredExplanation['egress']): DirectionVerdict => {
      if (!t) return v;
      const verdict = t.reach.verdict(port, protocol);
      return { ...v, verdict, allowed: verdict.value === 'allowed', tiers: { selectedBy: t.selectedBy, decisions: t.decisions } };
    };
    return Explanation.create(
      from,
      to,
      port,
      protocol,
      withTiers(egress.verdict, tiered.egress),
      withTiers(ingress.verdict, tiered.ingress),
      tiered.verdict,
      endNames(context, from, to),
    );
  }
  const verdict = egress.reach.intersect(ingress.reach).verdict(port, protocol);
  return Explanation.create(from, to, port, protocol, egress.verdict, ingress.verdict, verdict, endNames(context, from, to));
}

function peerMatch(context: ExplainContext, peer: Peer, policyNamespace: string, dir: Direction, other: Endpoint): PeerMatch {
  const end = dir === Direction.INGRESS ? 'source' : 'destination';
  if (other.type === 'workload') {
    return peerMatchesPod(peer, end, policyNamespace, other.workload, context.namespace(other.workload.namespace), context.addressing);
  }
  if (other.type === 'domain') {
    if (peer.kind === PeerKind.ANY) return true;
    if (peer.kind !== PeerKind.IP_BLOCK) return false;
    if (AddressSet.fromBlock(peer.ipBlock!).containsAll(EVERY_ADDRESS)) return true;
    return Condition.choice(`${other.name} resolves inside ${peer.ipBlock}`);
  }
  if (other.address) return peerMatchesAddress(peer, other.address);
  return peer.kind === PeerKind.ANY || (peer.kind === PeerKind.IP_BLOCK && other.range.isInside(peer.ipBlock!));
}

const EVERY_ADDRESS = AddressSet.parse('0.0.0.0/0').union(AddressSet.parse('::/0'));

/** ` (name)` for a rule with a name, else nothing. */
function ruleName(policy: ClusterPolicy, direction: Direction, index: number): string {
  const name = policy.rules(direction)[index]?.name;
  return name === undefined ? '' : ` (${name})`;
}

/** `ingress` or `egress`. */
function directionWord(d: Direction): string {
  return d === Direction.INGRESS ? 'ingress' : 'egress';
}
