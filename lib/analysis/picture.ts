/**
 * The one picture of the cluster that every tool reasons about (reach, explain, diagram, diff,
 * lint and the jest matchers): the workloads and namespaces that manifests or the App make
 * known, and, unless the user says that is the whole cluster, the pods the policies talk about
 * that nothing made known — one representative group for every pod selector the policies use,
 * in every namespace they name, plus the pods that no selector picks out. Groups made up this
 * way have no known container ports, and namespaces without a Namespace object no known labels,
 * so that the analysis says *depends* where it would otherwise guess.
 */
import { Cidr } from '../model/cidr';
import { Cluster, Namespace, Workload } from '../model/cluster';
import { ClusterPeerKind } from '../model/cluster-peer';
import { ClusterPolicy } from '../model/cluster-policy';
import { PeerKind } from '../model/peer';
import { Policy } from '../model/policy';
import { compareStrings } from '../model/order';
import { LabelSelector, Labels, NAMESPACE_NAME_LABEL, SelectorCase, selectorCases } from '../model/selector';

/**
 * Name of the group of pods that no selector of the policies picks out (pods without any of
 * the labels the policies look at), in every namespace. It cannot clash with a workload name,
 * which is a DNS-1123 subdomain.
 */
export const OTHER_PODS = '(others)';

/**
 * Name of the namespace that stands for every namespace the policies do not name: its pods
 * carry no labels a selector looks at, and it carries only its name label.
 */
export const OTHER_NAMESPACES = '(others)';

/** A group of pods with a name of its own (a tier, the cluster DNS). */
export interface NamedGroup {
  readonly namespace: string;
  readonly selector: LabelSelector;
  readonly name: string;
  /** @default 'Tier' */
  readonly kind?: string;
  /**
   * Labels of the group's namespace, for policies that select it by labels rather than by
   * name (e.g. a DNS namespace chosen by `namespaceLabels`).
   * @default - only its `kubernetes.io/metadata.name` label
   */
  readonly namespaceLabels?: Labels;
}

/** Options of `clusterPicture` (and `inferCluster`). */
export interface ClusterPictureOptions {
  /**
   * What is known of the cluster: Namespaces (with their labels) and workloads (with their
   * container ports) from manifests or the App. With `complete`, they are the whole picture.
   * @default - nothing
   */
  readonly known?: Cluster;
  /**
   * The ranges pod IPs are taken from (see `Cluster.podCidrs`).
   * @default - those of `known`, else unknown
   */
  readonly podCidrs?: readonly Cidr[];
  /**
   * Groups to name; they win over names made from policies and selectors. A group whose
   * selector is empty is the `OTHER_PODS` group of its namespace and keeps that name.
   * @default - none
   */
  readonly named?: readonly NamedGroup[];
  /**
   * Add, in every namespace, the group of pods that no selector picks out (labels `{}`), named
   * `OTHER_PODS`. Without it, that group exists only where some selector is empty.
   * @default true - unless the known cluster is complete
   */
  readonly otherPods?: boolean;
  /**
   * Add the namespace `OTHER_NAMESPACES`, standing for every namespace the policies do not
   * name, with its `OTHER_PODS` group: what a rule with an empty namespace selector or no peers
   * lets in from the rest of the cluster.
   * @default true - unless the known cluster is complete
   */
  readonly otherNamespaces?: boolean;
  /**
   * ClusterNetworkPolicies whose selectors count like the policies': the namespaces their
   * subjects and peers name or select by labels, and a group for every pod selector of theirs
   * in every namespace it may apply to.
   * @default - none
   */
  readonly clusterPolicies?: readonly ClusterPolicy[];
}

/** Options of `inferCluster`. */
export type InferClusterOptions = Omit<ClusterPictureOptions, 'known'>;

/**
 * Label keys whose value names what the pods are (`app: mysql` → `mysql`); a group selected by
 * `app.kubernetes.io/name` among other labels, or by exactly one of these, is named after the value.
 */
const NAMING_KEYS: readonly string[] = [
  'app',
  'k8s-app',
  'name',
  'role',
  'tier',
  'component',
  'app.kubernetes.io/name',
  'app.kubernetes.io/component',
  'app.kubernetes.io/instance',
];

interface GroupDraft {
  /** The selector the group stands for. */
  readonly selector: LabelSelector;
  readonly namespace: string;
  readonly labels: Labels;
  /** Names to try, best first; the selector's own text is always tried after them. */
  readonly names: string[];
  readonly selectorText: string;
  readonly kind: string;
  readonly rank: number;
  readonly order: number;
}

/**
 * The picture of the cluster that the policies and what is known make: the known Namespaces and
 * workloads and, unless `known` is complete, made-up groups for what the policies talk about
 * and nothing known covers.
 *
 * Namespaces: the known ones (their labels known), those of the policies, the known workloads
 * and the named groups, those named by namespace selectors (their labels unknown unless a
 * Namespace object gives them), and for a namespace selector by labels that none of these match,
 * a namespace named after the selector (`project=myproject`) that carries the labels; plus
 * `OTHER_NAMESPACES` (see the options).
 *
 * Pod groups: the known workloads, as they are; then one group per distinct representative
 * label set (see `LabelSelector.cases`) and namespace that no known workload of the namespace
 * matches: every named group; every pod selector of a policy (in its namespace) and of a pod
 * peer (in the policy's namespace, or in every namespace the peer's namespace selector
 * matches); and `OTHER_PODS` in every namespace. A made-up group has no known container ports
 * and is named, in this order of preference: a named group's name; the name of a policy that
 * selects exactly that group; the value of `app.kubernetes.io/name` in its selector, or of its
 * only label when the key is a conventional naming key (`app`, `k8s-app`, `name`, `role`,
 * `tier`, `component`, `app.kubernetes.io/component|instance`); the selector (`app=web,tier in
 * (a,b)`). Names are unique within a namespace (a known workload keeps its own; a taken name
 * falls back to the next choice, then gets a `-2` suffix). Workloads come sorted by namespace
 * (`OTHER_NAMESPACES` last), then known workloads, named groups, policy-selected groups, peer
 * groups, `OTHER_PODS`.
 *
 * @example
 * const cluster = clusterPicture(policies, { known: readManifests(['dist/prod']).cluster });
 * analyze(policies, cluster).reach('shop/web', 'shop/db').toString();
 */
export function clusterPicture(policies: readonly Policy[], options: ClusterPictureOptions = {}): Cluster {
  const known = options.known ?? { namespaces: [], workloads: [] };
  const podCidrs = options.podCidrs ?? known.podCidrs;
  const extra = podCidrs && podCidrs.length > 0 ? { podCidrs } : {};
  if (known.complete) return { namespaces: known.namespaces, workloads: known.workloads, complete: true, ...extra };
  const named = options.named ?? [];
  const otherNamespaces = options.otherNamespaces ?? true;
  const clusterSelectors = clusterPolicySelectors(options.clusterPolicies ?? []);
  const namespaces = pictureNamespaces(policies, known, named, otherNamespaces, clusterSelectors);
  const groups = pictureGroups(policies, known, named, namespaces, options.otherPods ?? true, clusterSelectors);
  const nsOrder = (name: string) => (name === OTHER_NAMESPACES && otherNamespaces ? 1 : 0);
  const workloads = namedWorkloads(known, groups, nsOrder);
  const nsList: Namespace[] = [...namespaces.entries()]
    .sort(([a], [b]) => nsOrder(a) - nsOrder(b) || compareStrings(a, b))
    .map(([name, ns]) => ({ name, labels: ns.labels, ...(ns.known ? {} : { labelsKnown: false }) }));
  return { namespaces: nsList, workloads, ...extra };
}

/** A namespace of the picture: its labels, and whether they are known. */
type PictureNamespace = { labels: Labels; known: boolean };

/** What a ClusterNetworkPolicy subject or pods/namespaces peer selects: namespaces, and pods in them. */
type ClusterSelector = { namespaces: LabelSelector; pods?: LabelSelector };

/** The selectors of ClusterNetworkPolicy subjects and of their pods and namespaces peers. */
function clusterPolicySelectors(clusterPolicies: readonly ClusterPolicy[]): ClusterSelector[] {
  const out: ClusterSelector[] = [];
  for (const c of clusterPolicies) {
    out.push({ namespaces: c.subject.namespaceSelector, ...(c.subject.podSelector ? { pods: c.subject.podSelector } : {}) });
    for (const rule of [...c.ingress, ...c.egress]) {
      for (const peer of rule.peers) {
        if (peer.kind === ClusterPeerKind.NAMESPACES || peer.kind === ClusterPeerKind.PODS)
          out.push({ namespaces: peer.namespaceSelector!, ...(peer.podSelector ? { pods: peer.podSelector } : {}) });
      }
    }
  }
  return out;
}

/** Namespaces: known first, then named or made up for label selectors nothing matches. */
function pictureNamespaces(
  policies: readonly Policy[],
  known: Cluster,
  named: readonly NamedGroup[],
  otherNamespaces: boolean,
  clusterSelectors: readonly ClusterSelector[],
): Map<string, PictureNamespace> {
  const namespaces = new Map<string, PictureNamespace>();
  // Labels a namespace already has win, so that a later selector cannot unmatch an earlier one.
  const addNamespace = (name: string, labels: Labels = {}, labelsKnown = false) => {
    const prev = namespaces.get(name);
    namespaces.set(name, {
      labels: { ...labels, ...(prev?.labels ?? {}), [NAMESPACE_NAME_LABEL]: name },
      known: prev?.known ?? labelsKnown,
    });
  };
  for (const ns of known.namespaces) addNamespace(ns.name, ns.labels, ns.labelsKnown !== false);
  for (const w of known.workloads) addNamespace(w.namespace);
  const namespaceSelectors: LabelSelector[] = [];
  for (const g of named) addNamespace(g.namespace, g.namespaceLabels);
  for (const p of policies) {
    addNamespace(p.namespace);
    for (const rule of [...p.ingress, ...p.egress]) {
      for (const peer of rule.peers) {
        if (peer.kind !== PeerKind.NAMESPACES) continue;
        const name = peer.namespaceSelector!.namespaceNameOnly;
        if (name !== undefined) addNamespace(name);
        else if (!peer.namespaceSelector!.isEmpty) namespaceSelectors.push(peer.namespaceSelector!);
      }
    }
  }
  for (const { namespaces: selector } of clusterSelectors) {
    const name = selector.namespaceNameOnly;
    if (name !== undefined) addNamespace(name);
    else if (!selector.isEmpty) namespaceSelectors.push(selector);
  }
  const existing = [...namespaces.values()];
  // A selector that comes again adds nothing more: the namespaces it adds are there, with their labels.
  const seen = new Set<string>();
  for (const s of namespaceSelectors) {
    const key = s.toString();
    if (seen.has(key)) continue;
    seen.add(key);
    const cases = selectorCases(s);
    const several = cases.filter((c) => c.matches).length > 1;
    for (const c of cases) {
      // A selector that pins the name label names real namespaces: create them under that name.
      const name = c.labels[NAMESPACE_NAME_LABEL];
      if (name !== undefined) addNamespace(name, c.labels, namespaces.get(name)?.known ?? false);
      else if (!existing.some((ns) => c.selector.matches(ns.labels)))
        addNamespace(c.matches && !several ? s.toString() : c.selector.toString(), c.labels, true);
    }
  }
  if (otherNamespaces) addNamespace(OTHER_NAMESPACES, {}, true);
  return namespaces;
}

/** Groups: what no known workload covers, by namespace and representative labels. */
function pictureGroups(
  policies: readonly Policy[],
  known: Cluster,
  named: readonly NamedGroup[],
  namespaces: ReadonlyMap<string, PictureNamespace>,
  otherPods: boolean,
  clusterSelectors: readonly ClusterSelector[],
): Map<string, GroupDraft> {
  const groups = new Map<string, GroupDraft>();
  const knownIn = new Map<string, Workload[]>();
  for (const w of known.workloads) knownIn.set(w.namespace, [...(knownIn.get(w.namespace) ?? []), w]);
  // The cases of each distinct selector (equal selectors have one text), worked out once: policies repeat the same selectors.
  const casesByText = new Map<string, SelectorCase[]>();
  const casesOf = (selector: LabelSelector): SelectorCase[] => {
    const key = selector.toString();
    let cases = casesByText.get(key);
    if (!cases) casesByText.set(key, (cases = selectorCases(selector)));
    return cases;
  };
  const add = (namespace: string, selector: LabelSelector, name: string | undefined, kind: string, rank: number) =>
    addGroup(groups, knownIn.get(namespace) ?? [], { namespace, selector, name, kind, rank }, casesOf(selector));
  // Policies repeat the same namespace selectors: each is matched against the namespaces once.
  const matched = new Map<string, string[]>();
  const namespacesOf = (selector: LabelSelector): string[] => {
    const key = selector.toString();
    let names = matched.get(key);
    if (!names) {
      names = [...namespaces.entries()].filter(([, ns]) => selector.matches(ns.labels)).map(([name]) => name);
      matched.set(key, names);
    }
    return names;
  };
  for (const g of named) add(g.namespace, g.selector, g.name, g.kind ?? 'Tier', 0);
  for (const p of policies) {
    if (!p.podSelector.isEmpty) add(p.namespace, p.podSelector, p.name, 'Pods', 1);
  }
  for (const p of policies) {
    for (const rule of [...p.ingress, ...p.egress]) {
      for (const peer of rule.peers) {
        if (peer.kind === PeerKind.PODS) add(p.namespace, peer.podSelector!, undefined, 'Pods', 2);
        if (peer.kind === PeerKind.NAMESPACES) {
          for (const ns of namespacesOf(peer.namespaceSelector!)) add(ns, peer.podSelector ?? LabelSelector.all(), undefined, 'Pods', 2);
        }
      }
    }
  }
  for (const { namespaces: selector, pods } of clusterSelectors) {
    if (pods && !pods.isEmpty) for (const ns of namespacesOf(selector)) add(ns, pods, undefined, 'Pods', 2);
  }
  if (otherPods) {
    for (const ns of namespaces.keys()) add(ns, LabelSelector.all(), undefined, 'Pods', 9);
  }
  return groups;
}

/** What a selector of a namespace asks for: a group per case, named `name` when given. */
interface GroupRequest {
  readonly namespace: string;
  readonly selector: LabelSelector;
  readonly name: string | undefined;
  readonly kind: string;
  readonly rank: number;
}

/** Adds a group per case of the selector (`cases`, those of `selectorCases`) that no known workload of the namespace matches; a better-ranked draft of the same labels wins. */
function addGroup(groups: Map<string, GroupDraft>, knownHere: readonly Workload[], r: GroupRequest, cases: readonly SelectorCase[]): void {
  const several = cases.filter((c) => c.matches).length > 1;
  for (const c of cases) {
    const labels = c.labels;
    const other = Object.keys(labels).length === 0;
    if (!other && knownHere.some((w) => c.selector.matches(w.labels))) continue;
    const whole = c.matches && !several; // the case stands for the whole selector
    const caseRank = other ? 9 : c.matches ? r.rank : Math.max(r.rank, 3);
    const key = `${r.namespace}\u0000${JSON.stringify(labels)}`;
    const prev = groups.get(key);
    if (prev && prev.rank <= caseRank) continue;
    const names = other
      ? [OTHER_PODS]
      : whole
        ? [r.name, valueName(r.selector)]
        : [c.matches && r.name !== undefined ? `${r.name} (${c.selector})` : undefined, valueName(c.selector)];
    groups.set(key, {
      selector: other ? LabelSelector.all() : whole ? r.selector : c.selector,
      namespace: r.namespace,
      labels,
      names: names.filter((n): n is string => n !== undefined),
      selectorText: whole ? r.selector.toString() : c.selector.toString(),
      kind: other ? 'Pods' : c.matches ? r.kind : 'Pods',
      rank: caseRank,
      order: prev?.order ?? groups.size,
    });
  }
}

/** The known workloads and the groups, named uniquely per namespace, in picture order. */
function namedWorkloads(known: Cluster, groups: ReadonlyMap<string, GroupDraft>, nsOrder: (name: string) => number): Workload[] {
  const used = new Set<string>(known.workloads.map((w) => `${w.namespace}/${w.name}`));
  const made: Array<{ namespace: string; rank: number; order: number; workload: Workload }> = known.workloads.map((workload, i) => ({
    namespace: workload.namespace,
    rank: -1,
    order: i,
    workload,
  }));
  for (const g of [...groups.values()].sort((a, b) => a.rank - b.rank || a.order - b.order)) {
    const free = (n: string) => !used.has(`${g.namespace}/${n}`);
    let name = [...g.names, g.selectorText].find(free);
    for (let i = 2; name === undefined; i++)
      name = free(`${g.names[0] ?? g.selectorText}-${i}`) ? `${g.names[0] ?? g.selectorText}-${i}` : undefined;
    used.add(`${g.namespace}/${name}`);
    made.push({
      namespace: g.namespace,
      rank: g.rank,
      order: g.order,
      workload: { namespace: g.namespace, name, kind: g.kind, labels: g.labels, ports: [], portsKnown: false, selector: g.selector },
    });
  }
  return made
    .sort(
      (a, b) =>
        nsOrder(a.namespace) - nsOrder(b.namespace) || compareStrings(a.namespace, b.namespace) || a.rank - b.rank || a.order - b.order,
    )
    .map((m) => m.workload);
}

/**
 * The picture made from the policies alone (see `clusterPicture`), for when no workload
 * manifests are at hand: a chart in a unit test, a `dist/` folder in a pull request.
 *
 * @example
 * const cluster = inferCluster(policies, { named: [{ namespace: 'shop', selector: LabelSelector.of({ app: 'web' }), name: 'web' }] });
 * analyze(policies, cluster).reach('shop/web', 'shop/db');
 */
export function inferCluster(policies: readonly Policy[], options: InferClusterOptions = {}): Cluster {
  return clusterPicture(policies, options);
}

/**
 * The value of `app.kubernetes.io/name` in the selector, or of its only label when its key
 * names what the pods are.
 */
function valueName(s: LabelSelector): string | undefined {
  const own = s.matchLabels['app.kubernetes.io/name'];
  if (own !== undefined && own !== '') return own;
  const entries = Object.entries(s.matchLabels);
  if (entries.length !== 1 || s.matchExpressions.length > 0) return undefined;
  const [key, value] = entries[0];
  return NAMING_KEYS.includes(key) && value !== '' ? value : undefined;
}
