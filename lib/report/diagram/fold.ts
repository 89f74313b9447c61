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

  /** Adds every pair of another bundle. */
  public merge(other: Bundle): void {
    this.flows += other.flows;
    this.depending += other.depending;
    for (const r of other.answers) this.answers.add(r);
  }

  /** A key equal for bundles with the same distinct answers, whatever their counts. */
  public shape(): string {
    return [...new Set([...this.answers].map((r) => r.key))].sort(compareStrings).join('|');
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

/** When `foldedDiagram` merges namespaces with the same connections into one box. */
export interface NamespaceMerging {
  /** Merge whatever the size. */
  readonly always: boolean;
  /** Otherwise, merge when one box per namespace would draw more arrows than this. */
  readonly maxEdges: number;
}

/**
 * The diagram with one box per namespace (`DiagramOptions.fold`). `only` holds the namespaces
 * asked for (undefined: all); a namespace outside them is shown when it is the other end of an edge.
 * `reason` says why it was folded, for the caption.
 *
 * With `merging`, when one box per namespace would still draw more than `maxEdges` arrows (or
 * always), namespaces whose connections are the same share a box: see `mergeTwins`.
 */
export function foldedDiagram(
  analysis: Analysis,
  only: ReadonlySet<string> | undefined,
  reason: string,
  merging: NamespaceMerging = { always: false, maxEdges: Infinity },
): Diagram {
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

  let blocks: number[][] = [];
  for (let i = 0; i < N; i++) if (shown[i]) blocks.push([i]);
  const arrows = arrowsOf(blocks, N, between, sources, destinations);
  const merge = merging.always || arrows > merging.maxEdges;
  let meshed = false;
  if (merge) ({ blocks, meshed } = mergeTwins(blocks, ns, between, sources, destinations, merging.maxEdges));
  const B = blocks.length;
  const blockOf = new Int32Array(N).fill(-1);
  blocks.forEach((b, i) => b.forEach((n) => (blockOf[n] = i)));
  const inBlocks = blockBundles(blocks, blockOf, between);
  const sourceBundles = sources.map((g) => bundlesByBlock(g.bundles, blockOf));
  const destinationBundles = destinations.map((g) => bundlesByBlock(g.bundles, blockOf));

  const ids = new SafeIds();
  const boxes = boxesOf(blocks, ns, inBlocks, ids);
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
  sourceBundles.forEach((bundles, x) => {
    for (const [b, bundle] of [...bundles].sort((p, q) => p[0] - q[0])) edge(sourceNodes[x], boxes[b], bundle);
  });
  for (let m = 0; m < B; m++) {
    for (let n = 0; n < B; n++) {
      const b = inBlocks.get(m * B + n);
      if (b) edge(boxes[m], boxes[n], b);
    }
    destinationBundles.forEach((bundles, x) => {
      const b = bundles.get(m);
      if (b) edge(boxes[m], destinationNodes[x], b);
    });
  }

  const { namespaces, groups, merged, caption } = captionOf(blocks, ns, reason, merge ? merging : undefined, meshed, edges.length);
  const rows = [...boxes, ...sourceNodes];
  const cols = [...boxes, ...destinationNodes];
  return {
    namespaces: [],
    externals: [...sourceNodes, ...destinationNodes],
    junctions: [],
    edges,
    matrix: { sources: rows, destinations: cols, cells: rows.map((r) => cols.map((c) => labels.get(`${r.id}>${c.id}`))) },
    folded: {
      namespaces,
      podGroups: groups,
      boxes,
      caption,
      ...(merged ? { merged } : {}),
    },
  };
}

/** The distinct answers from block `a` to block `b`, or `''` when nothing is allowed. */
function shapeOf(inBlocks: ReadonlyMap<number, Bundle>, B: number, a: number, b: number): string {
  return inBlocks.get(a * B + b)?.shape() ?? '';
}

/** The counts of a folded diagram and the caption that says how it was folded (and merged, with `merging`). */
function captionOf(
  blocks: readonly number[][],
  ns: Namespaces,
  reason: string,
  merging: NamespaceMerging | undefined,
  meshed: boolean,
  arrows: number,
): { namespaces: number; groups: number; merged?: { namespaces: number; boxes: number }; caption: string } {
  const namespaces = blocks.reduce((sum, b) => sum + b.length, 0);
  const groups = blocks.reduce((sum, b) => sum + groupsOf(ns, b), 0);
  const shared = blocks.filter((b) => b.length > 1);
  const merged = shared.length > 0 ? { namespaces: shared.reduce((sum, b) => sum + b.length, 0), boxes: shared.length } : undefined;
  let note = '';
  if (merging) {
    const why = merging.always ? 'asked for' : `more than ${plural(merging.maxEdges, 'arrow')}`;
    const alike = meshed ? ', or allowing each other all they allow themselves,' : '';
    note = !merged
      ? `; merging namespaces with the same connections (${why}) found none`
      : `, then ${plural(merged.namespaces, 'namespace')} with the same connections${alike} ` +
        `in ${plural(merged.boxes, 'shared box', 'shared boxes')} (${why}): ${plural(blocks.length, 'box', 'boxes')}, ${plural(arrows, 'arrow')}`;
  }
  const caption =
    `folded: ${plural(namespaces, 'namespace')}, ${plural(groups, 'pod group')}, one box per namespace (${reason})${note}. ` +
    'Use --fold none to draw every pod group, or --namespace for some namespaces';
  return { namespaces, groups, ...(merged ? { merged } : {}), caption };
}

/** How many pod groups the namespaces of a block hold. */
function groupsOf(ns: Namespaces, block: readonly number[]): number {
  return block.reduce((sum, n) => sum + ns.groupsIn[n], 0);
}

/**
 * The boxes of the blocks: one namespace's as before merging; several namespaces' labelled with
 * how many and which. What the groups of a box may open to each other is said in the box, not
 * drawn as a loop.
 */
function boxesOf(blocks: readonly number[][], ns: Namespaces, inBlocks: ReadonlyMap<number, Bundle>, ids: SafeIds): DiagramNode[] {
  const B = blocks.length;
  return blocks.map((b, i): DiagramNode => {
    const within = inBlocks.get(i * B + i);
    const among = within ? [`among them: ${within.label()}`] : [];
    if (b.length === 1) {
      const n = ns.names[b[0]];
      return {
        id: ids.take(`ns_${n}`),
        type: 'namespace',
        label: [n === OTHER_NAMESPACES ? 'other namespaces' : `namespace ${n}`, plural(ns.groupsIn[b[0]], 'pod group'), ...among],
        name: n,
        namespace: n,
      };
    }
    const names = b.map((n) => ns.names[n]);
    return {
      id: ids.take(`nss_${names[0]}`),
      type: 'namespace',
      label: [`${names.length} namespaces: ${namesInShort(names)}`, plural(groupsOf(ns, b), 'pod group'), ...among],
      name: names.join(', '),
      members: names,
    };
  });
}

/** `a, b, c` for up to three names, else `first … last` (the box's caption or tooltip lists them all). */
function namesInShort(names: readonly string[]): string {
  return names.length <= 3 ? names.join(', ') : `${names[0]} … ${names[names.length - 1]}`;
}

/** How many arrows boxes of these blocks draw: between two boxes, and between a box and an address group. */
function arrowsOf(
  blocks: readonly number[][],
  N: number,
  between: ReadonlyMap<number, Bundle>,
  sources: ReadonlyArray<{ bundles: ReadonlyMap<number, Bundle> }>,
  destinations: ReadonlyArray<{ bundles: ReadonlyMap<number, Bundle> }>,
): number {
  const blockOf = new Int32Array(N).fill(-1);
  blocks.forEach((b, i) => b.forEach((n) => (blockOf[n] = i)));
  const pairs = new Set<number>();
  for (const k of between.keys()) {
    const a = blockOf[Math.floor(k / N)];
    const b = blockOf[k % N];
    if (a >= 0 && b >= 0 && a !== b) pairs.add(a * blocks.length + b);
  }
  let arrows = pairs.size;
  for (const g of [...sources, ...destinations]) arrows += new Set([...g.bundles.keys()].map((n) => blockOf[n])).size;
  return arrows;
}

/** The bundles between blocks of namespaces (key: source block × blocks + destination block), pairs inside a block on the diagonal. */
function blockBundles(blocks: readonly number[][], blockOf: Int32Array, between: ReadonlyMap<number, Bundle>): Map<number, Bundle> {
  const N = blockOf.length;
  const B = blocks.length;
  const out = new Map<number, Bundle>();
  // in key order, so that a block's answers are gathered in the same order however they were found
  for (const [k, bundle] of [...between].sort((p, q) => p[0] - q[0])) {
    const a = blockOf[Math.floor(k / N)];
    const b = blockOf[k % N];
    if (a < 0 || b < 0) continue;
    const key = a * B + b;
    let sum = out.get(key);
    if (!sum) out.set(key, (sum = new Bundle()));
    sum.merge(bundle);
  }
  return out;
}

/** An address group's bundles per namespace, summed per block. */
function bundlesByBlock(bundles: ReadonlyMap<number, Bundle>, blockOf: Int32Array): Map<number, Bundle> {
  const out = new Map<number, Bundle>();
  for (const [n, bundle] of [...bundles].sort((p, q) => p[0] - q[0])) {
    const b = blockOf[n];
    if (b < 0) continue;
    let sum = out.get(b);
    if (!sum) out.set(b, (sum = new Bundle()));
    sum.merge(bundle);
  }
  return out;
}

/**
 * Namespaces merged into one box where their connections are the same: the same arrows in and
 * out, to and from the same boxes and address groups, with the same distinct answers (so the
 * same ports and the same state: sure, or depending on something unknown). Two kinds of such
 * twins are merged: namespaces with nothing allowed between them, and namespaces that allow each
 * other exactly what each allows itself. Either way, every pair of namespaces under a merged
 * arrow has an arrow of its own with the same answers, and the merged arrow counts their pairs
 * of pod groups as a namespace box counts those of its groups. Repeated until nothing merges.
 *
 * If the boxes then still draw more than `maxEdges` arrows, each full mesh (three or more boxes
 * that each allow the others exactly what each allows itself, such as namespaces nobody
 * isolates) becomes one box, its arrows inside said in the box: the arrows of such a box count
 * the pairs of pod groups under them, as a namespace box does, though not every namespace in it
 * has each of them. That is the last step.
 *
 * `other namespaces` is never merged. Blocks are ordered by their first namespace's name.
 */
function mergeTwins(
  start: number[][],
  ns: Namespaces,
  between: ReadonlyMap<number, Bundle>,
  sources: ReadonlyArray<{ bundles: ReadonlyMap<number, Bundle> }>,
  destinations: ReadonlyArray<{ bundles: ReadonlyMap<number, Bundle> }>,
  maxEdges: number,
): { blocks: number[][]; meshed: boolean } {
  const N = ns.names.length;
  const other = (block: readonly number[]) => ns.names[block[0]] === OTHER_NAMESPACES;
  let blocks = start;
  for (;;) {
    const view = viewOf(blocks, ns, between, sources, destinations);
    const { self, outs, ins, externals } = view;
    const sorted = (xs: readonly string[]) => [...xs].sort(compareStrings).join(';');
    // the namespaces no policy names stand apart, and so do those asked for from those shown as other ends
    const fixed = blocks.map((b, i) => `${other(b) ? `other${i}` : ''}|${ns.inScope[b[0]]}|${sorted(externals[i])}`);
    // apart: no arrow between them, the same arrows elsewhere and the same answers within
    const apart = blocks.map((_, i) => `${fixed[i]}|${self[i]}|${sorted(outs[i])}|${sorted(ins[i])}`);
    // together: the arrows between them and within each are the same, and the same elsewhere
    const together = blocks.map((_, i) =>
      self[i] === '' ? '' : `${fixed[i]}|${sorted([...outs[i], `${i}=${self[i]}`])}|${sorted([...ins[i], `${i}=${self[i]}`])}`,
    );
    const groupOf = new Int32Array(blocks.length).fill(-1);
    let merges = 0;
    for (const keys of [apart, together]) {
      const byKey = new Map<string, number[]>();
      keys.forEach((key, i) => {
        if (key === '' || groupOf[i] >= 0) return;
        const list = byKey.get(key);
        if (list) list.push(i);
        else byKey.set(key, [i]);
      });
      for (const list of byKey.values()) {
        if (list.length < 2) continue;
        merges++;
        for (const i of list) groupOf[i] = list[0];
      }
    }
    if (merges === 0) break;
    blocks = regroup(blocks, groupOf);
  }
  if (arrowsOf(blocks, N, between, sources, destinations) <= maxEdges) return { blocks, meshed: false };

  // still past the limit: one box per full mesh, in order of the first namespace
  const { self, inBlocks } = viewOf(blocks, ns, between, sources, destinations);
  const B = blocks.length;
  const groupOf = new Int32Array(B).fill(-1);
  let meshes = 0;
  for (let i = 0; i < B; i++) {
    if (groupOf[i] >= 0 || self[i] === '' || other(blocks[i])) continue;
    const mesh = [i];
    for (let j = i + 1; j < B; j++) {
      if (groupOf[j] >= 0 || self[j] !== self[i] || other(blocks[j]) || ns.inScope[blocks[j][0]] !== ns.inScope[blocks[i][0]]) continue;
      if (mesh.every((m) => shapeOf(inBlocks, B, m, j) === self[i] && shapeOf(inBlocks, B, j, m) === self[i])) mesh.push(j);
    }
    if (mesh.length < 3) continue;
    meshes++;
    for (const m of mesh) groupOf[m] = i;
  }
  return meshes === 0 ? { blocks, meshed: false } : { blocks: regroup(blocks, groupOf), meshed: true };
}

/** What each block's arrows are: the distinct answers within it, out of it and into it (`block=answers`), and with address groups. */
function viewOf(
  blocks: readonly number[][],
  ns: Namespaces,
  between: ReadonlyMap<number, Bundle>,
  sources: ReadonlyArray<{ bundles: ReadonlyMap<number, Bundle> }>,
  destinations: ReadonlyArray<{ bundles: ReadonlyMap<number, Bundle> }>,
): { inBlocks: Map<number, Bundle>; self: string[]; outs: string[][]; ins: string[][]; externals: string[][] } {
  const B = blocks.length;
  const blockOf = new Int32Array(ns.names.length).fill(-1);
  blocks.forEach((b, i) => b.forEach((n) => (blockOf[n] = i)));
  const inBlocks = blockBundles(blocks, blockOf, between);
  const self: string[] = new Array<string>(B).fill('');
  const outs: string[][] = blocks.map(() => []);
  const ins: string[][] = blocks.map(() => []);
  for (const [k, bundle] of inBlocks) {
    const a = Math.floor(k / B);
    const b = k % B;
    const shape = bundle.shape();
    if (a === b) self[a] = shape;
    else {
      outs[a].push(`${b}=${shape}`);
      ins[b].push(`${a}=${shape}`);
    }
  }
  const externals: string[][] = blocks.map(() => []);
  const add = (tag: string, groups: ReadonlyArray<{ bundles: ReadonlyMap<number, Bundle> }>) =>
    groups.forEach((g, x) => {
      for (const [b, bundle] of bundlesByBlock(g.bundles, blockOf)) externals[b].push(`${tag}${x}=${bundle.shape()}`);
    });
  add('s', sources);
  add('d', destinations);
  return { inBlocks, self, outs, ins, externals };
}

/** Blocks joined where `groupOf` says (-1: alone), each sorted, ordered by their first namespace. */
function regroup(blocks: readonly number[][], groupOf: Int32Array): number[][] {
  const next = new Map<number, number[]>();
  blocks.forEach((b, i) => {
    const g = groupOf[i] >= 0 ? groupOf[i] : i;
    const list = next.get(g);
    if (list) for (const n of b) list.push(n);
    else next.set(g, [...b]);
  });
  return [...next.values()].map((b) => b.sort((x, y) => x - y)).sort((x, y) => x[0] - y[0]);
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
