/**
 * A rule of a policy: which peers, on which ports. An empty peer list matches every peer; an
 * empty port list matches every port and protocol.
 */
import type { Workload } from './cluster';
import { Peer, PeerKind } from './peer';
import { Port, portReach } from './port';
import { compareStrings } from './order';
import { Reach } from './reach';

/** Direction of traffic relative to the selected pods; the values are the API's `policyTypes` spelling. */
export enum Direction {
  /** Traffic to the selected pods. */
  INGRESS = 'Ingress',
  /** Traffic from the selected pods. */
  EGRESS = 'Egress',
}

/** One ingress or egress rule. Immutable. */
export class Rule {
  /**
   * Builds a rule, keeping the given order and dropping exact repeats. `Peer.any()` among the
   * peers makes the whole rule match every peer.
   */
  public static of(peers: readonly Peer[], ports: readonly Port[]): Rule {
    const anyPeer = peers.some((p) => p.kind === PeerKind.ANY);
    return new Rule(
      anyPeer ? [] : dedupe(peers, (p) => p.key),
      dedupe(ports, (p) => p.toString()),
    );
  }

  private constructor(
    /** Peers; empty means every peer. */
    public readonly peers: readonly Peer[],
    /** Ports; empty means every port. */
    public readonly ports: readonly Port[],
  ) {}

  /** True if the rule matches every peer. */
  public get anyPeer(): boolean {
    return this.peers.length === 0;
  }

  /** True if the rule matches every port. */
  public get anyPort(): boolean {
    return this.ports.length === 0;
  }

  /**
   * What the rule's ports allow toward a destination (`Port.reachToward`, added up): every
   * connection for a rule without ports. Without a destination (an address outside the
   * cluster), named ports allow nothing.
   */
  public portReach(destination?: Workload): Reach {
    if (this.anyPort) return Reach.all();
    let out = Reach.none();
    for (const p of this.ports) out = out.union(portReach(p, destination));
    return out;
  }

  /** True if some port entry is a container port name, which depends on the destination. */
  public get hasNamedPorts(): boolean {
    return this.ports.some((p) => p.isNamed);
  }

  /** The same rule with peers and ports in the stable order used for output. */
  public sorted(): Rule {
    return new Rule(
      [...this.peers].sort((a, b) => compareStrings(a.key, b.key)),
      [...this.ports].sort(Port.compare),
    );
  }

  /** A canonical string, used to de-duplicate and order rules. */
  public get key(): string {
    return `${this.peers.map((p) => p.key).join(';')}#${this.ports.map(String).join(',')}`;
  }

  /** `pods app=web: TCP 80, TCP 443` or `*: all ports`. */
  public toString(): string {
    const peers = this.anyPeer ? '*' : this.peers.map(String).join(' | ');
    const ports = this.anyPort ? 'all ports' : this.ports.map(String).join(', ');
    return `${peers}: ${ports}`;
  }
}

function dedupe<T>(items: readonly T[], key: (t: T) => string): T[] {
  if (items.length < 2) return [...items];
  const seen = new Map<string, T>();
  for (const i of items) {
    const k = key(i);
    if (!seen.has(k)) seen.set(k, i);
  }
  return [...seen.values()];
}

export { compareStrings };
