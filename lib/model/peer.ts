/**
 * Peers: the other end of a NetworkPolicy rule, exactly as `NetworkPolicyPeer` defines it —
 * pods of the policy's namespace, pods of selected namespaces (optionally narrowed by pod
 * labels, AND), an ipBlock — plus `Peer.any()`, a rule without a peer list, which matches
 * every source or destination.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors
 */
import { AddressSet } from './address-set';
import { Cidr, IpAddress, IpBlock } from './cidr';
import { Namespace, Workload } from './cluster';
import { Condition, End } from './condition';
import { namespaceSelectorMatch, podAddressMatch } from './knowledge';
import { NetpolError } from './errors';
import { dns1123LabelErrors } from './names';
import { LabelSelector, Labels } from './selector';
import { isPlainObject, refuse } from './private/args';
import { addBrand, hasBrand } from './brand';

/** What kind of peer this is. */
export enum PeerKind {
  /** Every source or destination: a rule without a peer list. */
  ANY = 'any',
  /** Pods of the policy's own namespace (a `podSelector` alone). */
  PODS = 'pods',
  /** Pods of selected namespaces (a `namespaceSelector`, optionally with a `podSelector`). */
  NAMESPACES = 'namespaces',
  /** Addresses (an `ipBlock`). */
  IP_BLOCK = 'ipBlock',
}

/** The parts of a raw peer (`Peer.raw`), as `NetworkPolicyPeer` names them. */
export interface RawPeerOptions {
  /**
   * Pods, of the policy's namespace or, with `namespaceSelector`, of the selected namespaces.
   * @default - every pod of the selected namespaces (with `namespaceSelector`)
   */
  readonly podSelector?: LabelSelector;
  /**
   * Namespaces whose pods the peer matches.
   * @default - the policy's own namespace (with `podSelector`)
   */
  readonly namespaceSelector?: LabelSelector;
  /**
   * Addresses; not together with a selector.
   * @default - none
   */
  readonly ipBlock?: IpBlock;
}

/**
 * How ipBlock peers treat pods: `match` them by their IPs, as Kubernetes' conformance tests
 * expect, or `ignore` them, as np-guard does and as some network plugins do for traffic
 * between pods.
 */
export type IpBlockPods = 'match' | 'ignore';

/** What is known of pod addresses when matching ipBlocks against pods. */
export interface PodAddressing {
  /** @default 'match' */
  readonly ipBlockPods?: IpBlockPods;
  /**
   * The ranges pod IPs are taken from. A block that holds them all matches a pod whose IP is
   * unknown; one that holds none of them does not.
   * @default - unknown: a block may hold an unknown pod IP
   */
  readonly podCidrs?: readonly Cidr[];
}

/** A verdict on one peer and one end: it matches, it does not, or it matches if the condition holds. */
export type PeerMatch = boolean | Condition;

/**
 * The other end of a rule. Immutable; build with the static factories.
 *
 * @example
 * Peer.pods({ app: 'api' })                          // pods of the policy's own namespace
 * Peer.namespace('monitoring')                       // every pod of namespace monitoring
 * Peer.podsInNamespace('team-a', { app: 'client' })  // namespace AND pods
 * Peer.cidr('172.17.0.0/16', ['172.17.1.0/24'])      // ipBlock with except
 * Peer.anyIpv4()                                     // 0.0.0.0/0
 */
export class Peer {
  /** Brand check that works across copies of the library. */
  public static isPeer(x: unknown): x is Peer {
    return hasBrand(x, PEER_BRAND);
  }

  /** Every source or destination: pods in every namespace and every address (a rule without `from`/`to`). */
  public static any(): Peer {
    return ANY;
  }

  /** Pods of the policy's own namespace that carry these labels (`{}` for all of them). */
  public static pods(selector: Labels | LabelSelector): Peer {
    return new Peer(PeerKind.PODS, toSelector('Peer.pods', 'selector', selector));
  }

  /** Every pod of the namespace with this name (selected by its `kubernetes.io/metadata.name` label). */
  public static namespace(name: string): Peer {
    checkNamespaceName('Peer.namespace', name);
    return new Peer(PeerKind.NAMESPACES, undefined, LabelSelector.namespaceName(name));
  }

  /** Every pod of the namespaces that carry these labels. */
  public static namespaces(selector: Labels | LabelSelector): Peer {
    return new Peer(PeerKind.NAMESPACES, undefined, toSelector('Peer.namespaces', 'selector', selector));
  }

  /** Every pod of every namespace (not external addresses). */
  public static allPods(): Peer {
    return new Peer(PeerKind.NAMESPACES, undefined, LabelSelector.all());
  }

  /**
   * Pods with these labels in the given namespace(s): one peer with both selectors, which
   * Kubernetes reads as AND.
   * @param namespace a namespace name, or a selector of namespaces
   */
  public static podsInNamespace(namespace: string | LabelSelector, pods: Labels | LabelSelector): Peer {
    if (typeof namespace === 'string') checkNamespaceName('Peer.podsInNamespace', namespace);
    else if (!LabelSelector.isLabelSelector(namespace)) {
      refuse('Peer.podsInNamespace', 'namespace', "a namespace name such as 'team-a', or a LabelSelector of namespaces", namespace);
    }
    const ns = typeof namespace === 'string' ? LabelSelector.namespaceName(namespace) : namespace;
    return new Peer(PeerKind.NAMESPACES, toSelector('Peer.podsInNamespace', 'pods', pods), ns);
  }

  /** An ipBlock: a CIDR, optionally minus excepts. Checked with the API server's rules. */
  public static cidr(cidr: string | Cidr, except: (string | Cidr)[] = []): Peer {
    if (typeof cidr !== 'string' && !(cidr instanceof Cidr)) refuse('Peer.cidr', 'cidr', "a CIDR such as '10.0.0.0/16'", cidr);
    return Peer.fromIpBlock(IpBlock.of(cidr, except));
  }

  /** An ipBlock peer from an `IpBlock` value. */
  public static fromIpBlock(block: IpBlock): Peer {
    if (!(block instanceof IpBlock)) refuse('Peer.fromIpBlock', 'block', "an IpBlock such as IpBlock.of('10.0.0.0/16')", block);
    return new Peer(PeerKind.IP_BLOCK, undefined, undefined, block);
  }

  /**
   * An ipBlock peer from an `IpBlock` value.
   * @deprecated use `Peer.fromIpBlock`: a static method may not share its name with the
   * `ipBlock` property in the languages jsii targets
   * @jsii ignore
   */
  public static ipBlock(block: IpBlock): Peer {
    if (!(block instanceof IpBlock)) refuse('Peer.ipBlock', 'block', "an IpBlock such as IpBlock.of('10.0.0.0/16')", block);
    return Peer.fromIpBlock(block);
  }

  /** Every IPv4 address, `0.0.0.0/0`. */
  public static anyIpv4(): Peer {
    return Peer.fromIpBlock(IpBlock.of(Cidr.ANY_IPV4));
  }

  /** Every IPv6 address, `::/0`. */
  public static anyIpv6(): Peer {
    return Peer.fromIpBlock(IpBlock.of(Cidr.ANY_IPV6));
  }

  /**
   * The raw form: any combination the API allows (a pod and/or namespace selector, or an ipBlock).
   * Use the named factories where you can.
   */
  public static raw(parts: RawPeerOptions): Peer {
    const given: unknown = parts;
    if (!isPlainObject(given)) refuse('Peer.raw', 'parts', 'an object with podSelector, namespaceSelector or ipBlock', given);
    for (const k of ['podSelector', 'namespaceSelector'] as const) {
      if (parts[k] !== undefined && !LabelSelector.isLabelSelector(parts[k])) refuse('Peer.raw', k, 'a LabelSelector', parts[k]);
    }
    if (parts.ipBlock !== undefined && !(parts.ipBlock instanceof IpBlock)) refuse('Peer.raw', 'ipBlock', 'an IpBlock', parts.ipBlock);
    if (parts.ipBlock && (parts.podSelector || parts.namespaceSelector)) {
      throw NetpolError.ofValue(
        'peer.ipblock-with-selector',
        'a peer may not combine ipBlock with podSelector or namespaceSelector; make them separate peers',
      );
    }
    if (parts.ipBlock) return Peer.fromIpBlock(parts.ipBlock);
    if (parts.namespaceSelector) return new Peer(PeerKind.NAMESPACES, parts.podSelector, parts.namespaceSelector);
    if (parts.podSelector) return new Peer(PeerKind.PODS, parts.podSelector);
    throw NetpolError.ofValue(
      'peer.empty',
      'a peer must have a podSelector, a namespaceSelector or an ipBlock; to match everything, leave out the from/to list (Peer.any())',
    );
  }

  private constructor(
    public readonly kind: PeerKind,
    /** Pod selector; for `namespaces` peers, undefined means every pod of the namespaces. */
    public readonly podSelector?: LabelSelector,
    /** Namespace selector (only on `namespaces` peers). */
    public readonly namespaceSelector?: LabelSelector,
    /** The block (only on `ipBlock` peers). */
    public readonly ipBlock?: IpBlock,
  ) {}

  /**
   * The Kubernetes JSON form of one `NetworkPolicyPeer` (undefined for `any`).
   * TypeScript only: the manifests are written by the library itself.
   * @jsii ignore
   */
  public toJson(): Record<string, unknown> | undefined {
    switch (this.kind) {
      case PeerKind.ANY:
        return undefined;
      case PeerKind.PODS:
        return { podSelector: this.podSelector!.toJson() };
      case PeerKind.NAMESPACES:
        return {
          namespaceSelector: this.namespaceSelector!.toJson(),
          ...(this.podSelector ? { podSelector: this.podSelector.toJson() } : {}),
        };
      case PeerKind.IP_BLOCK:
        return {
          ipBlock: {
            cidr: this.ipBlock!.cidr.toString(),
            ...(this.ipBlock!.except.length > 0 ? { except: this.ipBlock!.except.map(String) } : {}),
          },
        };
    }
  }

  /** True if both match the same sources or destinations in the same way (their `key`s are equal). */
  public isEqualTo(other: Peer): boolean {
    return this.key === other.key;
  }

  /**
   * @deprecated use `isEqualTo`, which every language jsii targets can call
   * @jsii ignore
   */
  public equals(other: Peer): boolean {
    return this.isEqualTo(other);
  }

  /** A canonical string for sorting and de-duplication. */
  public get key(): string {
    return `${KIND_ORDER[this.kind]}|${this.toString()}`;
  }

  /**
   * Readable form: `*`, `pods app=web`, `namespace db`, `namespaces project=x`,
   * `namespace team-a pods app=client`, `10.0.0.0/16 except 10.0.1.0/24`.
   */
  public toString(): string {
    switch (this.kind) {
      case PeerKind.ANY:
        return '*';
      case PeerKind.PODS:
        return `pods ${this.podSelector}`;
      case PeerKind.NAMESPACES: {
        const name = this.namespaceSelector!.namespaceNameOnly;
        const ns = name !== undefined ? `namespace ${name}` : `namespaces ${this.namespaceSelector}`;
        return this.podSelector ? `${ns} pods ${this.podSelector}` : ns;
      }
      case PeerKind.IP_BLOCK:
        return this.ipBlock!.toString();
    }
  }
}

const PEER_BRAND = Symbol.for('cdk8s-netpol.Peer');
// on the prototype: defined once for every instance instead of on each one
addBrand(Peer.prototype, PEER_BRAND);
const KIND_ORDER: Record<PeerKind, number> = { any: 0, pods: 1, namespaces: 2, ipBlock: 3 };
/** The private constructor, for the shared peer of every address. */
const newPeer = Peer as unknown as new (kind: PeerKind) => Peer;
const ANY = new newPeer(PeerKind.ANY);

/**
 * Whether the peer, in a policy of `policyNamespace`, admits pods of namespace `ns` as far as
 * namespaces go: every namespace for `Peer.any()`, the policy's own for a pod selector alone,
 * those a namespace selector matches (a condition on the `end`'s namespace labels where they
 * are unknown and the selector asks for more than the name), none for an ipBlock. Kept out of
 * the `Peer` class, whose surface is the construct API's.
 */
export function peerMatchesNamespace(peer: Peer, end: End, policyNamespace: string, ns: Namespace): PeerMatch {
  switch (peer.kind) {
    case PeerKind.ANY:
      return true;
    case PeerKind.PODS:
      return ns.name === policyNamespace;
    case PeerKind.NAMESPACES:
      return namespaceSelectorMatch(peer.namespaceSelector!, ns, end);
    case PeerKind.IP_BLOCK:
      return false;
  }
}

/**
 * Whether the peer, in a policy of `policyNamespace`, matches a pod of namespace `ns`: its
 * namespace is admitted and the pod selector, if any, matches its labels; an ipBlock matches
 * a pod by its IP (see `PodAddressing`), a condition on the `end`'s IP where it is unknown.
 *
 * @example
 * peerMatchesPod(Peer.pods({ app: 'web' }), 'source', 'shop', web, namespace('shop')); // true
 */
export function peerMatchesPod(
  peer: Peer,
  end: End,
  policyNamespace: string,
  pod: Workload,
  ns: Namespace,
  addressing: PodAddressing = {},
): PeerMatch {
  if (peer.kind === PeerKind.IP_BLOCK) return podAddressMatch(AddressSet.fromBlock(peer.ipBlock!), pod, end, addressing);
  if (peer.podSelector && !peer.podSelector.matches(pod.labels)) return false;
  return peerMatchesNamespace(peer, end, policyNamespace, ns);
}

/** True if the peer matches an address outside the cluster: `Peer.any()`, or an ipBlock holding it. */
export function peerMatchesAddress(peer: Peer, ip: IpAddress): boolean {
  if (peer.kind === PeerKind.ANY) return true;
  return peer.kind === PeerKind.IP_BLOCK && peer.ipBlock!.containsIp(ip);
}

/** Labels or a selector given for `field` of `call`; a missing argument is refused, not read as `{}` (every pod). */
function toSelector(call: string, field: string, s: unknown): LabelSelector {
  if (LabelSelector.isLabelSelector(s)) return s;
  if (!isPlainObject(s)) refuse(call, field, "labels such as { app: 'web' } ({} for all), or a LabelSelector", s);
  return LabelSelector.of(s as Labels);
}

function checkNamespaceName(call: string, name: unknown): void {
  if (typeof name !== 'string') refuse(call, 'namespace', "a namespace name such as 'monitoring'", name);
  const errs = dns1123LabelErrors(name);
  if (errs.length > 0) throw NetpolError.ofValue('namespace.name', `namespace name "${name}" is invalid: ${errs.join('; ')}`);
}
