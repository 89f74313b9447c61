/**
 * `Tier`: a named group of pods in one namespace, and the statements that make intent-level
 * policy possible — `web.allowTo(api, Port.tcp(8080))` writes the egress rule on web's policy
 * AND the ingress rule on api's policy, because a connection needs both ends to allow it.
 */
import { Construct, IConstruct } from 'constructs';
import { NetpolError } from '../model/errors';
import { Peer } from '../model/peer';
import { Policy } from '../model/policy';
import { Port } from '../model/port';
import { Direction, Rule } from '../model/rule';
import { LabelSelector, Labels, SelectorExpression } from '../model/selector';
import { ExternalDatabase } from './external-database';
import { PolicyConstruct, PolicyConstructProps } from './policy-construct';
import { AppRegistry } from './private/registry';
import { deferErrors } from './private/errors';
import { checkProps, refuse } from '../model/private/args';
import { addBrand, hasBrand } from '../model/brand';

/** What a tier can allow traffic from or to. */
export type PeerLike = Peer | Tier | ExternalDatabase;

/** Properties of `Tier`. Give `pods` or `workload`. */
export interface TierProps extends PolicyConstructProps {
  /** Labels (or a selector) of the tier's pods. @default - from `workload` */
  readonly pods?: Labels | LabelSelector;
  /**
   * A cdk8s-plus workload or pod (`Deployment`, `StatefulSet`, `DaemonSet`, `Job`, `Pod`, of
   * cdk8s-plus-27, -33 or any other version) whose pod selector (and namespace, if set) the
   * tier takes. Any construct is accepted by type, so that every version's workloads fit in
   * every language; one without a pod selector is refused when the tier is created.
   * @default - use `pods`
   */
  readonly workload?: IConstruct;
  /**
   * Directions in which the tier's pods are isolated even without a `DefaultDeny` in their
   * namespace. @default - the directions of its own `allowFrom`/`allowTo` calls and of the
   * namespace's DefaultDeny
   */
  readonly isolate?: Direction[];
}

/** Properties of `Tier.allPods`: a tier's, without a selector. */
export interface AllPodsTierProps extends PolicyConstructProps {
  /**
   * Directions in which the pods are isolated even without a `DefaultDeny` in their namespace.
   * @default - the directions of the tier's own statements and of the namespace's DefaultDeny
   */
  readonly isolate?: Direction[];
  /**
   * Why the tier is every pod of its namespace, written beside the lint suppression.
   * @default - "a tier of every pod of namespace <ns>, on purpose (Tier.allPods)"
   */
  readonly reason?: string;
}

interface Grant {
  readonly peer: Peer;
  readonly ports: readonly Port[];
  /** Written because the other end asked (the tier's own statements isolate; these follow). */
  readonly mirrored: boolean;
}

/**
 * A group of pods selected by labels in one namespace, with one NetworkPolicy holding its
 * ingress and egress rules.
 *
 * Isolation follows Kubernetes: a direction is isolated once a policy covering it selects the
 * pods. The tier's policy covers the directions of its own statements (`allowFrom` → Ingress,
 * `allowTo` → Egress, `allowWithin` → both), those another policy of the App isolates for its
 * pods (a `DefaultDeny`, an `AllowDns`, a tier of every pod of the namespace), and `isolate`.
 * When the other end of a statement is a tier too, its side of the rule is written where that
 * tier is isolated — where it is not, it already allows the traffic, and writing the rule
 * would cut off everything else. A repeated statement is a no-op.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 * @example
 * const web = new Tier(chart, 'web', { pods: { tier: 'web' } });
 * const app = new Tier(chart, 'app', { pods: { tier: 'app' } });
 * web.allowFrom(Peer.anyIpv4(), Port.tcp(80));
 * web.allowTo(app, Port.tcp(8080)); // egress on web, ingress on app
 */
export class Tier extends PolicyConstruct {
  /** Brand check that works across copies of the library. */
  public static isTier(x: unknown): x is Tier {
    return hasBrand(x, BRAND);
  }

  /**
   * A tier of every pod of its namespace, on purpose: `pods: {}` without a word selects every
   * pod too, and `netpol lint` takes that for a forgotten selector (NP013); this says it is
   * meant, with the reason in the policy's `netpol.dev/lint-suppress` annotation.
   *
   * @example
   * Tier.allPods(chart, 'internal', { namespace: 'team-a' }).allowWithin();
   */
  public static allPods(scope: Construct, id: string, props: AllPodsTierProps = {}): Tier {
    const { reason, ...rest } = checkProps('Tier.allPods', props, true, constructPath(scope, id)) as AllPodsTierProps;
    const tier = new Tier(scope, id, { ...rest, pods: {} });
    tier.suppressLint('NP013', reason ?? `a tier of every pod of namespace ${tier.namespace}, on purpose (Tier.allPods)`);
    return tier;
  }

  /** Selector of the tier's pods. */
  public readonly selector: LabelSelector;
  /**
   * The rules of each direction, in the order first stated; made with the first of them, so that
   * a tier that is only a peer holds none (a large App keeps thousands of tiers alive).
   */
  private ingressGrants?: Grant[];
  private egressGrants?: Grant[];
  /** Where each grant of a long list sits, by direction, peer and ports; made once a list is long. */
  private grantIndex?: Map<string, number>;
  /** The directions of the tier's own statements: one of four shared arrays. */
  private ownDirections: readonly Direction[] = NO_DIRECTIONS;
  private readonly explicitIsolation: readonly Direction[];
  private ownNamespacePeer?: Peer;
  private appRegistry?: AppRegistry;

  constructor(scope: Construct, id: string, props: TierProps) {
    super(scope, id, tierProps(scope, id, props));
    const selector = deferErrors(this, props.workload && !props.pods ? 'workload' : 'pods', () => tierSelector(props));
    // an invalid selector is reported once; its stand-in takes part in no other check
    this.selector = selector ?? LabelSelector.all();
    this.explicitIsolation = props.isolate ? props.isolate.filter((d) => d === 'Ingress' || d === 'Egress') : NO_DIRECTIONS;
    for (const d of props.isolate ?? []) {
      if (d !== 'Ingress' && d !== 'Egress')
        this.node.addValidation({ validate: () => [`isolate: "${d}" is not a direction; use "Ingress" or "Egress" (case-sensitive)`] });
    }
    if (selector !== undefined) this.registry.registerTierSelector(this, this.namespace, this.selector.toString());
    this.registry.onIsolate(this.namespace, this, refreshTier);
    if (selector !== undefined && this.selector.isEmpty && this.explicitIsolation.length > 0)
      this.registry.isolate(this.namespace, this.explicitIsolation);
    this.refresh();
  }

  /** What the constructs of this App know of each other. */
  private get registry(): AppRegistry {
    return (this.appRegistry ??= AppRegistry.of(this));
  }

  /**
   * Allows traffic from `peer` to this tier's pods. When `peer` is a tier, its egress side is
   * written too.
   * @param ports none means every port and protocol
   */
  public allowFrom(peer: PeerLike, ...ports: Port[]): this {
    this.checkStatement('allowFrom', peer, ports);
    if (ExternalDatabase.isExternalDatabase(peer)) {
      throw NetpolError.about(
        this.node.path,
        'tier.database-ingress',
        `an ExternalDatabase (${peer.node.path}) is outside the cluster and has no pods ` +
          `to send from; use tier.allowTo(database) for traffic to it, or Peer.cidr(...) for traffic from its addresses`,
      );
    }
    this.grant(Direction.INGRESS, peer, ports, false);
    if (Tier.isTier(peer)) peer.grant(Direction.EGRESS, this, ports, true);
    return this;
  }

  /**
   * Allows traffic from this tier's pods to `peer`. When `peer` is a tier, its ingress side
   * is written too; for an `ExternalDatabase`, no ports means the database's ports.
   * @param ports none means every port and protocol (for a database: its own ports)
   */
  public allowTo(peer: PeerLike, ...ports: Port[]): this {
    this.checkStatement('allowTo', peer, ports);
    if (ExternalDatabase.isExternalDatabase(peer)) {
      const dbPorts = ports.length > 0 ? ports : peer.ports;
      for (const p of peer.peers) this.grant(Direction.EGRESS, p, dbPorts, false);
      return this;
    }
    this.grant(Direction.EGRESS, peer, ports, false);
    if (Tier.isTier(peer)) peer.grant(Direction.INGRESS, this, ports, true);
    return this;
  }

  /** Allows the tier's pods to talk to each other (ingress and egress within the tier). */
  public allowWithin(...ports: Port[]): this {
    this.checkPorts('allowWithin', ports);
    this.grant(Direction.INGRESS, this, ports, false);
    this.grant(Direction.EGRESS, this, ports, false);
    return this;
  }

  /** The directions the tier's policy covers. */
  public get isolatedDirections(): Direction[] {
    const out: Direction[] = [];
    // in sorted order: Egress before Ingress
    for (const d of [Direction.EGRESS, Direction.INGRESS]) if (this.isolates(d)) out.push(d);
    return out;
  }

  private isolates(d: Direction): boolean {
    return (
      this.ownDirections.includes(d) || this.explicitIsolation.includes(d) || this.registry.isIsolated(this.namespace, d, this.selector)
    );
  }

  /** The peer that selects this tier's pods, as seen from a policy in `fromNamespace`. */
  public peerFrom(fromNamespace: string): Peer {
    if (fromNamespace !== this.namespace) return Peer.podsInNamespace(this.namespace, this.selector);
    // peers are immutable: every policy of the namespace can share one
    return (this.ownNamespacePeer ??= Peer.pods(this.selector));
  }

  /**
   * The tier's policy: one rule per distinct port set, peers and ports in a stable order.
   * Undefined when the tier has nothing to render (no rule in an isolated direction).
   * TypeScript only, like `PolicyConstruct.toPolicy`.
   * @jsii ignore
   */
  public toPolicy(): Policy | undefined {
    if (!this.apiObject) return undefined;
    const types = this.isolatedDirections;
    const { labels, annotations } = this.metadata;
    // the name and namespace were checked when the tier was made (it has no object otherwise)
    return Policy.of(
      {
        name: this.policyName,
        namespace: this.namespace,
        podSelector: this.selector,
        policyTypes: types,
        ingress: types.includes(Direction.INGRESS) ? groupRules(this.ingressGrants) : [],
        egress: types.includes(Direction.EGRESS) ? groupRules(this.egressGrants) : [],
        labels,
        annotations,
      },
      { allowInvalidNames: true },
    );
  }

  /**
   * Refuses what a statement cannot render exactly: a peer that is not a Peer, a Tier or an
   * ExternalDatabase (a missing one would otherwise read as "every peer"), a construct of
   * another App, a port that is not a Port (a bare number would lose its protocol).
   */
  private checkStatement(call: string, peer: unknown, ports: readonly unknown[]): void {
    if (!Peer.isPeer(peer) && !Tier.isTier(peer) && !ExternalDatabase.isExternalDatabase(peer)) {
      refuse(call, 'peer', "a Peer (e.g. Peer.pods({ app: 'web' })), a Tier or an ExternalDatabase", peer, this.node.path);
    }
    if ((Tier.isTier(peer) || ExternalDatabase.isExternalDatabase(peer)) && peer.node.root !== this.node.root) {
      throw new NetpolError(
        [
          {
            code: 'argument',
            path: '',
            message:
              `${call}: peer: ${peer.node.path} belongs to another App; a statement can only name constructs of ` +
              `its own App, so create the peer in this App or use a Peer value`,
          },
        ],
        this.node.path,
      );
    }
    this.checkPorts(call, ports);
  }

  private checkPorts(call: string, ports: readonly unknown[]): void {
    ports.forEach((p, i) => {
      if (Port.isPort(p)) return;
      const example = typeof p === 'number' && Number.isInteger(p) ? `Port.tcp(${p})` : 'Port.tcp(443)';
      refuse(call, `ports[${i}]`, `a Port such as ${example}`, p, this.node.path);
    });
  }

  private grant(direction: Direction, peer: Peer | Tier, ports: readonly Port[], mirrored: boolean): void {
    // a tier with an invalid namespace cannot be a peer; its own validation reports it, with its path
    if (Tier.isTier(peer) && peer.hasInvalidName) return;
    const p = Tier.isTier(peer) ? peer.peerFrom(this.namespace) : peer;
    // `ports` is the caller's own rest array (never changed): one port needs no copy
    const sortedPorts = ports.length <= 1 ? ports : [...new Map(ports.map((x) => [String(x), x])).values()].sort(Port.compare);
    this.addGrant(direction, { peer: p, ports: sortedPorts, mirrored });
    if (!mirrored && !this.ownDirections.includes(direction)) {
      this.ownDirections = withDirection(this.ownDirections, direction);
      // a tier of every pod of its namespace isolates them all: other tiers' sides follow
      if (this.selector.isEmpty) this.registry.isolate(this.namespace, [direction]);
    }
    this.refresh();
  }

  /**
   * Records a grant; one with the same peer and ports as an earlier one is a no-op, except that
   * the tier's own statement takes the place of a mirrored one (where the first one stood).
   */
  private addGrant(direction: Direction, grant: Grant): void {
    const list = direction === Direction.INGRESS ? this.ingressGrants : this.egressGrants;
    if (list === undefined) {
      // made with its first element: an empty array grows to room for 17 on its first push
      if (direction === Direction.INGRESS) this.ingressGrants = [grant];
      else this.egressGrants = [grant];
      // the index, once made for the other direction's long list, covers this one too
      this.grantIndex?.set(grantKey(direction, grant), 0);
      return;
    }
    let at = -1;
    if (this.grantIndex !== undefined) {
      at = this.grantIndex.get(grantKey(direction, grant)) ?? -1;
    } else {
      for (let i = 0; i < list.length && at < 0; i++) if (sameGrant(list[i], grant)) at = i;
    }
    if (at >= 0) {
      if (list[at].mirrored && !grant.mirrored) list[at] = grant;
      return;
    }
    list.push(grant);
    if (this.grantIndex !== undefined) {
      this.grantIndex.set(grantKey(direction, grant), list.length - 1);
    } else if (list.length > LINEAR_GRANTS) {
      // a long list is searched through an index from now on (both directions)
      const index = new Map<string, number>();
      this.ingressGrants?.forEach((g, i) => index.set(grantKey(Direction.INGRESS, g), i));
      this.egressGrants?.forEach((g, i) => index.set(grantKey(Direction.EGRESS, g), i));
      this.grantIndex = index;
    }
  }

  /** True when the tier has a rule in direction `d` and its pods are isolated in `d`. */
  private hasRuleIn(d: Direction): boolean {
    const list = d === Direction.INGRESS ? this.ingressGrants : this.egressGrants;
    return list !== undefined && list.length > 0 && this.isolates(d);
  }

  /**
   * Creates the policy object once the tier has something to say: a rule in an isolated
   * direction, or an explicit `isolate`. A tier that is only ever a peer renders nothing.
   */
  private refresh(): void {
    if (this.apiObject) return;
    if (this.explicitIsolation.length > 0 || this.hasRuleIn(Direction.EGRESS) || this.hasRuleIn(Direction.INGRESS)) this.ensureObject();
  }
}

const BRAND = Symbol.for('cdk8s-netpol.Tier');
const NO_DIRECTIONS: readonly Direction[] = Object.freeze([]);
const ONLY_INGRESS: readonly Direction[] = Object.freeze([Direction.INGRESS]);
const ONLY_EGRESS: readonly Direction[] = Object.freeze([Direction.EGRESS]);
const BOTH_DIRECTIONS: readonly Direction[] = Object.freeze([Direction.INGRESS, Direction.EGRESS]);
/** Grants of one direction searched one by one before an index is made: most tiers have a few. */
const LINEAR_GRANTS = 8;
// on the prototype: defined once for every instance instead of on each one
addBrand(Tier.prototype, BRAND);

/** The props `PolicyConstruct` takes: a tier's, with the workload's namespace when none is given. */
function tierProps(scope: Construct, id: string, props: TierProps): TierProps {
  checkProps('Tier', props, false, constructPath(scope, id));
  if (props.namespace !== undefined || props.workload === undefined) return props;
  return { ...props, namespace: workloadNamespace(props.workload, constructPath(scope, id)) };
}

/**
 * What the registry calls when pods of a tier's namespace become isolated: one function for
 * every tier, where a closure made in the constructor would hold its props for the life of the App.
 */
function refreshTier(tier: Tier): void {
  tier['refresh']();
}

/** `directions` with `d` added: shared arrays, so that a tier holds no array of its own. */
function withDirection(directions: readonly Direction[], d: Direction): readonly Direction[] {
  if (directions.length === 0) return d === Direction.INGRESS ? ONLY_INGRESS : ONLY_EGRESS;
  return directions.includes(d) ? directions : BOTH_DIRECTIONS;
}

/** True when two grants allow the same peer on the same (sorted, distinct) ports. */
function sameGrant(a: Grant, b: Grant): boolean {
  if (a.ports.length !== b.ports.length) return false;
  for (let i = 0; i < a.ports.length; i++) {
    if (a.ports[i] !== b.ports[i] && String(a.ports[i]) !== String(b.ports[i])) return false;
  }
  return a.peer === b.peer || a.peer.key === b.peer.key;
}

/** What `sameGrant` compares, as one string, with the direction: the key of the grant index. */
function grantKey(d: Direction, g: Grant): string {
  return `${d}#${g.peer.key}#${g.ports.map(String).join(',')}`;
}

/** The rules of a direction's grants: one per distinct port set, in the order of the port sets' text. */
function groupRules(grants: readonly Grant[] | undefined): Rule[] {
  if (grants === undefined || grants.length === 0) return [];
  if (grants.length === 1) return [Rule.of([grants[0].peer], grants[0].ports).sorted()];
  const byPorts = new Map<string, { ports: readonly Port[]; peers: Peer[] }>();
  for (const g of grants) {
    const k = g.ports.map(String).join(',');
    let group = byPorts.get(k);
    if (!group) byPorts.set(k, (group = { ports: g.ports, peers: [] }));
    group.peers.push(g.peer);
  }
  return [...byPorts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => Rule.of(g.peers, g.ports).sorted());
}

function tierSelector(props: TierProps): LabelSelector {
  if (props.pods !== undefined && props.workload !== undefined) {
    throw NetpolError.ofValue('tier.selector', 'give either `pods` or `workload`, not both');
  }
  if (props.pods !== undefined) return props.pods instanceof LabelSelector ? props.pods : LabelSelector.of(props.pods);
  if (props.workload !== undefined) {
    const k = workloadSelector(props.workload);
    return LabelSelector.of(k.matchLabels ?? {}, (k.matchExpressions ?? []) as SelectorExpression[]);
  }
  throw NetpolError.ofValue('tier.selector', 'a tier needs `pods` (labels of its pods, e.g. { app: "web" }) or a cdk8s-plus `workload`');
}

/** What cdk8s-plus workloads and pods of every version have: a pod selector, and metadata with a namespace. */
interface PlusWorkload {
  toPodSelectorConfig(): { labelSelector?: { _toKube?(): KubeSelector } };
  readonly metadata?: { readonly namespace?: unknown };
}

/** A label selector in the Kubernetes JSON form. */
interface KubeSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

/** True for a construct with the pod selector of a cdk8s-plus workload or pod. */
function isPlusWorkload(x: unknown): x is PlusWorkload {
  return typeof x === 'object' && x !== null && typeof (x as PlusWorkload).toPodSelectorConfig === 'function';
}

/**
 * The namespace of a workload, if it sets one (else the tier's default applies). Refuses, at
 * `where`, a value that is not a workload: any construct passes the type.
 */
function workloadNamespace(workload: unknown, where: string): string | undefined {
  if (workload === undefined) return undefined;
  if (!isPlusWorkload(workload)) {
    refuse(
      'Tier',
      'workload',
      'a cdk8s-plus workload or pod such as a Deployment (a construct with toPodSelectorConfig())',
      workload,
      where,
    );
  }
  const ns = workload.metadata?.namespace;
  return typeof ns === 'string' ? ns : undefined;
}

/** The pod selector of a cdk8s-plus workload, as cdk8s-plus renders it. */
function workloadSelector(workload: IConstruct): KubeSelector {
  // a value that is no workload at all was refused before the tier was made
  const selector = isPlusWorkload(workload) ? workload.toPodSelectorConfig().labelSelector : undefined;
  if (typeof selector?._toKube !== 'function') {
    throw NetpolError.ofValue(
      'tier.workload',
      "the workload's pod selector cannot be read (its toPodSelectorConfig() returns no cdk8s-plus " +
        'LabelSelector); give the tier `pods` with the labels of its pods instead',
    );
  }
  return selector._toKube();
}

/** The path a construct will have, for errors found before it exists. */
function constructPath(scope: Construct, id: string): string {
  return scope.node.path ? `${scope.node.path}/${id}` : id;
}
