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
 */
import type { Analysis } from '../../analysis/analysis';
import { AddressRange } from '../../model/address-range';
import { Reach } from '../../model/reach';
import { Endpoint, ExternalEndpoint } from '../../analysis/endpoint';
import { OTHER_NAMESPACES } from '../../analysis/picture';
import { AddressSet } from '../../model/address-set';
import { Workload } from '../../model/cluster';
import { NetpolError } from '../../model/errors';
import { compareBytes } from '../private/order';

/** A box in the drawing: a pod group, or a group of external addresses. */
export interface DiagramNode {
  /** An identifier safe in Mermaid and DOT: letters, digits and `_`, starting with a letter. */
  readonly id: string;
  /**
   * `workload` for a pod group; `source` and `destination` for external addresses, drawn apart
   * (sources on the left, destinations on the right) even when the addresses are the same.
   */
  readonly type: 'workload' | 'source' | 'destination';
  /** The text of the box, one entry per line. */
  readonly label: readonly string[];
  /** The full name: `ns/name` for a pod group, the addresses (`10.0.0.0/8; ::/0`) otherwise. */
  readonly name: string;
  /** The namespace of a pod group. */
  readonly namespace?: string;
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
}

/** Options of `buildDiagram`. */
export interface DiagramOptions {
  /**
   * Show only these namespaces' pod groups and what they talk to (pod groups elsewhere and
   * external addresses appear when they are the other end of an edge).
   * @default - every namespace
   */
  readonly namespaces?: readonly string[];
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
  const only = options.namespaces && options.namespaces.length > 0 ? new Set(options.namespaces) : undefined;
  if (only) {
    const known = new Set(analysis.workloads.map((w) => w.namespace));
    const missing = [...only].filter((n) => !known.has(n));
    if (missing.length > 0) {
      const have = [...known].sort(compareBytes);
      throw NetpolError.of(
        'diagram.namespace',
        '--namespace',
        `no pod group in namespace${missing.length > 1 ? 's' : ''} ${missing.map((n) => `"${n}"`).join(', ')}; namespaces with pod groups: ${have.join(', ') || '(none)'}`,
      );
    }
  }
  const inScope = (w: Workload) => !only || only.has(w.namespace);
  const ids = new SafeIds();

  // Pod groups, in drawing order: namespace, then name.
  const workloads = analysis.workloads
    .map((w) => ({ w, name: analysis.nameOf({ type: 'workload', workload: w }) }))
    .sort((a, b) => compareBytes(a.w.namespace, b.w.namespace) || compareBytes(a.name, b.name));
  const wEnd = (w: Workload): Endpoint => ({ type: 'workload', workload: w });
  const classOf = (w: Workload) => analysis.classOfWorkload(w).index;

  // Raw edges between pod groups (sets per pair of classes, computed once).
  const pairCache = new Map<string, Reach>();
  const between = (a: Workload, b: Workload): Reach => {
    const key = `${classOf(a)}|${classOf(b)}|${a.namespace === b.namespace}`;
    let s = pairCache.get(key);
    if (!s) pairCache.set(key, (s = analysis.classReach(classOf(a), classOf(b))));
    return s;
  };
  type Raw = { from: string; to: string; set: Reach };
  const raw: Raw[] = [];
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

  // External address groups: ranges that every in-scope pod group treats alike.
  const reps = new Map<number, Workload>();
  for (const x of workloads) if (inScope(x.w) && !reps.has(classOf(x.w))) reps.set(classOf(x.w), x.w);
  const groupRanges = (ranges: readonly AddressRange[], inbound: boolean) => {
    const groups = new Map<string, { ranges: AddressRange[]; sets: Map<number, Reach> }>();
    for (const range of ranges) {
      const x: ExternalEndpoint = { type: 'external', range, address: { family: range.family, value: range.first } };
      const sets = new Map<number, Reach>();
      for (const [c, w] of reps) {
        const s = inbound ? analysis.reach(x, wEnd(w)) : analysis.reach(wEnd(w), x);
        if (!s.isEmpty) sets.set(c, s);
      }
      if (sets.size === 0) continue;
      const key = [...sets].map(([c, s]) => `${c}:${s.key}`).join(';');
      const g = groups.get(key);
      if (g) g.ranges.push(range);
      else groups.set(key, { ranges: [range], sets });
    }
    return [...groups.values()].map((g) => ({ addresses: AddressSet.of(g.ranges), sets: g.sets }));
  };
  const sources = groupRanges(analysis.externalSources, true).sort((a, b) => AddressSet.compare(a.addresses, b.addresses));
  const destinations = groupRanges(analysis.externalDestinations, false).sort((a, b) => AddressSet.compare(a.addresses, b.addresses));
  const externalNode = (type: 'source' | 'destination', addresses: AddressSet, i: number): DiagramNode => ({
    id: ids.take(`${type === 'source' ? 'src' : 'dst'}${i + 1}`),
    type,
    // one ipBlock per line; where one has excepts, the next could read as more of them: mark it
    label: addresses.lines().map((l, i, all) => (i > 0 && all.some((x) => x.includes(' except ')) ? `+ ${l}` : l)),
    name: addresses.toString(),
    addresses,
  });
  const sourceNodes = sources.map((g, i) => externalNode('source', g.addresses, i));
  const destinationNodes = destinations.map((g, i) => externalNode('destination', g.addresses, i));
  const externals = [...sourceNodes, ...destinationNodes];
  sources.forEach((g, i) => {
    for (const x of workloads) {
      const s = inScope(x.w) ? g.sets.get(classOf(x.w)) : undefined;
      if (s) raw.push({ from: `src|${i}`, to: workloadKey(x.w), set: s });
    }
  });
  destinations.forEach((g, i) => {
    for (const x of workloads) {
      const s = inScope(x.w) ? g.sets.get(classOf(x.w)) : undefined;
      if (s) raw.push({ from: workloadKey(x.w), to: `dst|${i}`, set: s });
    }
  });

  // Nodes and namespaces.
  const nodeByKey = new Map<string, DiagramNode>();
  const nsNodes = new Map<string, DiagramNode[]>();
  for (const x of workloads) {
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
  sourceNodes.forEach((node, i) => nodeByKey.set(`src|${i}`, node));
  destinationNodes.forEach((node, i) => nodeByKey.set(`dst|${i}`, node));
  const nsIds = new Map([...nsNodes.keys()].map((n) => [n, ids.take(`ns_${n}`)]));

  // Fold edges that say the same thing into edges to or from namespace boxes.
  const set = new Map<string, Reach>();
  for (const r of raw) set.set(`${nodeByKey.get(r.from)!.id}>${nodeByKey.get(r.to)!.id}`, r.set);
  const covered = new Set<string>();
  const sameFor = (pairs: Array<[DiagramNode, DiagramNode]>): Reach | undefined => {
    let first: Reach | undefined;
    for (const [a, b] of pairs) {
      const k = `${a.id}>${b.id}`;
      const s = set.get(k);
      if (!s || covered.has(k)) return undefined;
      if (!first) first = s;
      else if (!s.equals(first)) return undefined;
    }
    return first;
  };
  const cover = (pairs: Array<[DiagramNode, DiagramNode]>) => pairs.forEach(([a, b]) => covered.add(`${a.id}>${b.id}`));
  const cross = (xs: readonly DiagramNode[], ys: readonly DiagramNode[]) =>
    xs.flatMap((a) => ys.map((b): [DiagramNode, DiagramNode] => [a, b]));
  const nsNames = [...nsNodes.keys()].sort(compareBytes);
  const within = new Map<string, string>();
  const edges: DiagramEdge[] = [];
  for (const m of nsNames) {
    const members = nsNodes.get(m)!;
    if (members.length < 2) continue;
    const pairs = cross(members, members);
    const s = sameFor(pairs);
    if (s) {
      within.set(m, s.toString());
      cover(pairs);
    }
  }
  for (const m of nsNames) {
    for (const n of nsNames) {
      const ms = nsNodes.get(m)!;
      const ns = nsNodes.get(n)!;
      if (m === n || (ms.length < 2 && ns.length < 2)) continue;
      const pairs = cross(ms, ns);
      const s = sameFor(pairs);
      if (!s) continue;
      // a namespace of one group is drawn as that group
      const from: DiagramEnd = ms.length === 1 ? { node: ms[0].id } : { namespace: nsIds.get(m)! };
      const to: DiagramEnd = ns.length === 1 ? { node: ns[0].id } : { namespace: nsIds.get(n)! };
      edges.push({ from, to, label: s.toString(), ...(s.isDefinite ? {} : { depends: true }) });
      cover(pairs);
    }
  }
  const allNodes = [...nsNames.flatMap((n) => nsNodes.get(n)!), ...externals];
  for (const a of allNodes) {
    for (const n of nsNames) {
      const ns = nsNodes.get(n)!;
      if (ns.length < 2 || a.namespace === n) continue;
      const pairs = cross([a], ns);
      const s = sameFor(pairs);
      if (!s) continue;
      edges.push({
        from: { node: a.id },
        to: { namespace: nsIds.get(n)! },
        label: s.toString(),
        ...(s.isDefinite ? {} : { depends: true }),
      });
      cover(pairs);
    }
  }
  for (const m of nsNames) {
    const ms = nsNodes.get(m)!;
    if (ms.length < 2) continue;
    for (const b of allNodes) {
      if (b.namespace === m) continue;
      const pairs = cross(ms, [b]);
      const s = sameFor(pairs);
      if (!s) continue;
      edges.push({
        from: { namespace: nsIds.get(m)! },
        to: { node: b.id },
        label: s.toString(),
        ...(s.isDefinite ? {} : { depends: true }),
      });
      cover(pairs);
    }
  }
  for (const a of allNodes) {
    for (const b of allNodes) {
      const k = `${a.id}>${b.id}`;
      const s = set.get(k);
      if (s && !covered.has(k))
        edges.push({ from: { node: a.id }, to: { node: b.id }, label: s.toString(), ...(s.isDefinite ? {} : { depends: true }) });
    }
  }
  const junctions = joinAtJunctions(edges, ids);
  const order = new Map<string, number>();
  for (const x of sourceNodes) order.set(x.id, order.size);
  for (const n of nsNames) {
    order.set(nsIds.get(n)!, order.size);
    for (const node of nsNodes.get(n)!) order.set(node.id, order.size);
  }
  for (const j of junctions) order.set(j, order.size);
  for (const x of destinationNodes) order.set(x.id, order.size);
  const pos = (e: DiagramEnd) => order.get(endId(e))!;
  edges.sort((x, y) => pos(x.from) - pos(y.from) || pos(x.to) - pos(y.to));

  const namespaces: DiagramNamespace[] = nsNames.map((n) => ({
    id: nsIds.get(n)!,
    name: n,
    label: [
      n === OTHER_NAMESPACES ? 'other namespaces' : `namespace ${n}`,
      ...(within.has(n) ? [`among its groups: ${within.get(n)!}`] : []),
    ],
    nodes: nsNodes.get(n)!,
    ...(within.has(n) ? { within: within.get(n)! } : {}),
  }));

  // The matrix: every pod group shown, then external sources (rows) or destinations (columns).
  const podNodes = nsNames.flatMap((n) => nsNodes.get(n)!);
  const rows = [...podNodes, ...sourceNodes];
  const cols = [...podNodes, ...destinationNodes];
  const cells = rows.map((r) => cols.map((c) => set.get(`${r.id}>${c.id}`)?.toString()));
  return { namespaces, externals, junctions, edges, matrix: { sources: rows, destinations: cols, cells } };
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

/**
 * Hands out identifiers made of letters, digits and `_` (at most 64 of them, plus a number
 * where two would be the same), each once, in constant time per identifier.
 */
class SafeIds {
  private readonly used = new Set<string>();
  private readonly next = new Map<string, number>();

  public take(wanted: string): string {
    const base =
      wanted
        .slice(0, 256)
        .replace(/[^A-Za-z0-9]+/g, '_')
        .slice(0, 64)
        .replace(/_+$/, '') || 'n';
    let id = base;
    for (let i = this.next.get(base) ?? 2; this.used.has(id); i++) {
      id = `${base}_${i}`;
      this.next.set(base, i + 1);
    }
    this.used.add(id);
    return id;
  }
}
