/**
 * What the jest matchers evaluate: the policies of a cdk8s App (read from the construct tree,
 * no YAML round trip) or of manifests, the picture of the cluster they act on (what the App,
 * the manifests and any cluster folders make known, and groups made up for what the policies
 * select beyond it), and the analysis of what they allow, in three values. Also the names that
 * flow assertions use for the groups.
 */
import { Construct, IConstruct } from 'constructs';
import { analyze, Analysis } from '../analysis/analysis';
import { clusterPicture, NamedGroup, OTHER_NAMESPACES } from '../analysis/picture';
import { constructModel } from '../constructs/inspect';
import { PolicyConstruct } from '../constructs/policy-construct';
import { appCluster } from '../io/app-objects';
import { readCluster, readManifests } from '../io/manifests';
import { AddressRange } from '../model/address-range';
import { AddressSet } from '../model/address-set';
import { Cidr } from '../model/cidr';
import { Cluster, Namespace, Workload } from '../model/cluster';
import { DomainName } from '../model/domain-name';
import { ClusterPolicy } from '../model/cluster-policy';
import { NetpolError } from '../model/errors';
import { IpBlockPods, PodAddressing } from '../model/peer';
import { Policy } from '../model/policy';
import { describeValue } from '../model/describe';
import { compareStrings } from '../model/order';
import { LabelSelector } from '../model/selector';
import { validateApp } from '../render/synth';
import { compareFlows, FlowComparison, printAllowedFlows } from './flows';
import { ALL_NAME, OUTSIDE_NAME } from './private/names';
import { addBrand, hasBrand } from '../model/brand';

/**
 * What `modelOf` reads: a cdk8s construct (an App, a Chart, any construct of an App), a path
 * to a manifest file or folder, a list of paths, or a model already built.
 */
export type ModelTarget = IConstruct | string | readonly string[] | FlowModel;

/** Options of `modelOf`. */
export interface ModelOptions {
  /**
   * Manifests of Namespaces and workloads known beside the target (files or folders): their
   * labels and container ports are used, e.g. the Deployments of a chart whose tiers select
   * them, so that named ports resolve.
   * @default - none
   */
  readonly cluster?: string | readonly string[];
  /**
   * True if the workloads known (the App's, the manifests', `cluster`'s) are every pod there is,
   * and a namespace without a Namespace object carries only its name label. Then no group is
   * made up for what they do not cover.
   * @default false
   */
  readonly complete?: boolean;
  /**
   * The ranges pod IPs are taken from (`10.244.0.0/16`): an ipBlock that holds all of them
   * matches every pod, one that holds none of them no pod.
   * @default - unknown: an ipBlock may match a pod whose IP is unknown, so such flows depend on it
   */
  readonly podCidrs?: readonly string[];
  /**
   * Whether ipBlocks match pods by their IPs (`match`, as Kubernetes' conformance tests expect)
   * or never (`ignore`, as some network plugins do).
   * @default 'match'
   */
  readonly ipBlockPods?: IpBlockPods;
  /**
   * The namespaces whose flows are under test (see `FlowModel.namespaces`).
   * @default - those of the target's policies
   */
  readonly namespaces?: readonly string[];
}

/** A group of pods that the analysis treats alike: a tier, the DNS, a workload, the other pods. */
export interface PodGroup {
  /**
   * How flows name the group: its bare name (a workload, tier or policy name) when that is
   * unique and the group is in a namespace under test, else `namespace/name`.
   */
  readonly name: string;
  /** `namespace/name` (`namespace/name[Kind]` when two workloads share a name). */
  readonly id: string;
  /** The namespace of the group's pods. */
  readonly namespace: string;
  /** The workload the analysis uses for the group. */
  readonly workload: Workload;
  /** True if the group lies in a namespace under test. */
  readonly underTest: boolean;
}

/** What an endpoint name of a flow assertion stands for. */
export interface EndpointSet {
  /** The name as written. */
  readonly text: string;
  /** The pod groups it names. */
  readonly groups: readonly PodGroup[];
  /** The addresses outside the cluster it names, as sorted disjoint ranges. */
  readonly addresses: readonly AddressRange[];
  /**
   * The domain names it names (lower case, without a trailing dot): the one a domain name
   * stands for, or, for `outside`, those the model lists flows to (`FlowModel.domains`).
   * A domain name is a destination only.
   */
  readonly domains: readonly string[];
}

const MODEL_BRAND = Symbol.for('cdk8s-netpol.FlowModel');
const SIMPLE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** A name that stands for the pods a selector selects in a namespace: a tier id, a policy name. */
interface Alias {
  readonly id: string;
  readonly namespace: string;
  readonly selector: LabelSelector;
}

interface FlowModelProps {
  readonly source: string;
  readonly policies: readonly Policy[];
  readonly clusterPolicies: readonly ClusterPolicy[];
  readonly cluster: Cluster;
  readonly namespaces: readonly string[];
  readonly aliases: readonly Alias[];
  readonly addressing: PodAddressing;
}

/**
 * The policies under test, the pod groups they act on and what they allow between them.
 * Build it with `modelOf`; the jest matchers build one for each assertion, so build it once
 * yourself to run many checks on a large folder.
 *
 * Names of endpoints (in `resolve`, flow statements and the matchers): a workload, tier or
 * policy name (`web`) or another unique group name; `namespace/name` (`kube-system/kube-dns`,
 * `default/(others)`); `namespace/*`, every group of a namespace; `*`, every pod group;
 * `outside`, everything outside the namespaces under test (the pods of every other namespace,
 * and every address); an IP address (`10.1.2.3`), a CIDR (`0.0.0.0/0`), a CIDR with excepts
 * (`172.17.0.0/16 except 172.17.1.0/24`) or a range (`10.0.0.5-10.0.0.9`), which stand for
 * every address they hold. A tier (or policy) name stands for the groups its selector selects:
 * `namespace/*` for a selector of every pod, all of its groups where it names several values
 * (`tier in (web,api)`: `shop/frontend (tier=web)`, `shop/frontend (tier=api)`). A domain name
 * (`api.stripe.com`, two or more labels) is a destination of its own, which only the
 * `domainNames` peers of ClusterNetworkPolicies match; it is never a source. `outside` holds
 * the domain names of `domains` as destinations.
 */
export class FlowModel {
  /** Brand check that works across copies of the library. */
  public static isFlowModel(x: unknown): x is FlowModel {
    return hasBrand(x, MODEL_BRAND);
  }

  /** @internal the factory behind `modelOf` */
  public static create(props: FlowModelProps): FlowModel {
    return new FlowModel(props);
  }

  /** Where the policies came from: a construct path, or the manifest paths. */
  public readonly source: string;
  /** Every policy analysed (the whole App's, for a construct). */
  public readonly policies: readonly Policy[];
  /** Every ClusterNetworkPolicy analysed with them (the whole App's, for a construct). */
  public readonly clusterPolicies: readonly ClusterPolicy[];
  /** The picture of the cluster analysed (`clusterPicture`). */
  public readonly cluster: Cluster;
  /** True if some pod groups were made up from the policies (the picture is not complete). */
  public readonly inferred: boolean;
  /**
   * The namespaces under test, sorted: those of the target's policies (the chart's own, for a
   * construct), unless `ModelOptions.namespaces` names others.
   */
  public readonly namespaces: readonly string[];
  /** What the policies allow, in three values. */
  public readonly analysis: Analysis;
  /** Every pod group, in the cluster's order. */
  public readonly groups: readonly PodGroup[];
  /**
   * Names that stand for several groups and read back as exactly them: a tier (or policy) whose
   * selector selects several groups of its namespace, but not all, by its name (or `namespace/name`).
   */
  public readonly aliases: ReadonlyArray<{ readonly name: string; readonly groups: readonly PodGroup[] }>;
  /**
   * The domain names that flows are listed to, sorted: every exact name of the
   * ClusterNetworkPolicies' egress `domainNames` peers (lower case, without a trailing dot). A
   * `*.` name matches names without end, so it adds none; a statement or a matcher may name
   * any domain name.
   */
  public readonly domains: readonly string[];
  private readonly named: readonly Alias[];
  private readonly byId = new Map<string, PodGroup[]>();

  private constructor(props: FlowModelProps) {
    addBrand(this, MODEL_BRAND);
    this.source = props.source;
    this.policies = props.policies;
    this.clusterPolicies = props.clusterPolicies;
    this.cluster = props.cluster;
    this.inferred = props.cluster.complete !== true;
    this.namespaces = [...new Set(props.namespaces)].sort(compareStrings);
    this.named = props.aliases;
    this.domains = mentionedDomains(props.clusterPolicies);
    this.analysis = analyze(props.policies, props.cluster, { ...props.addressing, clusterPolicies: props.clusterPolicies });
    const underTest = new Set(this.namespaces);
    const nameCount = new Map<string, number>();
    for (const w of props.cluster.workloads) nameCount.set(w.name, (nameCount.get(w.name) ?? 0) + 1);
    const byId = props.cluster.workloads.map((workload) => {
      const id = this.analysis.nameOf({ type: 'workload', workload });
      return { name: id, id, namespace: workload.namespace, workload, underTest: underTest.has(workload.namespace) };
    });
    this.groups = byId;
    // A group goes by its bare name when that name reads back as the group and nothing else.
    this.groups = byId.map((g) => {
      const n = g.workload.name;
      const bare = g.underTest && nameCount.get(n) === 1 && SIMPLE_NAME.test(n) && n !== OUTSIDE_NAME && !AddressSet.looksLikeAddresses(n);
      if (!bare) return g;
      let alias: PodGroup[] | undefined;
      try {
        alias = this.aliasGroups(n);
      } catch {
        return g; // aliases of one name in different places: the name is ambiguous
      }
      return alias === undefined || (alias.length === 1 && alias[0] === g) ? { ...g, name: n } : g;
    });
    for (const g of this.groups) {
      for (const key of new Set([g.id, `${g.namespace}/${g.workload.name}`])) {
        const list = this.byId.get(key);
        if (list) list.push(g);
        else this.byId.set(key, [g]);
      }
    }
    const aliases: Array<{ name: string; groups: readonly PodGroup[] }> = [];
    for (const t of this.named) {
      for (const name of [t.id, `${t.namespace}/${t.id}`]) {
        let found: EndpointSet | undefined;
        try {
          found = this.lookup(name);
        } catch {
          continue; // ambiguous: try the longer name
        }
        if (
          found &&
          found.groups.length > 1 &&
          found.groups.every((g) => g.namespace === t.namespace) &&
          found.groups.length < this.groups.filter((g) => g.namespace === t.namespace).length
        ) {
          if (!aliases.some((a) => a.name === name)) aliases.push({ name, groups: found.groups });
        }
        if (found) break;
      }
    }
    this.aliases = aliases;
  }

  /**
   * What an endpoint name stands for (see the class for the names). Throws `NetpolError` for
   * an unknown or ambiguous name, listing the names it knows.
   */
  public resolve(name: string): EndpointSet {
    const found = this.lookup(name);
    if (found) return found;
    const known = this.groups.map((g) => g.name);
    const shown = known.slice(0, 20).join(', ') + (known.length > 20 ? ', …' : '');
    throw NetpolError.ofValue(
      'flow.endpoint',
      `no pod group "${name.trim()}"; name a tier or group (${shown}), a namespace's groups as ` +
        `"namespace/*", "*" for every group, "outside", or an IP address or CIDR`,
    );
  }

  /**
   * The allowed flows between the groups (and the addresses outside the cluster) as flow
   * statements, at least one end in a namespace under test: what `toAllowExactly` expects.
   * Flows that depend on something unknown are statements too: with the port names they depend
   * on (`TCP metrics`) or the condition (`TCP 8080 if source IP in 10.0.0.0/8`).
   *
   * @example
   * modelOf(chart).flows(); // ['wordpress -> mysql TCP 3306', 'wordpress -> wordpress TCP 80,443', ...]
   */
  public flows(): string[] {
    return printAllowedFlows(this);
  }

  /**
   * Compares the allowed flows with a list of flow statements (`'<from> -> <to> <connections>'`),
   * as `toAllowExactly` does. Throws `NetpolError` for statements that cannot be read.
   */
  public compare(expected: readonly string[]): FlowComparison {
    return compareFlows(this, expected);
  }

  /** The same model with other namespaces under test. */
  public scopedTo(namespaces: readonly string[]): FlowModel {
    checkScope(this, namespaces);
    return FlowModel.create({
      source: this.source,
      policies: this.policies,
      clusterPolicies: this.clusterPolicies,
      cluster: this.cluster,
      namespaces,
      aliases: this.named,
      addressing: this.analysis.addressing,
    });
  }

  /** Like `resolve`, but undefined for an unknown name (still throws for an ambiguous one). */
  public lookup(name: string): EndpointSet | undefined {
    const text = name.trim().replace(/\s+/g, ' ');
    const set = (groups: readonly PodGroup[], addresses: readonly AddressRange[] = [], domains: readonly string[] = []): EndpointSet => ({
      text,
      groups,
      addresses,
      domains,
    });
    if (text === ALL_NAME) return set(this.groups);
    if (text === OUTSIDE_NAME)
      return set(
        this.groups.filter((g) => !g.underTest),
        [AddressRange.whole(4), AddressRange.whole(6)],
        this.domains,
      );
    const byId = this.byId.get(text);
    if (byId && byId.length === 1) return set(byId);
    if (byId && byId.length > 1)
      throw ambiguous(
        text,
        byId.map((g) => g.id),
      );
    const wildcard = /^(.+)\/\*$/.exec(text);
    if (wildcard) {
      const groups = this.groups.filter((g) => g.namespace === wildcard[1]);
      if (groups.length > 0) return set(groups);
      const namespaces = [...new Set(this.groups.map((g) => g.namespace))].join(', ');
      throw NetpolError.ofValue('flow.endpoint', `no namespace "${wildcard[1]}" in "${text}"; the namespaces are ${namespaces}`);
    }
    const aliasGroups = this.aliasGroups(text);
    if (aliasGroups) return set(aliasGroups);
    const byName = this.groups.filter((g) => g.workload.name === text);
    if (byName.length === 1) return set(byName);
    if (byName.length > 1)
      throw ambiguous(
        text,
        byName.map((g) => g.id),
      );
    const owned = this.groups.filter((g) => g.workload.owner?.name === text || `${g.namespace}/${g.workload.owner?.name}` === text);
    if (owned.length > 0) return set(owned);
    if (AddressSet.looksLikeAddresses(text)) return set([], AddressSet.parse(text).intervals);
    const domain = domainOf(text);
    return domain === undefined ? undefined : set([], [], [domain]);
  }

  /**
   * The groups of the tiers (or policies) of this name (or `namespace/name`): those whose pods
   * the selector selects; undefined if no tier or policy has it.
   */
  private aliasGroups(text: string): PodGroup[] | undefined {
    const named = this.named.filter((t) => t.id === text || `${t.namespace}/${t.id}` === text);
    if (named.length === 0) return undefined;
    const sets = named.map((t) => this.groups.filter((g) => g.namespace === t.namespace && t.selector.matches(g.workload.labels)));
    const keys = new Set(sets.map((set) => set.map((g) => g.id).join('\u0000')));
    if (keys.size > 1) throw ambiguous(text, [...new Set(sets.map((set) => (set.length === 1 ? set[0].id : `${set[0]?.namespace}/*`)))]);
    return sets[0].length > 0 ? sets[0] : undefined;
  }
}

/**
 * The domain name `text` names (lower case, without a trailing dot), or undefined if it is not
 * one (a domain name has a dot). Throws for a `*.` name, which stands for names without end.
 */
function domainOf(text: string): string | undefined {
  if (!text.includes('.') || /[\s/]/.test(text)) return undefined;
  let name: DomainName;
  try {
    name = DomainName.of(text);
  } catch {
    return undefined;
  }
  if (name.wildcard) {
    throw NetpolError.ofValue(
      'flow.endpoint',
      `"${text}" stands for every name under ${name.base}; name one of them, e.g. "api.${name.base}"`,
    );
  }
  return name.key;
}

/** The exact names of the egress `domainNames` peers, sorted. */
function mentionedDomains(policies: readonly ClusterPolicy[]): string[] {
  const names = policies.flatMap((p) => p.egress.flatMap((r) => r.peers.flatMap((peer) => peer.domains)));
  return [...new Set(names.filter((d) => !d.wildcard).map((d) => d.key))].sort(compareStrings);
}

function ambiguous(text: string, options: readonly string[]): NetpolError {
  return NetpolError.ofValue('flow.endpoint', `"${text}" is ambiguous: it names ${options.join(' and ')}; write one of those`);
}

/**
 * The model of a cdk8s App, a folder of manifests or a list of files, for flow assertions.
 *
 * - A construct: the policies of its whole App (isolation is namespace-wide, so other charts
 *   count), read from the construct tree, and the Namespaces and workloads the App defines
 *   (cdk8s-plus workloads, Deployment/StatefulSet/Pod ApiObjects), with their container ports.
 *   The namespaces under test are those of the policy constructs under the target. Throws
 *   `NetpolError` if the App does not validate (what synth would refuse).
 * - Paths: the NetworkPolicies, Namespaces and workloads of the manifests (`readManifests`).
 *   The namespaces under test are those of the policies.
 *
 * In both, `options.cluster` adds manifests of Namespaces and workloads known beside the
 * target. Unless `options.complete` says they are the whole cluster, the picture adds groups
 * for what the policies select and nothing known covers (named after the tier or policy, their
 * container ports unknown), the other pods of every namespace and the other namespaces
 * (`clusterPicture`).
 *
 * @example
 * const model = modelOf(chart, { cluster: ['k8s/workloads/'] });
 * model.flows();                                   // what toAllowExactly compares
 * model.analysis.explain('default/wordpress', 'default/mysql', 3306).format();
 */
export function modelOf(target: ModelTarget, options: ModelOptions = {}): FlowModel {
  if (FlowModel.isFlowModel(target)) return options.namespaces ? target.scopedTo(options.namespaces) : target;
  if (typeof target === 'string' || (Array.isArray(target) && target.every((t) => typeof t === 'string'))) {
    return checkScope(fromManifests(typeof target === 'string' ? [target] : (target as readonly string[]), options), options.namespaces);
  }
  if (Construct.isConstruct(target)) return checkScope(fromConstruct(target, options), options.namespaces);
  throw NetpolError.ofValue(
    'flow.target',
    `expected a cdk8s construct (an App or a Chart), a manifest path or a list of paths, got ${describeValue(target)}`,
  );
}

/** The model, if every namespace named to be under test has pod groups; else throws naming those that have none. */
function checkScope(model: FlowModel, namespaces: readonly string[] | undefined): FlowModel {
  if (namespaces === undefined) return model;
  const known = [...new Set(model.groups.map((g) => g.namespace))].filter((n) => n !== OTHER_NAMESPACES).sort(compareStrings);
  const missing = namespaces.filter((n) => !known.includes(n));
  if (missing.length > 0) {
    throw NetpolError.of(
      'flow.namespaces',
      'namespaces',
      `no pod group in namespace${missing.length === 1 ? '' : 's'} ${missing.map((n) => `"${n}"`).join(', ')}; the namespaces are ${known.join(', ')}`,
    );
  }
  return model;
}

/** The known cluster: what the target holds and the `cluster` manifests, the first definition of a name winning. */
function knownCluster(own: Cluster, options: ModelOptions): Cluster {
  const paths = options.cluster === undefined ? [] : typeof options.cluster === 'string' ? [options.cluster] : options.cluster;
  const extra = paths.length > 0 ? readCluster(paths).cluster : { namespaces: [], workloads: [] };
  const namespaces = new Map<string, Namespace>();
  for (const ns of [...own.namespaces, ...extra.namespaces]) if (!namespaces.has(ns.name)) namespaces.set(ns.name, ns);
  const workloads = new Map<string, Workload>();
  for (const w of [...own.workloads, ...extra.workloads]) {
    const key = `${w.namespace}/${w.name}[${w.kind}]`;
    if (!workloads.has(key)) workloads.set(key, w);
  }
  return { namespaces: [...namespaces.values()], workloads: [...workloads.values()], complete: options.complete === true };
}

function addressing(options: ModelOptions): PodAddressing {
  const podCidrs = (options.podCidrs ?? []).map((c, i) => {
    try {
      return Cidr.parse(c);
    } catch (e) {
      throw NetpolError.isNetpolError(e) ? e.under(`podCidrs[${i}]`) : e;
    }
  });
  return { ipBlockPods: options.ipBlockPods ?? 'match', ...(podCidrs.length > 0 ? { podCidrs } : {}) };
}

function fromConstruct(target: IConstruct, options: ModelOptions): FlowModel {
  const root = target.node.root;
  const errors = validateApp(root);
  if (errors.length > 0) {
    throw new NetpolError(
      errors.map((e) => ({ code: 'flow.invalid-app', path: '', message: e })),
      `the App of ${target.node.path || 'the root'} does not validate; fix it first`,
    );
  }
  const { policies, clusterPolicies, tiers, dns } = constructModel(target);
  const named: NamedGroup[] = [
    ...tiers.map((t) => ({ namespace: t.namespace, selector: t.selector, name: t.policyName, kind: 'Tier' })),
    ...dns.map((d) => ({
      namespace: d.dns.namespace,
      selector: LabelSelector.of(d.dns.pods),
      name: 'kube-dns',
      kind: 'DNS',
      namespaceLabels: d.dns.namespaceLabels,
    })),
  ];
  const namespaces = target.node
    .findAll()
    .filter((c): c is PolicyConstruct => c instanceof PolicyConstruct)
    .map((c) => c.namespace);
  const where = target.node.path || 'the App';
  if (namespaces.length === 0) {
    throw NetpolError.ofValue('flow.empty', `${where} holds no policy construct (Tier, DefaultDeny, AllowDns); there is nothing to test`);
  }
  const how = addressing(options);
  return FlowModel.create({
    source: where,
    policies,
    clusterPolicies,
    cluster: clusterPicture(policies, { known: knownCluster(appCluster(target), options), named, clusterPolicies, ...pods(how) }),
    namespaces: options.namespaces ?? namespaces,
    aliases: [
      ...tiers.map((t) => ({ id: t.node.id, namespace: t.namespace, selector: t.selector })),
      ...policies.map((p) => ({ id: p.name, namespace: p.namespace, selector: p.podSelector })),
    ],
    addressing: how,
  });
}

function fromManifests(paths: readonly string[], options: ModelOptions): FlowModel {
  const { policies, clusterPolicies, cluster } = readManifests(paths);
  const where = paths.join(', ');
  if (policies.length === 0) {
    throw NetpolError.ofValue('flow.empty', `${where} holds no NetworkPolicy; there is nothing to test`);
  }
  const how = addressing(options);
  return FlowModel.create({
    source: where,
    policies,
    clusterPolicies,
    cluster: clusterPicture(policies, { known: knownCluster(cluster, options), clusterPolicies, ...pods(how) }),
    namespaces: options.namespaces ?? policies.map((p) => p.namespace),
    aliases: policies.map((p) => ({ id: p.name, namespace: p.namespace, selector: p.podSelector })),
    addressing: how,
  });
}

function pods(how: PodAddressing): { podCidrs?: readonly Cidr[] } {
  return how.podCidrs ? { podCidrs: how.podCidrs } : {};
}
