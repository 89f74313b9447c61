/**
 * Peers of ClusterNetworkPolicy rules: the other end of a connection, as the API defines them
 * (kubernetes-sigs/network-policy-api, `apis/v1alpha2/clusternetworkpolicy_types.go`,
 * `ClusterNetworkPolicyIngressPeer` and `ClusterNetworkPolicyEgressPeer`; exactly one field each):
 *
 * - `namespaces`: every pod of the selected namespaces; `pods`: the selected pods of the selected
 *   namespaces. Neither includes pods with `hostNetwork: true`.
 * - `nodes` (egress only): the IP addresses in the `status.addresses` of the selected nodes.
 * - `networks` (egress only): up to 25 CIDRs. They match cluster-internal traffic too: a Deny to
 *   `0.0.0.0/0` denies IPv4 pod-to-pod traffic as well.
 * - `domainNames` (egress only, Accept rules only): up to 25 names, `*.` matching subdomains.
 *
 * Ingress rules take `namespaces` and `pods` peers only.
 */
import { Cidr } from './cidr';
import { checkNamespaceName, toSelector } from './private/selector-args';
import { DomainName } from './domain-name';
import { NetpolError } from './errors';
import { LabelSelector, Labels } from './selector';
import { addBrand, hasBrand } from './brand';

const BRAND = Symbol.for('cdk8s-netpol.ClusterPeer');

/** The most CIDRs or domain names one peer holds (`MaxItems=25`). */
export const MAX_PEER_ITEMS = 25;

/** What kind of peer a `ClusterPeer` is: the API field it renders. */
export enum ClusterPeerKind {
  /** `namespaces`: every pod of the selected namespaces. */
  NAMESPACES = 'namespaces',
  /** `pods`: selected pods of selected namespaces. */
  PODS = 'pods',
  /** `nodes`: the addresses of selected nodes (egress only). */
  NODES = 'nodes',
  /** `networks`: CIDRs (egress only). */
  NETWORKS = 'networks',
  /** `domainNames`: domain names (egress only, Accept rules only). */
  DOMAIN_NAMES = 'domainNames',
}

/**
 * The other end of a ClusterNetworkPolicy rule. Immutable; build with the static factories.
 *
 * @example
 * ClusterPeer.namespace('monitoring')                        // every pod of namespace monitoring
 * ClusterPeer.podsInNamespace('kube-system', { 'k8s-app': 'kube-dns' })
 * ClusterPeer.networks(['169.254.169.254/32', 'fd00:ec2::254/128'])
 * ClusterPeer.domainNames(['api.stripe.com'])
 * ClusterPeer.nodes({ 'kubernetes.io/os': 'linux' })
 */
export class ClusterPeer {
  /** Brand check that works across copies of the library. */
  public static isClusterPeer(x: unknown): x is ClusterPeer {
    return hasBrand(x, BRAND);
  }

  /** Every pod of every namespace (`namespaces: {}`). */
  public static allPods(): ClusterPeer {
    return new ClusterPeer(ClusterPeerKind.NAMESPACES, { namespaceSelector: LabelSelector.all() });
  }

  /** Every pod of the namespaces that carry these labels. */
  public static namespaces(selector: Labels | LabelSelector): ClusterPeer {
    return new ClusterPeer(ClusterPeerKind.NAMESPACES, { namespaceSelector: toSelector(selector) });
  }

  /** Every pod of the namespace with this name (by its `kubernetes.io/metadata.name` label). */
  public static namespace(name: string): ClusterPeer {
    checkNamespaceName(name);
    return new ClusterPeer(ClusterPeerKind.NAMESPACES, { namespaceSelector: LabelSelector.namespaceName(name) });
  }

  /** The pods with these labels in the namespaces with those labels (namespace AND pod). */
  public static pods(namespaces: Labels | LabelSelector, pods: Labels | LabelSelector): ClusterPeer {
    return new ClusterPeer(ClusterPeerKind.PODS, { namespaceSelector: toSelector(namespaces), podSelector: toSelector(pods) });
  }

  /** The pods with these labels in the namespace with this name. */
  public static podsInNamespace(namespace: string, pods: Labels | LabelSelector): ClusterPeer {
    checkNamespaceName(namespace);
    return new ClusterPeer(ClusterPeerKind.PODS, {
      namespaceSelector: LabelSelector.namespaceName(namespace),
      podSelector: toSelector(pods),
    });
  }

  /** The addresses of the nodes that carry these labels (egress only). */
  public static nodes(selector: Labels | LabelSelector): ClusterPeer {
    return new ClusterPeer(ClusterPeerKind.NODES, { nodeSelector: toSelector(selector) });
  }

  /** The addresses of every node (egress only). */
  public static allNodes(): ClusterPeer {
    return new ClusterPeer(ClusterPeerKind.NODES, { nodeSelector: LabelSelector.all() });
  }

  /**
   * Addresses by CIDR, IPv4 or IPv6, 1 to 25 of them (egress only). Strings are checked as
   * `Cidr.parse` does (no bits beyond the prefix); repeats are dropped.
   */
  public static networks(cidrs: (string | Cidr)[]): ClusterPeer {
    const issues: { code: string; path: string; message: string }[] = [];
    const parsed: Cidr[] = [];
    cidrs.forEach((c, i) => {
      try {
        parsed.push(c instanceof Cidr ? c : Cidr.parse(c));
      } catch (e) {
        if (!NetpolError.isNetpolError(e)) throw e;
        issues.push(...e.issues.map((x) => ({ ...x, path: `[${i}]` })));
      }
    });
    if (issues.length > 0) throw new NetpolError(issues);
    const unique = dedupe(parsed, (c) => c.toString());
    checkCount(unique.length, 'networks', 'CIDR');
    return new ClusterPeer(ClusterPeerKind.NETWORKS, { networks: unique });
  }

  /** Every IPv4 address, `0.0.0.0/0` (pod addresses included). */
  public static anyIpv4(): ClusterPeer {
    return ClusterPeer.networks([Cidr.ANY_IPV4]);
  }

  /** Every IPv6 address, `::/0` (pod addresses included). */
  public static anyIpv6(): ClusterPeer {
    return ClusterPeer.networks([Cidr.ANY_IPV6]);
  }

  /** Every address of both families, `0.0.0.0/0` and `::/0` (pod addresses included). */
  public static anyAddress(): ClusterPeer {
    return ClusterPeer.networks([Cidr.ANY_IPV4, Cidr.ANY_IPV6]);
  }

  /**
   * Domain names, 1 to 25 of them (egress only, Accept rules only); `*.example.com` matches the
   * subdomains of `example.com`. Repeats are dropped.
   */
  public static domainNames(names: (string | DomainName)[]): ClusterPeer {
    const issues: { code: string; path: string; message: string }[] = [];
    const parsed: DomainName[] = [];
    names.forEach((n, i) => {
      try {
        parsed.push(DomainName.isDomainName(n) ? n : DomainName.of(n));
      } catch (e) {
        if (!NetpolError.isNetpolError(e)) throw e;
        issues.push(...e.issues.map((x) => ({ ...x, path: `[${i}]` })));
      }
    });
    if (issues.length > 0) throw new NetpolError(issues);
    const unique = dedupe(parsed, (d) => d.key);
    checkCount(unique.length, 'domainNames', 'domain name');
    return new ClusterPeer(ClusterPeerKind.DOMAIN_NAMES, { domainNames: unique });
  }

  /** What kind of peer this is. */
  public readonly kind: ClusterPeerKind;
  /** Selects namespaces (`namespaces` and `pods` peers). */
  public readonly namespaceSelector?: LabelSelector;
  /** Selects pods within them (`pods` peers). */
  public readonly podSelector?: LabelSelector;
  /** Selects nodes (`nodes` peers). */
  public readonly nodeSelector?: LabelSelector;
  /** The CIDRs of a `networks` peer, in the order given; empty for other kinds. */
  public readonly cidrs: Cidr[];
  /** The names of a `domainNames` peer, in the order given; empty for other kinds. */
  public readonly domains: DomainName[];

  private constructor(
    kind: ClusterPeerKind,
    parts: {
      namespaceSelector?: LabelSelector;
      podSelector?: LabelSelector;
      nodeSelector?: LabelSelector;
      networks?: Cidr[];
      domainNames?: DomainName[];
    },
  ) {
    this.kind = kind;
    this.namespaceSelector = parts.namespaceSelector;
    this.podSelector = parts.podSelector;
    this.nodeSelector = parts.nodeSelector;
    this.cidrs = Object.freeze([...(parts.networks ?? [])]) as Cidr[];
    this.domains = Object.freeze([...(parts.domainNames ?? [])]) as DomainName[];
    addBrand(this, BRAND);
  }

  /** True for peers that only egress rules may use (`nodes`, `networks`, `domainNames`). */
  public get egressOnly(): boolean {
    return this.kind !== ClusterPeerKind.NAMESPACES && this.kind !== ClusterPeerKind.PODS;
  }

  /** The API's JSON of one peer: `{namespaces: ...}`, `{pods: ...}`, `{nodes: ...}`, `{networks: [...]}`, `{domainNames: [...]}`. */
  public toJson(): Record<string, unknown> {
    switch (this.kind) {
      case ClusterPeerKind.NAMESPACES:
        return { namespaces: this.namespaceSelector!.toJson() };
      case ClusterPeerKind.PODS:
        return { pods: { namespaceSelector: this.namespaceSelector!.toJson(), podSelector: this.podSelector!.toJson() } };
      case ClusterPeerKind.NODES:
        return { nodes: this.nodeSelector!.toJson() };
      case ClusterPeerKind.NETWORKS:
        return { networks: this.cidrs.map(String) };
      case ClusterPeerKind.DOMAIN_NAMES:
        return { domainNames: this.domains.map(String) };
    }
  }

  /** A canonical string for de-duplication. */
  public get key(): string {
    return `${this.kind}|${this.toString()}`;
  }

  /**
   * Readable form: `every pod`, `namespace monitoring`, `namespaces team=a`,
   * `pods k8s-app=kube-dns in namespace kube-system`, `nodes kubernetes.io/os=linux`,
   * `networks 169.254.169.254/32, fd00:ec2::254/128`, `domains api.stripe.com`.
   */
  public toString(): string {
    switch (this.kind) {
      case ClusterPeerKind.NAMESPACES: {
        const name = this.namespaceSelector!.namespaceNameOnly;
        if (name !== undefined) return `namespace ${name}`;
        return this.namespaceSelector!.isEmpty ? 'every pod' : `namespaces ${this.namespaceSelector}`;
      }
      case ClusterPeerKind.PODS: {
        const name = this.namespaceSelector!.namespaceNameOnly;
        const ns =
          name !== undefined
            ? `namespace ${name}`
            : this.namespaceSelector!.isEmpty
              ? 'every namespace'
              : `namespaces ${this.namespaceSelector}`;
        return `pods ${this.podSelector} in ${ns}`;
      }
      case ClusterPeerKind.NODES:
        return this.nodeSelector!.isEmpty ? 'every node' : `nodes ${this.nodeSelector}`;
      case ClusterPeerKind.NETWORKS:
        return `networks ${this.cidrs.join(', ')}`;
      case ClusterPeerKind.DOMAIN_NAMES:
        return `domains ${this.domains.join(', ')}`;
    }
  }
}

function dedupe<T>(items: readonly T[], key: (t: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const i of items) if (!seen.has(key(i))) seen.set(key(i), i);
  return [...seen.values()];
}

function checkCount(n: number, field: string, what: string): void {
  if (n === 0) throw NetpolError.ofValue('cluster-peer.empty', `${field} needs at least one ${what}`);
  if (n > MAX_PEER_ITEMS) {
    throw NetpolError.ofValue(
      'cluster-peer.too-many',
      `${field} holds ${n} entries, but the API allows at most ${MAX_PEER_ITEMS} per peer; split them over several peers`,
    );
  }
}
