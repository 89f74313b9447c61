/**
 * A cluster made up from the policies themselves, for when no workload manifests are at hand
 * (a chart in a unit test, a `dist/` folder in a pull request): one representative pod group
 * for every pod selector the policies use, in every namespace they name, plus the pods that no
 * selector picks out, so that the analyzer can say what the policies allow between the groups
 * the author had in mind.
 */
import { Cluster, Namespace, namespace as makeNamespace, Workload } from '../model/cluster';
import { Policy } from '../model/policy';
import { compareStrings } from '../model/rule';
import { LabelSelector, Labels, NAMESPACE_NAME_LABEL, SelectorOperator } from '../model/selector';
import { PeerKind } from '../model/peer';

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

/** Options of `inferCluster`. */
export interface InferClusterOptions {
  /**
   * Groups to name; they win over names made from policies and selectors. A group whose
   * selector is empty is the `OTHER_PODS` group of its namespace and keeps that name.
   * @default - none
   */
  readonly named?: readonly NamedGroup[];
  /**
   * Add, in every namespace, the group of pods that no selector picks out (labels `{}`), named
   * `OTHER_PODS`. Without it, that group exists only where some selector is empty.
   * @default true
   */
  readonly otherPods?: boolean;
  /**
   * Add the namespace `OTHER_NAMESPACES`, standing for every namespace the policies do not
   * name, with its `OTHER_PODS` group: what a rule with an empty namespace selector or no peers
   * lets in from the rest of the cluster.
   * @default true
   */
  readonly otherNamespaces?: boolean;
}

/**
 * Label keys whose value names what the pods are (`app: mysql` → `mysql`); a group selected by
 * exactly one of them is named after the value.
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
 * Infers namespaces and pod groups from policies.
 *
 * Namespaces: those of the policies and of the named groups, those named by namespace
 * selectors, and for a namespace selector by labels that none of these match, a namespace
 * named after the selector (`project=myproject`) that carries the labels; plus
 * `OTHER_NAMESPACES` (see the options).
 *
 * Pod groups, one per distinct representative label set (see `representativeLabels`) and
 * namespace: every named group; every pod selector of a policy (in its namespace) and of a
 * pod peer (in the policy's namespace, or in every namespace the peer's namespace selector
 * matches); and `OTHER_PODS` in every namespace. A group is named, in this order of preference:
 * a named group's name; the name of a policy that selects exactly that group; the value of its
 * only label when the key is a conventional naming key (`app`, `k8s-app`, `name`, `role`,
 * `tier`, `component`, `app.kubernetes.io/name|component|instance`); the selector (`app=web,tier
 * in (a,b)`). Names are unique within a namespace (a taken name falls back to the next choice,
 * then gets a `-2` suffix). Workloads come sorted by namespace (`OTHER_NAMESPACES` last), then
 * named groups, policy-selected groups, peer groups, `OTHER_PODS`.
 *
 * @example
 * const cluster = inferCluster(policies, { named: [{ namespace: 'shop', selector: LabelSelector.of({ app: 'web' }), name: 'web' }] });
 * analyze(policies, cluster).connectionSet('shop/web', 'shop/db');
 */
export function inferCluster(policies: readonly Policy[], options: InferClusterOptions = {}): Cluster {
  const named = options.named ?? [];

  // Namespaces: named explicitly first, then made up for label selectors nothing matches.
  const namespaces = new Map<string, Labels>();
  // Labels a namespace already has win, so that a later selector cannot unmatch an earlier one.
  const addNamespace = (name: string, labels: Labels = {}) => {
    namespaces.set(name, { ...labels, ...(namespaces.get(name) ?? {}), [NAMESPACE_NAME_LABEL]: name });
  };
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
  const known = [...namespaces.values()];
  for (const s of namespaceSelectors) {
    const cases = selectorCases(s);
    const several = cases.filter((c) => c.matches).length > 1;
    for (const c of cases) {
      // A selector that pins the name label names real namespaces: create them under that name.
      const name = c.labels[NAMESPACE_NAME_LABEL];
      if (name !== undefined) addNamespace(name, c.labels);
      else if (!known.some((labels) => c.selector.matches(labels)))
        addNamespace(c.matches && !several ? s.toString() : c.selector.toString(), c.labels);
    }
  }
  if (options.otherNamespaces ?? true) addNamespace(OTHER_NAMESPACES);
  const namespacesOf = (selector: LabelSelector): string[] =>
    [...namespaces.entries()].filter(([, labels]) => selector.matches(labels)).map(([name]) => name);

  // Groups.
  const groups = new Map<string, GroupDraft>();
  let order = 0;
  const addGroup = (namespace: string, selector: LabelSelector, name: string | undefined, kind: string, rank: number) => {
    const cases = selectorCases(selector);
    const several = cases.filter((c) => c.matches).length > 1;
    for (const c of cases) {
      const labels = c.labels;
      const other = Object.keys(labels).length === 0;
      const whole = c.matches && !several; // the case stands for the whole selector
      const caseRank = other ? 9 : c.matches ? rank : Math.max(rank, 3);
      const key = `${namespace}\u0000${JSON.stringify(labels)}`;
      const existing = groups.get(key);
      if (existing && existing.rank <= caseRank) continue;
      const names = other
        ? [OTHER_PODS]
        : whole
          ? [name, valueName(selector)]
          : [c.matches && name !== undefined ? `${name} (${c.selector})` : undefined, valueName(c.selector)];
      groups.set(key, {
        namespace,
        labels,
        names: names.filter((n): n is string => n !== undefined),
        selectorText: whole ? selector.toString() : c.selector.toString(),
        kind: other ? 'Pods' : c.matches ? kind : 'Pods',
        rank: caseRank,
        order: existing?.order ?? order++,
      });
    }
  };
  for (const g of named) addGroup(g.namespace, g.selector, g.name, g.kind ?? 'Tier', 0);
  for (const p of policies) {
    if (!p.podSelector.isEmpty) addGroup(p.namespace, p.podSelector, p.name, 'Pods', 1);
  }
  for (const p of policies) {
    for (const rule of [...p.ingress, ...p.egress]) {
      for (const peer of rule.peers) {
        if (peer.kind === PeerKind.PODS) addGroup(p.namespace, peer.podSelector!, undefined, 'Pods', 2);
        if (peer.kind === PeerKind.NAMESPACES) {
          for (const ns of namespacesOf(peer.namespaceSelector!))
            addGroup(ns, peer.podSelector ?? LabelSelector.all(), undefined, 'Pods', 2);
        }
      }
    }
  }
  if (options.otherPods ?? true) {
    for (const ns of namespaces.keys()) addGroup(ns, LabelSelector.all(), undefined, 'Pods', 9);
  }

  const nsOrder = (name: string) => (name === OTHER_NAMESPACES && (options.otherNamespaces ?? true) ? 1 : 0);
  const used = new Set<string>();
  const workloads: Workload[] = [...groups.values()]
    .sort(
      (a, b) =>
        nsOrder(a.namespace) - nsOrder(b.namespace) || compareStrings(a.namespace, b.namespace) || a.rank - b.rank || a.order - b.order,
    )
    .map((g) => {
      const free = (n: string) => !used.has(`${g.namespace}/${n}`);
      let name = [...g.names, g.selectorText].find(free);
      for (let i = 2; name === undefined; i++)
        name = free(`${g.names[0] ?? g.selectorText}-${i}`) ? `${g.names[0] ?? g.selectorText}-${i}` : undefined;
      used.add(`${g.namespace}/${name}`);
      return { namespace: g.namespace, name, kind: g.kind, labels: g.labels, ports: [] };
    });
  const nsList: Namespace[] = [...namespaces.entries()]
    .sort(([a], [b]) => nsOrder(a) - nsOrder(b) || compareStrings(a, b))
    .map(([name, labels]) => makeNamespace(name, labels));
  return { namespaces: nsList, workloads };
}

/** The value of the selector's only label, when its key names what the pods are. */
function valueName(s: LabelSelector): string | undefined {
  const entries = Object.entries(s.matchLabels);
  if (entries.length !== 1 || s.matchExpressions.length > 0) return undefined;
  const [key, value] = entries[0];
  return NAMING_KEYS.includes(key) && value !== '' ? value : undefined;
}

/**
 * At most this many label sets stand for one selector in `selectorCases`: as many that it
 * matches, and as many that only one of its `NotIn` values keeps out. A selector whose `In`
 * lists name more values than that has its further values (and combinations) unrepresented.
 */
export const MAX_LABEL_SETS = 16;

/** One kind of pods that a selector tells apart from others (see `selectorCases`). */
export interface SelectorCase {
  /** Labels that pods of this kind carry. */
  readonly labels: Labels;
  /**
   * The selector of exactly this kind of pods: the given selector with the values of its `In`
   * expressions (and, for a case it keeps out, the `NotIn` value) pinned, e.g. `tier=api` for
   * the second case of `tier in (web,api)`.
   */
  readonly selector: LabelSelector;
  /** True if the given selector matches `labels`; false for labels that a `NotIn` value keeps out. */
  readonly matches: boolean;
}

/**
 * The kinds of pods (or namespaces) a selector tells apart, so that an analysis over made-up
 * pods sees every value the selector names: first the label sets it matches, one for every
 * value of every `In` expression (its matchLabels, the value `any` for `Exists`; several `In`
 * expressions combine as a product, the values of each all covered first), then the label sets
 * that one `NotIn` value keeps out (the first matching set with that value), so that widening
 * or narrowing a `NotIn` list changes what some set is allowed. At most `MAX_LABEL_SETS` of
 * each; none that match when no label set can (e.g. `In` and `DoesNotExist` on one key).
 *
 * @example
 * selectorCases(LabelSelector.of({}, [{ key: 'tier', operator: 'In', values: ['web', 'api'] }])).map((c) => c.labels);
 * // [{ tier: 'web' }, { tier: 'api' }]
 */
export function selectorCases(selector: LabelSelector): SelectorCase[] {
  const fixed: Record<string, string> = { ...selector.matchLabels };
  const pinned = new Map<string, string[]>();
  for (const x of selector.matchExpressions) {
    if (x.operator !== SelectorOperator.IN || has(fixed, x.key)) continue;
    const prev = pinned.get(x.key);
    pinned.set(x.key, prev ? prev.filter((v) => x.values!.includes(v)) : [...new Set(x.values)]);
  }
  const excluded = (key: string, value: string) =>
    selector.matchExpressions.some((x) => x.key === key && x.operator === SelectorOperator.NOT_IN && x.values!.includes(value));
  for (const [key, values] of pinned)
    pinned.set(
      key,
      values.filter((v) => !excluded(key, v)),
    );
  const free: Record<string, string> = {};
  for (const x of selector.matchExpressions) {
    if (x.operator !== SelectorOperator.EXISTS || has(fixed, x.key) || pinned.has(x.key) || has(free, x.key)) continue;
    let value = 'any';
    for (let i = 2; excluded(x.key, value); i++) value = `any-${i}`;
    free[x.key] = value;
  }
  // The selector of one case: its pinned labels, and the expressions on the other keys.
  const narrow = (labels: Labels, exists: readonly string[]): LabelSelector => {
    const exprs = selector.matchExpressions.filter((x) => !has(labels, x.key) || exists.includes(x.key));
    const shown = Object.fromEntries(Object.entries(labels).filter(([k]) => !exists.includes(k)));
    return LabelSelector.of(
      shown,
      exprs.filter(
        (x, i) =>
          x.operator !== SelectorOperator.EXISTS || exprs.findIndex((y) => y.operator === SelectorOperator.EXISTS && y.key === x.key) === i,
      ),
    );
  };
  const keys = [...pinned.keys()];
  const lists = keys.map((k) => pinned.get(k)!);
  const combos: string[][] = [];
  const seen = new Set<string>();
  const push = (combo: string[]) => {
    const id = JSON.stringify(combo);
    if (combos.length < MAX_LABEL_SETS && !seen.has(id)) {
      seen.add(id);
      combos.push(combo);
    }
  };
  if (lists.every((l) => l.length > 0)) {
    const widest = lists.reduce((w, l) => Math.max(w, l.length), 1);
    for (let i = 0; i < widest; i++) push(lists.map((l) => l[i % l.length]));
    const walk = (k: number, prefix: string[]) => {
      if (combos.length >= MAX_LABEL_SETS) return;
      if (k === lists.length) return push(prefix);
      for (const v of lists[k]) walk(k + 1, [...prefix, v]);
    };
    walk(0, []);
  }
  const out: SelectorCase[] = [];
  const freeKeys = Object.keys(free);
  for (const combo of combos) {
    const labels: Record<string, string> = { ...fixed };
    keys.forEach((k, i) => (labels[k] = combo[i]));
    Object.assign(labels, free);
    if (selector.matches(labels)) out.push({ labels, selector: narrow(labels, freeKeys), matches: true });
  }
  if (out.length === 0) return out;
  const base = out[0].labels;
  const keptOut: SelectorCase[] = [];
  for (const x of selector.matchExpressions) {
    if (x.operator !== SelectorOperator.NOT_IN || has(fixed, x.key) || pinned.has(x.key)) continue;
    for (const value of x.values!) {
      const labels = { ...base, [x.key]: value };
      if (keptOut.length >= MAX_LABEL_SETS || keptOut.some((c) => JSON.stringify(c.labels) === JSON.stringify(labels))) continue;
      if (
        selector.matches(labels) ||
        selector.matchExpressions.some((y) => y.key === x.key && y.operator === SelectorOperator.DOES_NOT_EXIST)
      )
        continue;
      keptOut.push({
        labels,
        selector: narrow(
          labels,
          freeKeys.filter((k) => k !== x.key),
        ),
        matches: false,
      });
    }
  }
  return [...out, ...keptOut];
}

/**
 * Labels that satisfy the selector: its matchLabels, the first value of each `In`, the value
 * `any` for each `Exists` (the first of `selectorCases`). Undefined when no label set can (e.g.
 * `In` and `DoesNotExist` on one key).
 */
export function representativeLabels(selector: LabelSelector): Labels | undefined {
  return selectorCases(selector)[0]?.labels;
}

/** An own property: a label key such as `constructor` or `toString` is a key like any other. */
function has(labels: Readonly<Record<string, string>>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(labels, key);
}
