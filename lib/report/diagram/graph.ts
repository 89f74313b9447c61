/**
 * The graph behind every diagram format: who may talk to whom, as nodes (pod groups per
 * namespace, and groups of external addresses that the policies treat alike) and labelled
 * edges, plus the full source × destination matrix. Mermaid, DOT, SVG and HTML all draw this
 * one structure, so they always agree.
 *
 * To keep a drawing readable, edges that say the same thing are drawn once: when every group
 * of a namespace gets the same connections, the edge goes to (or from) the namespace's box, and
 * a namespace whose groups may all reach each other alike says so in its title. The matrix
 * keeps every pair.
 *
 * Past a readable size (`DEFAULT_MAX_GROUPS` pod groups) the diagram is folded: one box per
 * namespace (see `fold.ts`), and the picture says so. Past `DEFAULT_MAX_EDGES` arrows between
 * those boxes, namespaces with the same connections share a box, and the picture says that too.
 */
import type { Analysis } from '../../analysis/analysis';
import { AddressRange } from '../../model/address-range';
import { Reach } from '../../model/reach';
import { Endpoint, ExternalEndpoint } from '../../analysis/endpoint';
import { OTHER_NAMESPACES } from '../../analysis/picture';
import { AddressSet } from '../../model/address-set';
import { Workload } from '../../model/cluster';
import { NetpolError } from '../../model/errors';
import { compareStrings } from '../../model/order';
import { foldedDiagram } from './fold';
import { plural, SafeIds } from './private/ids';
import { oneOf, wholeNumber } from '../private/options';

/** A box in the drawing: a pod group, or a group of external addresses. */
export interface DiagramNode {
  /** An identifier safe in Mermaid and DOT: letters, digits and `_`, starting with a letter. */
  readonly id: string;
  /**
   * `workload` for a pod group; `namespace` for every pod group of a namespace in one box (in a
   * folded diagram); `source` and `destination` for external addresses, drawn apart (sources on
   * the left, destinations on the right) even when the addresses are the same.
   */
  readonly type: 'workload' | 'namespace' | 'source' | 'destination';
  /** The text of the box, one entry per line. */
  readonly label: readonly string[];
  /**
   * The full name: `ns/name` for a pod group, the namespace's name for a namespace box, the
   * addresses (`10.0.0.0/8; ::/0`) otherwise.
   */
  readonly name: string;
  /** The namespace of a pod group or namespace box (not of a box of several namespaces). */
  readonly namespace?: string;
  /**
   * In a box of several namespaces with the same connections (a folded diagram's `merged`
   * boxes): their names, sorted. The box's `name` is then these names joined by `, `, and its
   * label says how many there are and the first and last.
   * @default - one namespace, or none
   */
  readonly members?: readonly string[];
  /** The addresses of an external node. */
  readonly addresses?: AddressSet;
}

/** A namespace: a box around its pod groups. */
export interface DiagramNamespace {
  /** A safe identifier, as for nodes. */
  readonly id: string;
  readonly name: string;
  /**
   * The title of its box, one entry per line: `namespace shop` (`other namespaces` for the
   * namespace that stands for those the policies do not name), then the `within` connections.
   */
  readonly label: readonly string[];
  /** Its pod groups, sorted by name. */
  readonly nodes: readonly DiagramNode[];
  /**
   * What every group of the namespace may open to every group of it (itself included), when
   * that is the same for all of them and not empty; those pairs then have no edges.
   * @default - the pairs inside the namespace are drawn as edges
   */
  readonly within?: string;
}

/**
 * One end of an edge: a node, a namespace's box (standing for every group in it), or a
 * junction (a dot where several sources meet several destinations).
 */
export type DiagramEnd = { readonly node: string } | { readonly namespace: string } | { readonly junction: string };

/**
 * An arrow: the source may open connections to the destination on these protocols and ports.
 * Arrows into a junction carry no label; each source of a junction may reach each of its
 * destinations on the label of the arrow out of it.
 */
export interface DiagramEdge {
  readonly from: DiagramEnd;
  readonly to: DiagramEnd;
  /**
   * The allowed connections, as `Reach.toString()`: `TCP 80,443`, `All Connections`, with what
   * depends on something unknown after `; ` (`TCP metrics`, `TCP 8080 if source IP in 10.0.0.0/8`).
   * @default - none, on an arrow into a junction
   */
  readonly label?: string;
  /**
   * True if part of what the edge allows depends on something unknown (drawn dashed).
   * @default false
   */
  readonly depends?: boolean;
}

/** Every pair, for the table: rows are sources, columns destinations. */
export interface DiagramMatrix {
  readonly sources: readonly DiagramNode[];
  readonly destinations: readonly DiagramNode[];
  /** `cells[row][column]`: what is allowed, or undefined when nothing is. */
  readonly cells: ReadonlyArray<ReadonlyArray<string | undefined>>;
}

/**
 * How a diagram was folded: every pod group of a namespace in one box, and, past
 * `maxEdges` arrows, namespaces with the same connections in one box.
 */
export interface DiagramFolding {
  /**
   * The boxes (nodes of type `namespace`), sorted by the name of their (first) namespace; a box
   * of several namespaces lists them in `members`.
   */
  readonly boxes: readonly DiagramNode[];
  /** How many namespaces were folded (as many as boxes, unless some were merged). */
  readonly namespaces: number;
  /** How many pod groups are inside the boxes. */
  readonly podGroups: number;
  /**
   * The line the picture shows and the CLI prints on stderr: `folded: 200 namespaces, 2,000 pod
   * groups in one box per namespace (more than 100 pod groups); use --fold none ...`, saying
   * also how many namespaces were merged into how many boxes when some were.
   */
  readonly caption: string;
  /**
   * Set when namespaces with the same connections share boxes: how many namespaces are in
   * boxes of several, and how many such boxes there are.
   * @default - one box per namespace
   */
  readonly merged?: { readonly namespaces: number; readonly boxes: number };
}

/** The graph of `buildDiagram`. */
export interface Diagram {
  /** Namespaces with at least one group shown, sorted by name. */
  readonly namespaces: readonly DiagramNamespace[];
  /** External address groups: sources, then destinations, each in address order. */
  readonly externals: readonly DiagramNode[];
  /** Junction identifiers. */
  readonly junctions: readonly string[];
  /** Edges, sorted by source then destination in drawing order. */
  readonly edges: readonly DiagramEdge[];
  readonly matrix: DiagramMatrix;
  /**
   * Set when the pod groups are folded into one box per namespace: `namespaces` and `junctions`
   * are then empty, the boxes are here, and each edge between boxes is labelled `N flows: ...`
   * (pairs of pod groups with something allowed, and what at least one of them allows), with
   * `, K depend` and drawn dashed when K of those pairs depend on something unknown. The matrix
   * is by namespace.
   * @default - every pod group is drawn
   */
  readonly folded?: DiagramFolding;
}

/** When `buildDiagram` folds namespaces into one box each, and merges those with the same connections. */
export type DiagramFold = 'auto' | 'none' | 'namespaces' | 'merge';

/** The folding modes, in the order the CLI lists them. */
export const DIAGRAM_FOLDS: readonly DiagramFold[] = ['auto', 'none', 'namespaces', 'merge'];

/**
 * The most pod groups `buildDiagram` draws one by one before it folds (`fold: 'auto'`): past
 * about a hundred boxes and their edges, a drawing is unreadable, Mermaid refuses to render
 * (its default limit is 500 edges) and Graphviz's layout takes minutes.
 */
export const DEFAULT_MAX_GROUPS = 100;

/**
 * The most arrows (between namespace boxes, and to and from address groups) a folded diagram
 * draws with one box per namespace before `fold: 'auto'` merges namespaces with the same
 * connections: Mermaid refuses to draw more than 500 edges (its `maxEdges` setting, default
 * 500, in mermaid's config.schema.yaml), and a picture of this many arrows is past reading anyway.
 */
export const DEFAULT_MAX_EDGES = 300;

/** Options of `buildDiagram`. */
export interface DiagramOptions {
  /**
   * Show only these namespaces' pod groups and what they talk to (pod groups elsewhere and
   * external addresses appear when they are the other end of an edge).
   * @default - every namespace
   */
  readonly namespaces?: readonly string[];
  /**
   * `auto` folds every namespace into one box when more than `maxGroups` pod groups would be
   * drawn, and then merges namespaces with the same connections into one box when those boxes
   * would have more than `maxEdges` arrows; `namespaces` always folds and never merges; `merge`
   * always folds and merges; `none` never folds.
   * @default 'auto'
   */
  readonly fold?: DiagramFold;
  /**
   * The most pod groups drawn one by one with `fold: 'auto'`.
   * @default DEFAULT_MAX_GROUPS
   */
  readonly maxGroups?: number;
  /**
   * The most arrows between one box per namespace (and address groups) with `fold: 'auto'`
   * before namespaces with the same connections are merged.
   * @default DEFAULT_MAX_EDGES
   */
  readonly maxEdges?: number;
}

/**
 * The diagram of an analysis. Pod groups are the analysis's workloads; external addresses
 * are grouped where every pod group gets the same connections from them (as sources) or to
 * them (as destinations), and a source group and a destination group with the same addresses
 * are one node. A pod group's connections to itself (between its own pods) count.
 *
 * @example
 * const d = buildDiagram(analyze(policies, clusterPicture(policies)));
 * process.stdout.write(formatMermaid(d));
 */
export function buildDiagram(analysis: Analysis, options: DiagramOptions = {}): Diagram {
  const only = scopeOf(analysis, options);
  const fold = oneOf('diagram.fold', 'fold', 'folding', options.fold ?? 'auto', DIAGRAM_FOLDS);
  const maxGroups = wholeNumber('diagram.max-groups', 'maxGroups', 'the most pod groups to draw', options.maxGroups ?? DEFAULT_MAX_GROUPS);
  const maxEdges = wholeNumber('diagram.max-edges', 'maxEdges', 'the most arrows to draw', options.maxEdges ?? DEFAULT_MAX_EDGES);
  if (fold === 'namespaces') return foldedDiagram(analysis, only, 'asked for');
  if (fold === 'merge') return foldedDiagram(analysis, only, 'asked for', { always: true, maxEdges });
  if (fold === 'auto') {
    const groups = groupsToDraw(analysis, only);
    if (groups > maxGroups) {
      return foldedDiagram(analysis, only, `more than ${plural(maxGroups, 'pod group')}`, { always: false, maxEdges });
    }
  }
  const inScope = (w: Workload) => !only || only.has(w.namespace);
  const ids = new SafeIds();
  const groups = podGroups(analysis);
  const { raw, shown } = podEdges(analysis, groups, inScope);
  const external = externalNodes(analysis, groups, inScope, ids);
  raw.push(...externalEdges(groups, external, inScope));
  const layout = placeNodes(groups, shown, external, ids);
  const set = new Map<string, Reach>();
  for (const r of raw) set.set(`${layout.nodeByKey.get(r.from)!.id}>${layout.nodeByKey.get(r.to)!.id}`, r.set);
  const { edges, within } = foldEdges(set, layout, [...external.sourceNodes, ...external.destinationNodes]);
  const junctions = joinAtJunctions(edges, ids);
  sortEdges(edges, layout, external, junctions);
  const namespaces: DiagramNamespace[] = layout.nsNames.map((n) => ({
    id: layout.nsIds.get(n)!,
    name: n,
    label: [
      n === OTHER_NAMESPACES ? 'other namespaces' : `namespace ${n}`,
      ...(within.has(n) ? [`among its groups: ${within.get(n)!}`] : []),
    ],
    nodes: layout.nsNodes.get(n)!,
    ...(within.has(n) ? { within: within.get(n)! } : {}),
  }));
  const externals = [...external.sourceNodes, ...external.destinationNodes];
  return { namespaces, externals, junctions, edges, matrix: matrixOf(set, layout, external) };
}

/** The namespaces to show, or undefined for all; throws for one without pod groups. */
function scopeOf(analysis: Analysis, options: DiagramOptions): Set<string> | undefined {
  const only = options.namespaces && options.namespaces.length > 0 ? new Set(options.namespaces) : undefined;
  if (!only) return undefined;
  const known = new Set(analysis.workloads.map((w) => w.namespace));
  const missing = [...only].filter((n) => !known.has(n));
  if (missing.length > 0) {
    const have = [...known].sort(compareStrings);
    throw NetpolError.of(
      'diagram.namespace',
      'namespaces',
      `no pod group in namespace${missing.length > 1 ? 's' : ''} ` +
        `${missing.map((n) => `"${n}"`).join(', ')}; namespaces with pod groups: ${have.join(', ') || '(none)'}`,
    );
  }
  return only;
}

/**
 * How many pod groups the unfolded diagram draws: those of the namespaces asked for, and those
 * elsewhere with something allowed to or from one of them (whose namespaces differ, so the answer
 * between their classes is the answer between them).
 */
function groupsToDraw(analysis: Analysis, only: ReadonlySet<string> | undefined): number {
  if (!only) return analysis.workloads.length;
  const inside = new Set<number>();
  let groups = 0;
  for (const w of analysis.workloads) {
    if (!only.has(w.namespace)) continue;
    groups++;
    inside.add(analysis.classOfWorkload(w).index);
  }
  const partner = new Set<number>();
  for (const c of analysis.classes) {
    for (const i of inside) {
      if (!analysis.classReach(i, c.index).isEmpty || !analysis.classReach(c.index, i).isEmpty) {
        partner.add(c.index);
        break;
      }
    }
  }
  for (const c of partner) for (const w of analysis.classes[c].workloads) if (!only.has(w.namespace)) groups++;
  return groups;
}

/** The pod groups of an analysis in drawing order (namespace, then name), with their classes. */
interface PodGroups {
  readonly workloads: ReadonlyArray<{ readonly w: Workload; readonly name: string }>;
  readonly classOf: (w: Workload) => number;
}

function podGroups(analysis: Analysis): PodGroups {
  const workloads = analysis.workloads
    .map((w) => ({ w, name: analysis.nameOf({ type: 'workload', workload: w }) }))
    .sort((a, b) => compareStrings(a.w.namespace, b.w.namespace) || compareStrings(a.name, b.name));
  return { workloads, classOf: (w: Workload) => analysis.classOfWorkload(w).index };
}

/** An edge before drawing: node keys (`workloadKey`, `src|i`, `dst|i`) and what it allows. */
type RawEdge = { from: string; to: string; set: Reach };

/** The edges between pod groups (one set per pair of classes, computed once) and the groups they show. */
function podEdges(analysis: Analysis, groups: PodGroups, inScope: (w: Workload) => boolean): { raw: RawEdge[]; shown: Set<Workload> } {
  const { workloads, classOf } = groups;
  const pairCache = new Map<string, Reach>();
  const between = (a: Workload, b: Workload): Reach => {
    const key = `${classOf(a)}|${classOf(b)}|${a.namespace === b.namespace}`;
    let s = pairCache.get(key);
    if (!s) {
      const r = analysis.classReach(classOf(a), classOf(b));
      pairCache.set(key, (s = a.namespace === b.namespace ? r.forSharedNamespace() : r));
    }
    return s;
  };
  const raw: RawEdge[] = [];
  const shown = new Set<Workload>(workloads.filter((x) => inScope(x.w)).map((x) => x.w));
  for (const a of workloads) {
    for (const b of workloads) {
      if (!inScope(a.w) && !inScope(b.w)) continue;
      const set = between(a.w, b.w);
      if (set.isEmpty) continue;
      shown.add(a.w);
      shown.add(b.w);
      raw.push({ from: workloadKey(a.w), to: workloadKey(b.w), set });
    }
  }
  return { raw, shown };
}

/** Addresses that every in-scope pod group treats alike, with what each class gets from or to them. */
type AddressGroup = { addresses: AddressSet; sets: Map<number, Reach> };

/** The external address groups (sources and destinations, in address order) and their nodes. */
interface ExternalNodes {
  readonly sources: readonly AddressGroup[];
  readonly destinations: readonly AddressGroup[];
  readonly sourceNodes: readonly DiagramNode[];
  readonly destinationNodes: readonly DiagramNode[];
}

function externalNodes(analysis: Analysis, groups: PodGroups, inScope: (w: Workload) => boolean, ids: SafeIds): ExternalNodes {
  const reps = new Map<number, Workload>();
  for (const x of groups.workloads) if (inScope(x.w) && !reps.has(groups.classOf(x.w))) reps.set(groups.classOf(x.w), x.w);
  const byAddress = (a: AddressGroup, b: AddressGroup) => AddressSet.compare(a.addresses, b.addresses);
  const sources = groupRanges(analysis, analysis.externalSources, reps, true).sort(byAddress);
  const destinations = groupRanges(analysis, analysis.externalDestinations, reps, false).sort(byAddress);
  const node = (type: 'source' | 'destination', addresses: AddressSet, i: number): DiagramNode => ({
    id: ids.take(`${type === 'source' ? 'src' : 'dst'}${i + 1}`),
    type,
    // one ipBlock per line; where one has excepts, the next could read as more of them: mark it
    label: addresses.lines().map((l, i, all) => (i > 0 && all.some((x) => x.includes(' except ')) ? `+ ${l}` : l)),
    name: addresses.toString(),
    addresses,
  });
  const sourceNodes = sources.map((g, i) => node('source', g.addresses, i));
  const destinationNodes = destinations.map((g, i) => node('destination', g.addresses, i));
  return { sources, destinations, sourceNodes, destinationNodes };
}

/** Ranges grouped by what every class (through its representative) gets from them or to them. */
function groupRanges(analysis: Analysis, ranges: readonly AddressRange[], reps: Map<number, Workload>, inbound: boolean): AddressGroup[] {
  const groups = new Map<string, { ranges: AddressRange[]; sets: Map<number, Reach> }>();
  for (const range of ranges) {
    const x: ExternalEndpoint = { type: 'external', range, address: { family: range.family, value: range.first } };
    const sets = new Map<number, Reach>();
    for (const [c, w] of reps) {
      const end: Endpoint = { type: 'workload', workload: w };
      const s = inbound ? analysis.reach(x, end) : analysis.reach(end, x);
      if (!s.isEmpty) sets.set(c, s);
    }
    if (sets.size === 0) continue;
    const key = [...sets].map(([c, s]) => `${c}:${s.key}`).join(';');
    const g = groups.get(key);
    if (g) g.ranges.push(range);
    else groups.set(key, { ranges: [range], sets });
  }
  return [...groups.values()].map((g) => ({ addresses: AddressSet.of(g.ranges), sets: g.sets }));
}

/** The edges from external sources to in-scope pod groups and from them to external destinations. */
function externalEdges(groups: PodGroups, external: ExternalNodes, inScope: (w: Workload) => boolean): RawEdge[] {
  const raw: RawEdge[] = [];
  external.sources.forEach((g, i) => {
    for (const x of groups.workloads) {
      const s = inScope(x.w) ? g.sets.get(groups.classOf(x.w)) : undefined;
      if (s) raw.push({ from: `src|${i}`, to: workloadKey(x.w), set: s });
    }
  });
  external.destinations.forEach((g, i) => {
    for (const x of groups.workloads) {
      const s = inScope(x.w) ? g.sets.get(groups.classOf(x.w)) : undefined;
      if (s) raw.push({ from: workloadKey(x.w), to: `dst|${i}`, set: s });
    }
  });
  return raw;
}

/** The nodes shown: by raw key, per namespace (in drawing order), and the namespaces' ids. */
interface Layout {
  readonly nodeByKey: ReadonlyMap<string, DiagramNode>;
  readonly nsNodes: ReadonlyMap<string, DiagramNode[]>;
  readonly nsIds: ReadonlyMap<string, string>;
  /** The namespaces shown, sorted. */
  readonly nsNames: readonly string[];
}

function placeNodes(groups: PodGroups, shown: Set<Workload>, external: ExternalNodes, ids: SafeIds): Layout {
  const nodeByKey = new Map<string, DiagramNode>();
  const nsNodes = new Map<string, DiagramNode[]>();
  for (const x of groups.workloads) {
    if (!shown.has(x.w)) continue;
    const short = x.name.slice(x.w.namespace.length + 1);
    const node: DiagramNode = {
      id: ids.take(`w_${x.w.namespace}_${short}`),
      type: 'workload',
      label: [short],
      name: x.name,
      namespace: x.w.namespace,
    };
    nodeByKey.set(workloadKey(x.w), node);
    const list = nsNodes.get(x.w.namespace);
    if (list) list.push(node);
    else nsNodes.set(x.w.namespace, [node]);
  }
  external.sourceNodes.forEach((node, i) => nodeByKey.set(`src|${i}`, node));
  external.destinationNodes.forEach((node, i) => nodeByKey.set(`dst|${i}`, node));
  const nsIds = new Map([...nsNodes.keys()].map((n) => [n, ids.take(`ns_${n}`)]));
  return { nodeByKey, nsNodes, nsIds, nsNames: [...nsNodes.keys()].sort(compareStrings) };
}

/**
 * Edges that say the same thing, folded into edges to or from namespace boxes: first the pairs
 * inside a namespace (its title), then namespace to namespace, node to namespace, namespace to
 * node; what is left is drawn node to node.
 */
function foldEdges(
  set: ReadonlyMap<string, Reach>,
  layout: Layout,
  externals: readonly DiagramNode[],
): { edges: DiagramEdge[]; within: Map<string, string> } {
  const fold = new Folding(set);
  const { nsNodes, nsIds, nsNames } = layout;
  const within = new Map<string, string>();
  for (const m of nsNames) {
    const members = nsNodes.get(m)!;
    if (members.length < 2) continue;
    const s = fold.take(cross(members, members));
    if (s) within.set(m, s.toString());
  }
  // a namespace of one group is drawn as that group
  const box = (n: string): DiagramEnd => (nsNodes.get(n)!.length === 1 ? { node: nsNodes.get(n)![0].id } : { namespace: nsIds.get(n)! });
  for (const m of nsNames) {
    for (const n of nsNames) {
      if (m === n || (nsNodes.get(m)!.length < 2 && nsNodes.get(n)!.length < 2)) continue;
      fold.draw(box(m), box(n), cross(nsNodes.get(m)!, nsNodes.get(n)!));
    }
  }
  const allNodes = [...nsNames.flatMap((n) => nsNodes.get(n)!), ...externals];
  const boxes = nsNames.filter((n) => nsNodes.get(n)!.length >= 2);
  for (const a of allNodes) {
    for (const n of boxes) if (a.namespace !== n) fold.draw({ node: a.id }, { namespace: nsIds.get(n)! }, cross([a], nsNodes.get(n)!));
  }
  for (const m of boxes) {
    for (const b of allNodes) if (b.namespace !== m) fold.draw({ namespace: nsIds.get(m)! }, { node: b.id }, cross(nsNodes.get(m)!, [b]));
  }
  for (const a of allNodes) for (const b of allNodes) fold.draw({ node: a.id }, { node: b.id }, [[a, b]]);
  return { edges: fold.edges, within };
}

/** Every pair of a node of `xs` and a node of `ys`. */
function cross(xs: readonly DiagramNode[], ys: readonly DiagramNode[]): Array<[DiagramNode, DiagramNode]> {
  return xs.flatMap((a) => ys.map((b): [DiagramNode, DiagramNode] => [a, b]));
}

/** The node-to-node sets, the pairs an edge already covers, and the edges drawn. */
class Folding {
  public readonly edges: DiagramEdge[] = [];
  private readonly covered = new Set<string>();

  constructor(private readonly set: ReadonlyMap<string, Reach>) {}

  /** What every pair allows when that is the same and none is covered yet, covering them; else undefined. */
  public take(pairs: Array<[DiagramNode, DiagramNode]>): Reach | undefined {
    let first: Reach | undefined;
    for (const [a, b] of pairs) {
      const k = `${a.id}>${b.id}`;
      const s = this.set.get(k);
      if (!s || this.covered.has(k)) return undefined;
      if (!first) first = s;
      else if (!s.equals(first)) return undefined;
    }
    for (const [a, b] of pairs) this.covered.add(`${a.id}>${b.id}`);
    return first;
  }

  /** Draws one edge from `from` to `to` for `pairs` when they all allow the same (see `take`). */
  public draw(from: DiagramEnd, to: DiagramEnd, pairs: Array<[DiagramNode, DiagramNode]>): void {
    const s = this.take(pairs);
    if (s) this.edges.push({ from, to, label: s.toString(), ...(s.isDefinite ? {} : { depends: true }) });
  }
}

/** Sorts edges by source, then destination, in drawing order: sources, namespaces and their groups, junctions, destinations. */
function sortEdges(edges: DiagramEdge[], layout: Layout, external: ExternalNodes, junctions: readonly string[]): void {
  const order = new Map<string, number>();
  for (const x of external.sourceNodes) order.set(x.id, order.size);
  for (const n of layout.nsNames) {
    order.set(layout.nsIds.get(n)!, order.size);
    for (const node of layout.nsNodes.get(n)!) order.set(node.id, order.size);
  }
  for (const j of junctions) order.set(j, order.size);
  for (const x of external.destinationNodes) order.set(x.id, order.size);
  const pos = (e: DiagramEnd) => order.get(endId(e))!;
  edges.sort((x, y) => pos(x.from) - pos(y.from) || pos(x.to) - pos(y.to));
}

/** The matrix: every pod group shown, then external sources (rows) or destinations (columns). */
function matrixOf(set: ReadonlyMap<string, Reach>, layout: Layout, external: ExternalNodes): DiagramMatrix {
  const podNodes = layout.nsNames.flatMap((n) => layout.nsNodes.get(n)!);
  const rows = [...podNodes, ...external.sourceNodes];
  const cols = [...podNodes, ...external.destinationNodes];
  const cells = rows.map((r) => cols.map((c) => set.get(`${r.id}>${c.id}`)?.toString()));
  return { sources: rows, destinations: cols, cells };
}

/** The identifier an end refers to. */
export function endId(e: DiagramEnd): string {
  return 'node' in e ? e.node : 'namespace' in e ? e.namespace : e.junction;
}

/**
 * Replaces each large block of edges "every source of S reaches every destination of T, each
 * destination on one label" by S → junction → T, which draws |S| + |T| arrows instead of
 * |S| × |T|. Greedy: the block that saves the most arrows first, until none saves two or more.
 * Edges from a node to itself stay as they are. Returns the junctions made, in order.
 */
function joinAtJunctions(edges: DiagramEdge[], ids: SafeIds): string[] {
  const junctions: string[] = [];
  const dependent = new Set(edges.filter((e) => e.depends && e.label !== undefined).map((e) => e.label!));
  const MAX_ENDS = 200; // past this, the search costs more than the drawing gains
  for (;;) {
    const out = new Map<string, Map<string, string>>();
    const ends = new Map<string, DiagramEnd>();
    for (const e of edges) {
      if (e.label === undefined || 'junction' in e.from || 'junction' in e.to || endId(e.from) === endId(e.to)) continue;
      const f = endId(e.from);
      ends.set(f, e.from);
      ends.set(endId(e.to), e.to);
      let m = out.get(f);
      if (!m) out.set(f, (m = new Map()));
      m.set(endId(e.to), e.label);
    }
    const srcs = [...out.keys()];
    if (srcs.length < 2 || srcs.length > MAX_ENDS) return junctions;
    let best: { s: string[]; t: string[]; saves: number } | undefined;
    const consider = (t: string[], labels: Map<string, string>) => {
      if (t.length < 2) return;
      const s = srcs.filter((x) => t.every((d) => out.get(x)!.get(d) === labels.get(d)));
      const saves = s.length * t.length - s.length - t.length;
      if (s.length >= 2 && saves >= 2 && (!best || saves > best.saves)) best = { s, t, saves };
    };
    for (let i = 0; i < srcs.length; i++) {
      const a = out.get(srcs[i])!;
      for (let j = i + 1; j < srcs.length; j++) {
        const b = out.get(srcs[j])!;
        consider(
          [...a.keys()].filter((d) => b.get(d) === a.get(d)),
          a,
        );
      }
    }
    if (!best) return junctions;
    const { s, t } = best;
    const junction = ids.take(`j${junctions.length + 1}`);
    junctions.push(junction);
    const drop = new Set(s.flatMap((a) => t.map((b) => `${a}>${b}`)));
    const labels = new Map(t.map((d) => [d, out.get(s[0])!.get(d)!]));
    const kept = edges.filter((e) => !drop.has(`${endId(e.from)}>${endId(e.to)}`));
    edges.length = 0;
    for (const e of kept) edges.push(e);
    for (const a of s) edges.push({ from: ends.get(a)!, to: { junction } });
    for (const b of t) {
      const label = labels.get(b)!;
      edges.push({ from: { junction }, to: ends.get(b)!, label, ...(dependent.has(label) ? { depends: true } : {}) });
    }
  }
}

function workloadKey(w: Workload): string {
  return `w|${w.namespace}|${w.name}|${w.kind}`;
}
