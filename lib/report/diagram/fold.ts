/**
 * The folded diagram: one box per namespace instead of one per pod group, for clusters whose
 * every-group picture nobody could read (and Graphviz could hardly lay out). An edge between two
 * namespace boxes stands for every pair of their pod groups with something allowed, and says how
 * many pairs that is, what at least one of them allows, and how many of them only depend on
 * something unknown: a folded edge is drawn solid only when every pair under it is allowed for sure.
 *
 * Everything is computed per pair of analysis classes (pod groups the policies cannot tell apart)
 * and weighed by how many groups of each namespace a class holds, so the cost grows with the
 * classes and namespaces, not with every pair of pod groups.
 */
import type { Analysis } from '../../analysis/analysis';
import { AddressRange } from '../../model/address-range';
import { AddressSet } from '../../model/address-set';
import { Reach } from '../../model/reach';
import { OTHER_NAMESPACES } from '../../analysis/picture';
import { compareStrings } from '../../model/order';
import type { Diagram, DiagramEdge, DiagramNode } from './graph';
import { count, plural, SafeIds } from './private/ids';

/** What the flows from one box to another add up to. */
class Bundle {
  /** Pairs of pod groups (or of an address group and a pod group) with something allowed. */
  public flows = 0;
  /** Of those, the pairs where part of what is allowed depends on something unknown. */
  public depending = 0;
  /** The distinct answers of the pairs. */
  public readonly answers = new Set<Reach>();

  public add(reach: Reach, pairs: number): void {
    this.flows += pairs;
    if (!reach.isDefinite) this.depending += pairs;
    this.answers.add(reach);
  }

  /** `12 flows: TCP 80,443`, or `12 flows, 3 depend: TCP 80; TCP 8080 if source IP in 10.0.0.0/8`. */
  public label(): string {
    let all = Reach.none();
    for (const r of this.answers) all = all.union(r);
    const depend = this.depending > 0 ? `, ${count(this.depending)} ${this.depending === 1 ? 'depends' : 'depend'}` : '';
    return `${plural(this.flows, 'flow')}${depend}: ${all.toString()}`;
  }

  /** A key equal for equal bundles. */
  public key(): string {
    return `${this.flows}/${this.depending}/${[...this.answers]
      .map((r) => r.key)
      .sort(compareStrings)
      .join('|')}`;
  }
}

/** The namespaces of an analysis (indexes into `names`), and how its classes spread over them. */
interface Namespaces {
  readonly names: readonly string[];
  /** Pod groups per namespace. */
  readonly groupsIn: Int32Array;
  /** Per namespace: asked for (or all are). */
  readonly inScope: readonly boolean[];
  /** Per class: the namespaces of its pod groups, and how many are in each. */
  readonly spreads: ReadonlyArray<{ readonly namespaces: Int32Array; readonly counts: Int32Array }>;
}

/**
 * The diagram with one box per namespace (`DiagramOptions.fold`). `only` holds the namespaces
 * asked for (undefined: all); a namespace outside them is shown when it is the other end of an edge.
 * `reason` says why it was folded, for the caption.
 */
export function foldedDiagram(analysis: Analysis, only: ReadonlySet<string> | undefined, reason: string): Diagram {
  const ns = namespacesOf(analysis, only);
  const N = ns.names.length;
  const between = bundlesBetween(analysis, ns);
  // which namespaces are drawn: those asked for, and the other ends of their edges
  const shown = [...ns.inScope];
  for (const k of between.keys()) {
    shown[Math.floor(k / N)] = true;
    shown[k % N] = true;
  }
  const sources = externalGroups(analysis.externalSources, ns, (x, c) => analysis.fromExternalToClass(x, c));
  const destinations = externalGroups(analysis.externalDestinations, ns, (x, c) => analysis.fromClassToExternal(c, x));

  const ids = new SafeIds();
  // what the groups of a namespace may open to each other is said in its box, not drawn as a loop
  const nsNodes: Array<DiagramNode | undefined> = ns.names.map((n, i) => {
    if (!shown[i]) return undefined;
    const within = between.get(i * N + i);
    return {
      id: ids.take(`ns_${n}`),
      type: 'namespace',
      label: [
        n === OTHER_NAMESPACES ? 'other namespaces' : `namespace ${n}`,
        plural(ns.groupsIn[i], 'pod group'),
        ...(within ? [`among them: ${within.label()}`] : []),
      ],
      name: n,
      namespace: n,
    };
  });
  const sourceNodes = sources.map((g, i) => externalNode(ids, 'source', g.addresses, i));
  const destinationNodes = destinations.map((g, i) => externalNode(ids, 'destination', g.addresses, i));

  // edges in drawing order: sources, namespaces, destinations
  const edges: DiagramEdge[] = [];
  const labels = new Map<string, string>();
  const edge = (from: DiagramNode, to: DiagramNode, bundle: Bundle) => {
    const label = bundle.label();
    labels.set(`${from.id}>${to.id}`, label);
    if (from === to) return;
    edges.push({ from: { node: from.id }, to: { node: to.id }, label, ...(bundle.depending > 0 ? { depends: true } : {}) });
  };
  sources.forEach((g, x) => {
    for (const [n, b] of [...g.bundles].sort((p, q) => p[0] - q[0])) edge(sourceNodes[x], nsNodes[n]!, b);
  });
  for (let m = 0; m < N; m++) {
    if (!nsNodes[m]) continue;
    for (let n = 0; n < N; n++) {
      const b = between.get(m * N + n);
      if (b) edge(nsNodes[m]!, nsNodes[n]!, b);
    }
    destinations.forEach((g, x) => {
      const b = g.bundles.get(m);
      if (b) edge(nsNodes[m]!, destinationNodes[x], b);
    });
  }

  const boxes = nsNodes.filter((n): n is DiagramNode => n !== undefined);
  const groups = ns.names.reduce((sum, _, i) => sum + (shown[i] ? ns.groupsIn[i] : 0), 0);
  const caption =
    `folded: ${plural(boxes.length, 'namespace')}, ${plural(groups, 'pod group')}, one box per namespace (${reason}). ` +
    'Use --fold none to draw every pod group, or --namespace for some namespaces';
  const rows = [...boxes, ...sourceNodes];
  const cols = [...boxes, ...destinationNodes];
  return {
    namespaces: [],
    externals: [...sourceNodes, ...destinationNodes],
    junctions: [],
    edges,
    matrix: { sources: rows, destinations: cols, cells: rows.map((r) => cols.map((c) => labels.get(`${r.id}>${c.id}`))) },
    folded: { namespaces: boxes.length, podGroups: groups, boxes, caption },
  };
}

function namespacesOf(analysis: Analysis, only: ReadonlySet<string> | undefined): Namespaces {
  const names = [...new Set(analysis.workloads.map((w) => w.namespace))].sort(compareStrings);
  const nsIndex = new Map(names.map((n, i) => [n, i]));
  const groupsIn = new Int32Array(names.length);
  for (const w of analysis.workloads) groupsIn[nsIndex.get(w.namespace)!]++;
  const spreads = analysis.classes.map((c) => {
    const m = new Map<number, number>();
    for (const w of c.workloads) {
      const i = nsIndex.get(w.namespace)!;
      m.set(i, (m.get(i) ?? 0) + 1);
    }
    const keys = [...m.keys()].sort((a, b) => a - b);
    return { namespaces: Int32Array.from(keys), counts: Int32Array.from(keys.map((k) => m.get(k)!)) };
  });
  return { names, groupsIn, inScope: names.map((n) => !only || only.has(n)), spreads };
}

/**
 * The flows from namespace to namespace (key: source index × namespaces + destination index),
 * from every ordered pair of classes once; within a namespace, a condition on the namespaces'
 * labels is one on that namespace.
 */
function bundlesBetween(analysis: Analysis, ns: Namespaces): Map<number, Bundle> {
  const N = ns.names.length;
  const { inScope, spreads } = ns;
  const between = new Map<number, Bundle>();
  const shared = new Map<Reach, Reach>();
  const forShared = (r: Reach) => {
    let s = shared.get(r);
    if (!s) shared.set(r, (s = r.forSharedNamespace()));
    return s;
  };
  const C = analysis.classes.length;
  for (let s = 0; s < C; s++) {
    const a = spreads[s];
    for (let d = 0; d < C; d++) {
      const reach = analysis.classReach(s, d);
      if (reach.isEmpty) continue;
      const b = spreads[d];
      for (let i = 0; i < a.namespaces.length; i++) {
        const na = a.namespaces[i];
        for (let j = 0; j < b.namespaces.length; j++) {
          const nb = b.namespaces[j];
          if (!inScope[na] && !inScope[nb]) continue;
          const r = na === nb ? forShared(reach) : reach;
          if (r.isEmpty) continue;
          const k = na * N + nb;
          let bundle = between.get(k);
          if (!bundle) between.set(k, (bundle = new Bundle()));
          bundle.add(r, a.counts[i] * b.counts[j]);
        }
      }
    }
  }
  return between;
}

/** External ranges grouped where every namespace asked for gets the same from (or to) them, in address order. */
function externalGroups(
  ranges: readonly AddressRange[],
  ns: Namespaces,
  reachOf: (range: number, c: number) => Reach,
): Array<{ addresses: AddressSet; bundles: Map<number, Bundle> }> {
  const groups = new Map<string, { ranges: AddressRange[]; bundles: Map<number, Bundle> }>();
  ranges.forEach((range, x) => {
    const bundles = new Map<number, Bundle>();
    ns.spreads.forEach((sp, c) => {
      let reach: Reach | undefined;
      for (let i = 0; i < sp.namespaces.length; i++) {
        const n = sp.namespaces[i];
        if (!ns.inScope[n]) continue;
        reach ??= reachOf(x, c);
        if (reach.isEmpty) return;
        let bundle = bundles.get(n);
        if (!bundle) bundles.set(n, (bundle = new Bundle()));
        bundle.add(reach, sp.counts[i]);
      }
    });
    if (bundles.size === 0) return;
    const key = [...bundles.entries()]
      .sort((p, q) => p[0] - q[0])
      .map(([n, b]) => `${n}:${b.key()}`)
      .join(';');
    const g = groups.get(key);
    if (g) g.ranges.push(range);
    else groups.set(key, { ranges: [range], bundles });
  });
  return [...groups.values()]
    .map((g) => ({ addresses: AddressSet.of(g.ranges), bundles: g.bundles }))
    .sort((p, q) => AddressSet.compare(p.addresses, q.addresses));
}

/** The box of an external address group: one ipBlock per line, `+ ` before the next where one has excepts. */
function externalNode(ids: SafeIds, type: 'source' | 'destination', addresses: AddressSet, i: number): DiagramNode {
  return {
    id: ids.take(`${type === 'source' ? 'src' : 'dst'}${i + 1}`),
    type,
    label: addresses.lines().map((l, j, all) => (j > 0 && all.some((y) => y.includes(' except ')) ? `+ ${l}` : l)),
    name: addresses.toString(),
    addresses,
  };
}
