/**
 * A cluster made up from the policies themselves, for when no workload manifests are at hand
 * (a chart in a unit test, a `dist/` folder in a pull request): one representative pod group
 * for every pod selector the policies use, in every namespace they name, so that the analyzer
 * can say what the policies allow between the groups the author had in mind.
 */
import { Cluster, Namespace, namespace as makeNamespace, Workload } from '../model/cluster';
import { Policy } from '../model/policy';
import { LabelSelector, Labels, NAMESPACE_NAME_LABEL } from '../model/selector';

/** A group of pods with a name of its own (a tier, the DNS). */
export interface NamedGroup {
  readonly namespace: string;
  readonly selector: LabelSelector;
  readonly name: string;
  /** @default 'Tier' */
  readonly kind?: string;
}

/** Options of `inferCluster`. */
export interface InferClusterOptions {
  /** Groups to name (they win over names made from policies and selectors). @default - none */
  readonly named?: readonly NamedGroup[];
  /**
   * Add, in every namespace, a group of pods that no selector picks out (labels `{}`), named
   * `*`: "any other pod". @default true
   */
  readonly otherPods?: boolean;
}

/**
 * Infers pod groups and namespaces from policies. Group names: a named group's name, else the
 * name of the policy that selects exactly that group, else the selector (`app=web`);
 * a namespace chosen by labels only becomes a namespace named after the selector.
 */
export function inferCluster(policies: readonly Policy[], options: InferClusterOptions = {}): Cluster {
  const namespaces = new Map<string, Labels>();
  const groups = new Map<string, { namespace: string; labels: Labels; name: string; kind: string; rank: number }>();
  const addNamespace = (name: string, labels: Labels = {}) => {
    namespaces.set(name, { ...(namespaces.get(name) ?? {}), ...labels, [NAMESPACE_NAME_LABEL]: name });
  };
  const addGroup = (namespace: string, selector: LabelSelector, name: string, kind: string, rank: number) => {
    const labels = representativeLabels(selector);
    if (!labels) return;
    addNamespace(namespace);
    const key = `${namespace}\0${JSON.stringify(labels)}`;
    const existing = groups.get(key);
    if (!existing || existing.rank > rank) groups.set(key, { namespace, labels, name, kind, rank });
  };
  const namespacesOf = (selector: LabelSelector, policyNamespace: string): string[] => {
    const named = selector.namespaceNameOnly;
    if (named !== undefined) return [named];
    if (selector.isEmpty) return [...new Set([policyNamespace, ...namespaces.keys()])];
    const labels = representativeLabels(selector);
    if (!labels) return [];
    const name = `ns-${selector.toString().replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`.slice(0, 63).replace(/-+$/, '');
    addNamespace(name, labels);
    return [name];
  };

  for (const g of options.named ?? []) addGroup(g.namespace, g.selector, g.name, g.kind ?? 'Tier', 0);
  for (const p of policies) {
    addNamespace(p.namespace);
    addGroup(p.namespace, p.podSelector, p.podSelector.isEmpty ? '*' : p.name, 'Pods', p.podSelector.isEmpty ? 3 : 1);
  }
  for (const p of policies) {
    for (const rule of [...p.ingress, ...p.egress]) {
      for (const peer of rule.peers) {
        if (peer.kind === 'pods') addGroup(p.namespace, peer.podSelector!, selectorName(peer.podSelector!), 'Pods', 2);
        if (peer.kind === 'namespaces') {
          for (const ns of namespacesOf(peer.namespaceSelector!, p.namespace)) {
            addGroup(ns, peer.podSelector ?? LabelSelector.all(), peer.podSelector ? selectorName(peer.podSelector) : '*', 'Pods', peer.podSelector ? 2 : 3);
          }
        }
      }
    }
  }
  if (options.otherPods ?? true) {
    for (const ns of namespaces.keys()) addGroup(ns, LabelSelector.all(), '*', 'Pods', 3);
  }

  const used = new Set<string>();
  const workloads: Workload[] = [...groups.values()]
    .sort((a, b) => (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.rank - b.rank || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)))
    .map((g) => {
      let name = g.name;
      for (let i = 2; used.has(`${g.namespace}/${name}`); i++) name = `${g.name}-${i}`;
      used.add(`${g.namespace}/${name}`);
      return { namespace: g.namespace, name, kind: g.kind, labels: g.labels, ports: [] };
    });
  const nsList: Namespace[] = [...namespaces.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, labels]) => makeNamespace(name, labels));
  return { namespaces: nsList, workloads };
}

/** `app=web,tier in (a,b)` as a group name; `*` for the empty selector. */
function selectorName(s: LabelSelector): string {
  return s.toString();
}

/**
 * Labels that satisfy the selector: its matchLabels, the first value of each `In`, a value for
 * each `Exists`. Undefined when no label set can (e.g. `In` and `DoesNotExist` on one key).
 */
export function representativeLabels(selector: LabelSelector): Labels | undefined {
  const labels: Record<string, string> = { ...selector.matchLabels };
  for (const x of selector.matchExpressions) {
    if (x.key in labels) continue;
    if (x.operator === 'In') labels[x.key] = x.values![0];
    if (x.operator === 'Exists') labels[x.key] = 'any';
  }
  return selector.matches(labels) ? labels : undefined;
}
