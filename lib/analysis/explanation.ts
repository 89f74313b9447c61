/**
 * Why one connection is allowed or denied, in terms of the policies as written: which
 * policies isolate each end, and for every rule of those policies whether its peers match the
 * other end and whether its port entries hold the port.
 */
import { Peer, PeerKind } from '../model/peer';
import { Port, Protocol } from '../model/port';
import { Policy } from '../model/policy';
import { Direction, Rule } from '../model/rule';
import { Labels } from '../model/selector';
import type { Analysis } from './analysis';
import { Endpoint } from './endpoint';
import { peerMatchesAddress, portEntrySet } from './private/semantics';
import { peerSelectsWorkload, policySelectsWorkload, resolveNamedPort } from './peer-matching';

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
  /** `'any'` when the rule has no peer list; else the positions of the peers that match the other end. */
  readonly matchingPeers: 'any' | readonly number[];
  /** `'any'` when the rule has no port list; else the positions of the port entries that hold the port. */
  readonly matchingPorts: 'any' | readonly number[];
  /** For each port entry, what a named port resolves to on the destination (undefined: not named, or not found). */
  readonly resolvedPorts: ReadonlyArray<number | undefined>;
  /** True if both a peer and a port entry match. */
  readonly allows: boolean;
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
  /** True if the direction lets the connection through. */
  readonly allowed: boolean;
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
  constructor(
    public readonly from: Endpoint,
    public readonly to: Endpoint,
    public readonly port: number,
    public readonly protocol: Protocol,
    /** The source's egress. */
    public readonly egress: DirectionVerdict,
    /** The destination's ingress. */
    public readonly ingress: DirectionVerdict,
    private readonly nameOf: (e: Endpoint) => string,
  ) {}

  /** True if both directions let the connection through. */
  public get allowed(): boolean {
    return this.egress.allowed && this.ingress.allowed;
  }

  /** The explanation in words, one fact per line. */
  public format(): string {
    const lines = [
      `${this.nameOf(this.from)} -> ${this.nameOf(this.to)} on ${this.protocol} ${this.port}: ${this.allowed ? 'allowed' : 'denied'}`,
    ];
    for (const v of [this.egress, this.ingress]) for (const l of this.formatDirection(v)) lines.push(`  ${l}`);
    return lines.join('\n');
  }

  /** Same as `format()`. */
  public toString(): string {
    return this.format();
  }

  /** A plain-data form for JSON output. */
  public toJSON(): Record<string, unknown> {
    const direction = (v: DirectionVerdict) => ({
      direction: v.direction,
      subject: this.nameOf(v.subject),
      applies: v.applies,
      isolatedBy: v.isolatedBy.map((p) => p.id),
      allowed: v.allowed,
      rules: v.rules.map((r) => ({
        policy: r.policy.id,
        rule: r.ruleIndex,
        matchingPeers: r.matchingPeers,
        matchingPorts: r.matchingPorts,
        allows: r.allows,
      })),
    });
    return {
      from: this.nameOf(this.from),
      to: this.nameOf(this.to),
      port: this.port,
      protocol: this.protocol,
      allowed: this.allowed,
      egress: direction(this.egress),
      ingress: direction(this.ingress),
    };
  }

  private formatDirection(v: DirectionVerdict): string[] {
    const head = v.direction === 'Egress' ? `egress from ${this.nameOf(v.subject)}` : `ingress to ${this.nameOf(v.subject)}`;
    if (!v.applies) return [`${head}: outside the cluster, so no policy restricts it`];
    if (v.isolatedBy.length === 0) {
      return [
        `${head}: not isolated (no policy selecting it covers ${v.direction}), so all traffic ${v.direction === 'Egress' ? 'out' : 'in'} is allowed`,
      ];
    }
    const out = [`${head}: isolated by ${v.isolatedBy.map((p) => p.id).join(', ')}${v.allowed ? '' : '; no rule allows the connection'}`];
    const dir = v.direction.toLowerCase();
    const allowing = v.rules.filter((r) => r.allows);
    if (allowing.length > 0) {
      for (const r of allowing) {
        const peers =
          r.matchingPeers === 'any'
            ? `every ${v.direction === 'Egress' ? 'destination' : 'source'} (no ${v.direction === 'Egress' ? 'to' : 'from'} list)`
            : `peer ${r.matchingPeers[0]} (${r.rule.peers[r.matchingPeers[0]]})`;
        const ports =
          r.matchingPorts === 'any'
            ? 'every port (no ports list)'
            : `port entry ${r.matchingPorts[0]} (${this.portText(r, r.matchingPorts[0])})`;
        out.push(`  allowed by ${r.policy.id}, ${dir} rule ${r.ruleIndex}: ${peers} and ${ports}`);
      }
      return out;
    }
    for (const p of v.isolatedBy) {
      const rules = v.rules.filter((r) => r.policy === p);
      if (rules.length === 0) {
        out.push(`  ${p.id} has no ${dir} rules`);
        continue;
      }
      for (const r of rules) {
        const where = `${p.id}, ${dir} rule ${r.ruleIndex}`;
        if (r.matchingPeers !== 'any' && r.matchingPeers.length === 0) {
          out.push(`  ${where}: no peer matches ${this.nameOf(v.peer)} (${r.rule.peers.map(String).join('; ')})`);
        } else {
          const peer =
            r.matchingPeers === 'any' ? 'every peer matches' : `peer ${r.matchingPeers[0]} (${r.rule.peers[r.matchingPeers[0]]}) matches`;
          out.push(
            `  ${where}: ${peer}, but no port entry allows ${this.protocol} ${this.port} (${r.rule.ports.map((_, i) => this.portText(r, i)).join(', ')})`,
          );
        }
      }
    }
    return out;
  }

  private portText(r: RuleVerdict, i: number): string {
    const p = r.rule.ports[i];
    if (typeof p.port !== 'string') return p.toString();
    const resolved = r.resolvedPorts[i];
    const dst = this.to.type === 'workload' ? this.nameOf(this.to) : undefined;
    if (!dst) return `${p}: a port name, which means nothing outside the cluster`;
    return resolved === undefined ? `${p}: no such port on ${dst}` : `${p} = ${resolved} on ${dst}`;
  }
}

/** Builds the explanation of one pair, evaluating every rule of the isolating policies. */
export function explainPair(analysis: Analysis, from: Endpoint, to: Endpoint, port: number, protocol: Protocol): Explanation {
  const destination = to.type === 'workload' ? to.workload : undefined;
  const direction = (dir: Direction, subject: Endpoint, other: Endpoint): DirectionVerdict => {
    if (subject.type !== 'workload') {
      return { direction: dir, subject, peer: other, applies: false, isolatedBy: [], rules: [], allowed: true };
    }
    const w = subject.workload;
    const isolatedBy = analysis.policies
      .filter((p) => p.isolates(dir) && policySelectsWorkload(p, w))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const rules: RuleVerdict[] = [];
    for (const p of isolatedBy) {
      p.rules(dir).forEach((rule, ruleIndex) => {
        const matchingPeers = rule.anyPeer
          ? 'any'
          : rule.peers.flatMap((peer, i) => (peerMatches(analysis, peer, p.namespace, other) ? [i] : []));
        const resolvedPorts = rule.ports.map((entry) =>
          typeof entry.port === 'string' && destination ? resolveNamedPort(destination, entry.port, entry.protocol) : undefined,
        );
        const matchingPorts = rule.anyPort
          ? 'any'
          : rule.ports.flatMap((entry: Port, i) => (portEntrySet(entry, destination).contains(port, protocol) ? [i] : []));
        const allows = (matchingPeers === 'any' || matchingPeers.length > 0) && (matchingPorts === 'any' || matchingPorts.length > 0);
        rules.push({ policy: p, direction: dir, ruleIndex, rule, matchingPeers, matchingPorts, resolvedPorts, allows });
      });
    }
    return {
      direction: dir,
      subject,
      peer: other,
      applies: true,
      isolatedBy,
      rules,
      allowed: isolatedBy.length === 0 || rules.some((r) => r.allows),
    };
  };
  return new Explanation(from, to, port, protocol, direction(Direction.EGRESS, from, to), direction(Direction.INGRESS, to, from), (e) =>
    analysis.nameOf(e),
  );
}

function peerMatches(analysis: Analysis, peer: Peer, policyNamespace: string, other: Endpoint): boolean {
  if (other.type === 'workload') {
    const labels: Labels = analysis.namespaceLabels(other.workload.namespace);
    return peerSelectsWorkload(peer, policyNamespace, other.workload, labels, analysis.ipBlockPods);
  }
  if (other.address) return peerMatchesAddress(peer, other.address);
  return peer.kind === PeerKind.ANY || (peer.kind === PeerKind.IP_BLOCK && other.range.isInside(peer.ipBlock!));
}
