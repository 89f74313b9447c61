/**
 * What the jest matchers evaluate: the policies of a cdk8s App (read from the construct tree,
 * no YAML round trip) or of a folder of manifests, the pod groups they talk about, and the
 * analysis of what they allow. Also the names that flow assertions use for those groups.
 */
import { Construct, IConstruct } from 'constructs';
import { AddressRange } from '../model/address-range';
import { analyze, Analysis } from '../analysis/analysis';
import { inferCluster, NamedGroup } from '../analysis/picture';
import { constructModel } from '../constructs/inspect';
import { PolicyConstruct } from '../constructs/policy-construct';
import { readManifests } from '../io/manifests';
import { AddressSet } from '../model/address-set';
import { Cluster, Workload } from '../model/cluster';
import { NetpolError } from '../model/errors';
import { Policy } from '../model/policy';
import { compareStrings } from '../model/rule';
import { LabelSelector, Labels, selectorCases } from '../model/selector';
import { validateApp } from '../render/synth';
import { compareFlows, FlowComparison, printAllowedFlows } from './flows';
import { ALL_NAME, OUTSIDE_NAME } from './private/names';

/**
 * What `modelOf` reads: a cdk8s construct (an App, a Chart, any construct of an App), a path
 * to a manifest file or folder, a list of paths, or a model already built.
 */
export type ModelTarget = IConstruct | string | readonly string[] | FlowModel;

/** A group of pods that the analysis treats alike: a tier, the DNS, a workload, the other pods. */
export interface PodGroup {
  /**
   * How flows name the group: its bare name (a tier id, a workload or policy name) when that
   * is unique and the group is in a namespace under test, else `namespace/name`.
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
}

const MODEL_BRAND = Symbol.for('cdk8s-netpol.FlowModel');
const SIMPLE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

interface FlowModelProps {
  readonly source: string;
  readonly policies: readonly Policy[];
  readonly cluster: Cluster;
  readonly inferred: boolean;
  readonly namespaces: readonly string[];
  readonly tiers: ReadonlyArray<{ readonly id: string; readonly namespace: string; readonly selector: LabelSelector }>;
}

/**
 * The policies under test, the pod groups they talk about and what they allow between them.
 * Build it with `modelOf`; the jest matchers build one for each assertion, so build it once
 * yourself to run many checks on a large folder.
 *
 * Names of endpoints (in `resolve`, flow statements and the matchers): a tier id (`web`) or
 * another unique group name; `namespace/name` (`kube-system/kube-dns`,
 * `default/(others)`); `namespace/*`, every group of a namespace; `*`, every pod group;
 * `outside`, everything outside the namespaces under test (the pods of every other namespace,
 * and every address); an
 * IP address (`10.1.2.3`), a CIDR (`0.0.0.0/0`), a CIDR with excepts
 * (`172.17.0.0/16 except 172.17.1.0/24`) or a range (`10.0.0.5-10.0.0.9`), which stand for
 * every address they hold. A tier that selects every pod of its namespace stands for
 * `namespace/*`; a tier whose selector names several values (`tier in (web,api)`) stands for
 * all of its groups (`shop/frontend (tier=web)`, `shop/frontend (tier=api)`).
 */
export class FlowModel {
  /** Brand check that works across copies of the library. */
  public static isFlowModel(x: unknown): x is FlowModel {
    return typeof x === 'object' && x !== null && (x as any)[MODEL_BRAND] === true;
  }

  /** Where the policies came from: a construct path, or the manifest paths. */
  public readonly source: string;
  /** Every policy analysed (the whole App's, for a construct). */
  public readonly policies: readonly Policy[];
  /** The cluster analysed: read from the manifests, or inferred from the policies. */
  public readonly cluster: Cluster;
  /** True if the pod groups were inferred from the policies (no workloads were given). */
  public readonly inferred: boolean;
  /** The namespaces under test, sorted: those of the target's policies (and workloads). */
  public readonly namespaces: readonly string[];
  /** What the policies allow. */
  public readonly analysis: Analysis;
  /** Every pod group, in the cluster's order. */
  public readonly groups: readonly PodGroup[];
  /**
   * Names that stand for several groups and read back as exactly them: a tier whose selector
   * names several values (`tier in (web,api)`) by its id (or `namespace/id`).
   */
  public readonly aliases: ReadonlyArray<{ readonly name: string; readonly groups: readonly PodGroup[] }>;
  private readonly tiers: FlowModelProps['tiers'];
  private readonly byId = new Map<string, PodGroup[]>();

  private constructor(props: FlowModelProps) {
    Object.defineProperty(this, MODEL_BRAND, { value: true });
    this.source = props.source;
    this.policies = props.policies;
    this.cluster = props.cluster;
    this.inferred = props.inferred;
    this.namespaces = [...new Set(props.namespaces)].sort(compareStrings);
    this.tiers = props.tiers;
    this.analysis = analyze(props.policies, props.cluster);
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
      let tier: PodGroup[] | undefined;
      try {
        tier = this.tierGroups(n);
      } catch {
        return g; // tiers of one id in different places: the name is ambiguous
      }
      return tier === undefined || (tier.length === 1 && tier[0] === g) ? { ...g, name: n } : g;
    });
    for (const g of this.groups) {
      for (const key of new Set([g.id, `${g.namespace}/${g.workload.name}`])) {
        const list = this.byId.get(key);
        if (list) list.push(g);
        else this.byId.set(key, [g]);
      }
    }
    const aliases: Array<{ name: string; groups: readonly PodGroup[] }> = [];
    for (const t of this.tiers) {
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
    throw NetpolError.of(
      'flow.endpoint',
      '',
      `no pod group "${name.trim()}"; name a tier or group (${shown}), a namespace's groups as "namespace/*", "*" for every group, "outside", or an IP address or CIDR`,
    );
  }

  /**
   * The allowed flows between the groups (and the addresses outside the cluster) as flow
   * statements, at least one end in a namespace under test: what `toAllowExactly` expects.
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

  /** Like `resolve`, but undefined for an unknown name (still throws for an ambiguous one). */
  public lookup(name: string): EndpointSet | undefined {
    const text = name.trim().replace(/\s+/g, ' ');
    const set = (groups: readonly PodGroup[], addresses: readonly AddressRange[] = []): EndpointSet => ({ text, groups, addresses });
    if (text === ALL_NAME) return set(this.groups);
    if (text === OUTSIDE_NAME)
      return set(
        this.groups.filter((g) => !g.underTest),
        [AddressRange.whole(4), AddressRange.whole(6)],
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
      throw NetpolError.of('flow.endpoint', '', `no namespace "${wildcard[1]}" in "${text}"; the namespaces are ${namespaces}`);
    }
    const tierGroups = this.tierGroups(text);
    if (tierGroups) return set(tierGroups);
    const byName = this.groups.filter((g) => g.workload.name === text);
    if (byName.length === 1) return set(byName);
    if (byName.length > 1)
      throw ambiguous(
        text,
        byName.map((g) => g.id),
      );
    if (!AddressSet.looksLikeAddresses(text)) return undefined;
    return set([], AddressSet.parse(text).intervals);
  }

  /** The groups of the tiers with this id (or `namespace/id`), or undefined if no tier has it. */
  private tierGroups(text: string): PodGroup[] | undefined {
    const tiers = this.tiers.filter((t) => t.id === text || `${t.namespace}/${t.id}` === text);
    if (tiers.length === 0) return undefined;
    const groupsOf = (t: FlowModelProps['tiers'][number]): PodGroup[] => {
      // One group per label set the selector matches (several for `In` with several values).
      const sets = selectorCases(t.selector)
        .filter((c) => c.matches)
        .map((c) => c.labels);
      if (sets.length === 0 || sets.some((labels) => Object.keys(labels).length === 0))
        return this.groups.filter((g) => g.namespace === t.namespace);
      return this.groups.filter((g) => g.namespace === t.namespace && sets.some((labels) => sameLabels(g.workload.labels, labels)));
    };
    const sets = tiers.map(groupsOf);
    const keys = new Set(sets.map((set) => set.map((g) => g.id).join('\u0000')));
    if (keys.size > 1) throw ambiguous(text, [...new Set(sets.map((set) => (set.length === 1 ? set[0].id : `${set[0]?.namespace}/*`)))]);
    return sets[0];
  }
}

function ambiguous(text: string, options: readonly string[]): NetpolError {
  return NetpolError.of('flow.endpoint', '', `"${text}" is ambiguous: it names ${options.join(' and ')}; write one of those`);
}

function sameLabels(a: Labels, b: Labels): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/**
 * The model of a cdk8s App, a folder of manifests or a list of files, for flow assertions.
 *
 * - A construct: the policies of its whole App (isolation is namespace-wide, so other charts
 *   count), read from the construct tree. The namespaces under test are those of the policy
 *   constructs under the target. Pod groups are inferred from the policies (`inferCluster`):
 *   each tier is named by its construct id, each `AllowDns`'s DNS pods are `kube-dns` in the
 *   DNS namespace. Throws `NetpolError` if the App does not validate (what synth would refuse).
 * - Paths: the NetworkPolicies and workloads of the manifests (`readManifests`). Without any
 *   workload, the pod groups are inferred from the policies. The namespaces under test are
 *   those of the policies and workloads.
 *
 * @example
 * const model = modelOf(chart);
 * model.flows();                                   // what toAllowExactly compares
 * model.analysis.explain('default/wordpress', 'default/mysql', 3306).format();
 */
export function modelOf(target: ModelTarget): FlowModel {
  if (FlowModel.isFlowModel(target)) return target;
  if (typeof target === 'string' || (Array.isArray(target) && target.every((t) => typeof t === 'string'))) {
    return fromManifests(typeof target === 'string' ? [target] : (target as readonly string[]));
  }
  if (Construct.isConstruct(target)) return fromConstruct(target);
  throw NetpolError.of(
    'flow.target',
    '',
    `expected a cdk8s construct (an App or a Chart), a manifest path or a list of paths, got ${describe(target)}`,
  );
}

function describe(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  if (Array.isArray(x)) return 'an array that is not a list of paths';
  if (typeof x === 'object') return `an object (${(x as object).constructor?.name ?? 'Object'})`;
  return `${typeof x} ${JSON.stringify(x)}`;
}

const create = (props: FlowModelProps): FlowModel => new (FlowModel as any)(props) as FlowModel;

function fromConstruct(target: IConstruct): FlowModel {
  const root = target.node.root;
  const errors = validateApp(root);
  if (errors.length > 0) {
    throw new NetpolError(
      errors.map((e) => ({ code: 'flow.invalid-app', path: '', message: e })),
      `the App of ${target.node.path || 'the root'} does not validate; fix it first`,
    );
  }
  const { policies, tiers, dns } = constructModel(target);
  const named: NamedGroup[] = [
    ...tiers.map((t) => ({ namespace: t.namespace, selector: t.selector, name: t.node.id, kind: 'Tier' })),
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
    throw NetpolError.of('flow.empty', '', `${where} holds no policy construct (Tier, DefaultDeny, AllowDns); there is nothing to test`);
  }
  return create({
    source: where,
    policies,
    cluster: inferCluster(policies, { named }),
    inferred: true,
    namespaces,
    tiers: tiers.map((t) => ({ id: t.node.id, namespace: t.namespace, selector: t.selector })),
  });
}

function fromManifests(paths: readonly string[]): FlowModel {
  const { policies, cluster } = readManifests(paths);
  const where = paths.join(', ');
  if (policies.length === 0) {
    throw NetpolError.of('flow.empty', '', `${where} holds no NetworkPolicy; there is nothing to test`);
  }
  const inferred = cluster.workloads.length === 0;
  return create({
    source: where,
    policies,
    cluster: inferred ? inferCluster(policies) : cluster,
    inferred,
    namespaces: [...policies.map((p) => p.namespace), ...(inferred ? [] : cluster.workloads.map((w) => w.namespace))],
    tiers: [],
  });
}
