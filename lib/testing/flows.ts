/**
 * Flow statements — `'wordpress -> mysql TCP 3306'` — and the comparison of a list of them with
 * what the policies allow: the heart of `toAllowExactly`.
 *
 * The flows compared are those between the pod groups and the addresses outside the cluster
 * with at least one end in a namespace under test; flows between two other namespaces, or from
 * addresses to addresses, are not the target's business. A statement stands for every pair of
 * its two ends (`*`, `ns/*`, `outside` and address blocks name many); a pair listed by several
 * statements is expected to allow their union. What depends on something unknown is a flow
 * too, and a statement says so: a port name (`TCP metrics`, the port the destination names so)
 * or a condition (`TCP 8080 if source IP in 10.0.0.0/8`). For each pair, a statement reads with
 * what is known of it: a port name of a destination whose container ports are known is its
 * number, a condition on a known fact holds or not. Printing goes the other way: pairs with
 * equal connections are gathered under the fewest names that say exactly those pairs.
 */
import { Endpoint } from '../analysis/endpoint';
import { endNames, Explanation } from '../analysis/explanation';
import { OTHER_PODS } from '../analysis/picture';
import { AddressRange } from '../model/address-range';
import { AddressSet, cutAddressSpace } from '../model/address-set';
import { portsKnown } from '../model/cluster';
import { Condition, EndNames } from '../model/condition';
import { ConnectionSet } from '../model/connection-set';
import { Issue, NetpolError } from '../model/errors';
import { decideCondition, EndKnowledge } from '../model/knowledge';
import { compareStrings } from '../model/order';
import { Reach } from '../model/reach';
import type { EndpointSet, FlowModel, PodGroup } from './model';
import { firstPort, formatReach, parseConnections } from './private/connections';
import { ALL_NAME, OUTSIDE_NAME } from './private/names';

/** The outcome of comparing the allowed flows with a list of flow statements. */
export interface FlowComparison {
  /** True if the policies allow exactly the listed flows. */
  readonly pass: boolean;
  /** Listed, but nothing of it is allowed, not even on a condition: `web -> db TCP 3306`. */
  readonly missing: readonly string[];
  /** Allowed (or depending on something unknown), but not listed: `app -> db TCP 3306`. */
  readonly extra: readonly string[];
  /** Allowed, but otherwise than listed: `web -> app: listed TCP 80, allowed TCP 8080`. */
  readonly otherPorts: readonly string[];
  /** Every allowed flow, as statements that pass when listed (`FlowModel.flows()`). */
  readonly allowed: readonly string[];
  /** Why the first flow of each kind of difference is allowed, denied or depends. */
  readonly explanations: readonly Explanation[];
}

/**
 * One end of a pair: a pod group, a piece of the address space that the policies treat alike,
 * or a domain name (a destination only).
 */
interface FlowNode {
  readonly group?: PodGroup;
  readonly piece?: AddressRange;
  readonly domain?: string;
}

/**
 * The ends flows are counted between: every pod group, the address space cut into pieces
 * that every ipBlock of the policies (and every address block of the statements, and of their
 * conditions) holds whole, and the domain names of the model and of the statements, as
 * destinations.
 */
export class FlowSpace {
  /**
   * The pod groups (first, in the model's order), then the address pieces (in address order),
   * then the domain names (sorted).
   */
  public readonly nodes: readonly FlowNode[];
  /** How many of `nodes` are pod groups. */
  public readonly groupCount: number;
  /** The index of the first domain name in `nodes` (their count when there is none). */
  public readonly domainStart: number;
  private readonly cache = new Map<number, Reach>();
  private cachedWildcards?: ReturnType<FlowSpace['wildcards']>;

  constructor(
    public readonly model: FlowModel,
    extra: readonly AddressRange[],
    extraDomains: readonly string[] = [],
  ) {
    const a = model.analysis;
    const pieces = cutAddressSpace([...a.externalSources, ...a.externalDestinations, ...extra]);
    const domains = [...new Set([...model.domains, ...extraDomains])].sort(compareStrings);
    this.nodes = [
      ...model.groups.map((group) => ({ group })),
      ...pieces.map((piece) => ({ piece })),
      ...domains.map((domain) => ({ domain })),
    ];
    this.groupCount = model.groups.length;
    this.domainStart = this.groupCount + pieces.length;
  }

  /** True if the node is a pod group of a namespace under test. */
  public underTest(i: number): boolean {
    return this.nodes[i].group?.underTest ?? false;
  }

  /**
   * True if the pair takes part in the comparison: not two addresses, at least one end under
   * test, and not a lone pod (a `Pod` read from manifests) to itself.
   */
  public counts(i: number, j: number): boolean {
    if (!this.nodes[i].group && !this.nodes[j].group) return false;
    if (!this.underTest(i) && !this.underTest(j)) return false;
    return this.pairable(i, j);
  }

  /**
   * False for two ends outside the cluster, a domain name as the source, and a lone pod to
   * itself, which NetworkPolicy does not govern.
   */
  public pairable(i: number, j: number): boolean {
    if (!this.nodes[i].group && !this.nodes[j].group) return false;
    if (this.nodes[i].domain !== undefined) return false;
    const w = this.nodes[i].group?.workload;
    return !(i === j && w !== undefined && w.kind === 'Pod' && !w.selector);
  }

  /** The nodes an endpoint set stands for. */
  public expand(set: EndpointSet): number[] {
    const out = set.groups.map((g) => this.model.groups.indexOf(g));
    if (set.addresses.length > 0) {
      const addresses = AddressSet.of(set.addresses);
      for (let i = this.groupCount; i < this.domainStart; i++) if (addresses.contains(this.nodes[i].piece!)) out.push(i);
    }
    // `outside` holds every domain name of the space, those that statements name included
    const domains = set.text === OUTSIDE_NAME ? undefined : new Set(set.domains);
    for (let i = this.domainStart; i < this.nodes.length; i++) if (!domains || domains.has(this.nodes[i].domain!)) out.push(i);
    return out;
  }

  /** The node as an analysis endpoint (a piece by its first address). */
  public endpoint(i: number): Endpoint {
    const n = this.nodes[i];
    if (n.group) return { type: 'workload', workload: n.group.workload };
    if (n.domain !== undefined) return { type: 'domain', name: n.domain };
    return { type: 'external', range: n.piece!, address: { family: n.piece!.family, value: n.piece!.first } };
  }

  /** What the policies allow from node `i` to node `j`, in three values. */
  public allowed(i: number, j: number): Reach {
    const key = i * this.nodes.length + j;
    let c = this.cache.get(key);
    if (!c) this.cache.set(key, (c = this.model.analysis.reach(this.endpoint(i), this.endpoint(j))));
    return c;
  }

  /**
   * What a statement's connections mean for the pair `i -> j`, with what is known of it: port
   * names resolved on a destination whose container ports are known (to nothing toward an
   * address), conditions decided by the ends' known namespace labels, IPs and addresses.
   */
  public resolve(i: number, j: number, connections: Reach): Reach {
    const src = this.nodes[i];
    const dst = this.nodes[j];
    let out = connections;
    if (!dst.group) out = out.resolvePorts([]);
    else if (portsKnown(dst.group.workload)) out = out.resolvePorts(dst.group.workload.ports);
    const analysis = this.model.analysis;
    const knowledge = (n: FlowNode): EndKnowledge =>
      n.group
        ? { pod: n.group.workload, namespace: analysis.namespace(n.group.namespace) }
        : n.piece
          ? { addresses: AddressSet.of([n.piece]) }
          : {}; // a domain name: what it resolves to is unknown
    const ends = { source: knowledge(src), destination: knowledge(dst) };
    out = out.decide((c: Condition) => decideCondition(c, ends, analysis.addressing));
    if (src.group && dst.group && src.group.namespace === dst.group.namespace) out = out.forSharedNamespace();
    return out;
  }

  /** The names of the pair's two ends, for conditions in words. */
  public endNames(i: number, j: number): EndNames {
    return endNames(this.model.analysis, this.endpoint(i), this.endpoint(j));
  }

  /** The explanation of the pair on one port. */
  public explain(i: number, j: number, set: ConnectionSet): Explanation {
    const { port, protocol } = firstPort(set);
    return this.model.analysis.explain(this.endpoint(i), this.endpoint(j), port, protocol);
  }

  /**
   * The names that stand for many nodes, in the order they are tried when printing, each with
   * its rank (printed statements are ordered by the ranks of their ends: groups in model
   * order, then `namespace/*`, `*`, `outside`, addresses).
   */
  public wildcards(): ReadonlyArray<{ readonly name: string; readonly rank: number; readonly members: readonly number[] }> {
    if (!this.cachedWildcards) {
      const g = this.groupCount;
      const groups = [...Array(g).keys()];
      const byNamespace = new Map<string, number[]>();
      for (const i of groups) {
        const ns = this.nodes[i].group!.namespace;
        const list = byNamespace.get(ns);
        if (list) list.push(i);
        else byNamespace.set(ns, [i]);
      }
      const pieces = [...Array(this.nodes.length - g).keys()].map((k) => g + k); // and the domain names
      this.cachedWildcards = [
        { name: OUTSIDE_NAME, rank: g + byNamespace.size + 1, members: [...groups.filter((i) => !this.underTest(i)), ...pieces] },
        { name: ALL_NAME, rank: g + byNamespace.size, members: groups },
        ...[...byNamespace].map(([ns, members], k) => ({ name: `${ns}/*`, rank: g + k, members })),
        // A tier of several groups reads as the tier, in the place of its first group.
        ...this.model.aliases.map((a) => {
          const members = a.groups.map((x) => this.model.groups.indexOf(x));
          return { name: a.name, rank: members.reduce((m, x) => Math.min(m, x), Infinity), members };
        }),
      ];
    }
    return this.cachedWildcards;
  }

  /** A short name of one node: the group's name, the piece as CIDR or range, or the domain name. */
  public label(i: number): string {
    const n = this.nodes[i];
    return n.group ? n.group.name : (n.domain ?? n.piece!.toString());
  }

  /** Every pair that counts and has something allowed or depending, by pair key `i * N + j`. */
  public allowedPairs(): Map<number, Reach> {
    const out = new Map<number, Reach>();
    const n = this.nodes.length;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (!this.counts(i, j)) continue;
        const c = this.allowed(i, j);
        if (!c.isEmpty) out.set(i * n + j, c);
      }
    }
    return out;
  }
}

/** One pair to print: its ends, a key (pairs print together when their keys are equal) and the text after the ends. */
interface Cell {
  readonly from: number;
  readonly to: number;
  readonly key: string;
  readonly text: string;
}

interface Named {
  readonly name: string;
  readonly rank: number;
}

/** The flows the model allows, as statements. */
export function printAllowedFlows(model: FlowModel): string[] {
  const space = new FlowSpace(model, []);
  return printCells(space, cellsOf(space, space.allowedPairs()));
}

/** One cell per statement a pair's set prints as (see `formatReach`). */
function cellsOf(space: FlowSpace, pairs: ReadonlyMap<number, Reach>): Cell[] {
  const n = space.nodes.length;
  return [...pairs].flatMap(([k, c]) =>
    formatReach(c).map((text) => ({ from: Math.floor(k / n), to: k % n, key: text, text: ` ${text}` })),
  );
}

/**
 * Prints cells as statements: pairs with one key are gathered into blocks (every source of a
 * block reaches every destination of it with that key), and each side of a block is named
 * with the fewest names whose pairs that count are exactly the block's.
 */
function printCells(space: FlowSpace, cells: readonly Cell[]): string[] {
  const byDestination = new Map<number, Map<string, { text: string; froms: number[] }>>();
  for (const c of cells) {
    let m = byDestination.get(c.to);
    if (!m) byDestination.set(c.to, (m = new Map()));
    let e = m.get(c.key);
    if (!e) m.set(c.key, (e = { text: c.text, froms: [] }));
    e.froms.push(c.from);
  }
  const blocks = new Map<string, { text: string; froms: number[]; tos: number[] }>();
  for (const [to, m] of byDestination) {
    for (const [key, e] of m) {
      const froms = [...e.froms].sort((a, b) => a - b);
      const k = `${key}\u0001${froms.join(',')}`;
      let b = blocks.get(k);
      if (!b) blocks.set(k, (b = { text: e.text, froms, tos: [] }));
      b.tos.push(to);
    }
  }
  const out: Array<{ text: string; rank: [number, number] }> = [];
  for (const b of blocks.values()) {
    const froms = cover(space, b.froms, b.tos, 'from');
    const tos = cover(space, b.tos, b.froms, 'to');
    for (const f of froms) for (const t of tos) out.push({ text: `${f.name} -> ${t.name}${b.text}`, rank: [f.rank, t.rank] });
  }
  out.sort((x, y) => x.rank[0] - y.rank[0] || x.rank[1] - y.rank[1] || (x.text < y.text ? -1 : x.text > y.text ? 1 : 0));
  return [...new Set(out.map((s) => s.text))];
}

/**
 * Names for the nodes `xs` on one side of pairs, whose other ends are `ys`: `outside`, `*` and
 * `namespace/*` where every member that forms a counted pair with some `y` is in `xs`; then
 * single groups; then the remaining addresses as CIDRs; then the remaining domain names.
 */
function cover(space: FlowSpace, xs: readonly number[], ys: readonly number[], side: 'from' | 'to'): Named[] {
  const inX = new Set(xs);
  const uncovered = new Set(xs);
  const ysUnderTest = ys.some((y) => space.underTest(y));
  const pairable = (e: number, y: number) => (side === 'from' ? space.pairable(e, y) : space.pairable(y, e));
  const relevant = (e: number) =>
    space.underTest(e) ? ys.some((y) => pairable(e, y)) : e >= space.domainStart ? side === 'to' && ysUnderTest : ysUnderTest;
  const g = space.groupCount;
  // A wildcard that stands for one group reads better as that group's name, unless the group
  // is the other pods of a namespace: `project=myproject/*` rather than `.../(others)`.
  const worth = (r: readonly number[]) =>
    r.length > 1 || (r.length === 1 && r[0] < g && space.model.groups[r[0]].workload.name === OTHER_PODS);
  const out: Named[] = [];
  for (const c of space.wildcards()) {
    const r = c.members.filter(relevant);
    if (worth(r) && r.every((i) => inX.has(i)) && r.some((i) => uncovered.has(i))) {
      out.push({ name: c.name, rank: c.rank });
      for (const i of r) uncovered.delete(i);
    }
  }
  const rest = [...uncovered].sort((a, b) => a - b);
  for (const i of rest) if (i < g) out.push({ name: space.label(i), rank: i });
  const pieces = rest.filter((i) => i >= g && i < space.domainStart);
  if (pieces.length > 0) {
    AddressSet.of(pieces.map((i) => space.nodes[i].piece!))
      .lines()
      .forEach((name, k) => out.push({ name, rank: space.nodes.length + pieces[0] + k }));
  }
  for (const i of rest) if (i >= space.domainStart) out.push({ name: space.label(i), rank: 2 * space.nodes.length + i });
  return out;
}

/** A flow statement, read. */
export interface FlowStatement {
  /** The statement as written. */
  readonly text: string;
  /** What its source name stands for. */
  readonly from: EndpointSet;
  /** What its destination name stands for. */
  readonly to: EndpointSet;
  /**
   * The connections it says are allowed: numbers, port names of the destination, each part
   * allowed for sure or on the statement's condition.
   */
  readonly connections: Reach;
}

/**
 * Reads `'<from> -> <to> <connections>[ if <condition>]'` against the model's names. Throws
 * `NetpolError` saying what is wrong.
 */
export function parseStatement(model: FlowModel, text: string): FlowStatement {
  const parts = text.split('->');
  if (parts.length !== 2 || parts[0].trim() === '') {
    throw NetpolError.ofValue('flow.syntax', `"${text}" is not a flow; write "<from> -> <to> <connections>", e.g. "web -> db TCP 5432"`);
  }
  const from = checkSource(model.resolve(parts[0]));
  const tokens = parts[1]
    .trim()
    .split(/\s+/)
    .filter((t) => t !== '');
  let firstValid: number | undefined;
  for (let k = 1; k < tokens.length; k++) {
    const conns = tokens.slice(k).join(' ');
    let connections: Reach;
    try {
      connections = parseConnections(conns);
    } catch {
      continue;
    }
    firstValid ??= k;
    const to = model.lookup(tokens.slice(0, k).join(' '));
    if (to) return { text, from, to, connections };
  }
  if (firstValid !== undefined) model.resolve(tokens.slice(0, firstValid).join(' '));
  const last = tokens.length > 1 ? tokens.slice(1).join(' ') : '';
  if (/^(none|nothing|no connections)$/i.test(last)) {
    throw NetpolError.ofValue(
      'flow.syntax',
      `"${text}" lists no connections; list only what is allowed, and assert that a flow is denied with toDeny`,
    );
  }
  const firstProtocol = tokens.findIndex((t, k) => k > 0 && /^(tcp|udp|sctp|all)$/i.test(t));
  if (firstProtocol > 0) parseConnections(tokens.slice(firstProtocol).join(' '));
  if (tokens.length > 1) parseConnections(tokens.slice(1).join(' '));
  throw NetpolError.ofValue(
    'flow.syntax',
    `"${text}" has no connections after its destination; end it with e.g. "TCP 5432", "UDP 53, TCP 53" or "All"`,
  );
}

/**
 * The endpoint set, if it may be a source: throws `NetpolError` for a domain name, which
 * policies match as a destination only.
 */
export function checkSource(set: EndpointSet): EndpointSet {
  if (set.text !== OUTSIDE_NAME && set.domains.length > 0) {
    throw NetpolError.ofValue(
      'flow.domain-source',
      `"${set.text}" is a domain name, which policies match as a destination only; name it as the ` +
        `destination, or the source's IP address or CIDR as the source`,
    );
  }
  return set;
}

/** Compares the allowed flows with the statements (see `FlowModel.compare`). */
export function compareFlows(model: FlowModel, expected: readonly string[]): FlowComparison {
  if (!Array.isArray(expected) || expected.some((s) => typeof s !== 'string')) {
    throw NetpolError.ofValue(
      'flow.syntax',
      `expected a list of flow statements such as ['web -> db TCP 5432'], got ${JSON.stringify(expected)}`,
    );
  }
  const { statements, issues } = parseStatements(model, expected);
  // Statements' addresses, and those their conditions name, cut the address space too.
  const conditionAddresses = statements.flatMap((s) =>
    s.connections.depends.flatMap((d) => d.condition.facts.flatMap((f) => (f.kind === 'pod-ip' ? f.addresses.intervals : []))),
  );
  const space = new FlowSpace(
    model,
    [...statements.flatMap((s) => [...s.from.addresses, ...s.to.addresses]), ...conditionAddresses],
    statements.flatMap((s) => s.to.domains),
  );
  const wanted = wantedPairs(model, space, statements, issues);
  if (issues.length > 0) {
    issues.sort((a, b) => Number(a.path.slice(1, -1)) - Number(b.path.slice(1, -1)));
    throw new NetpolError(issues, 'flow statements');
  }
  const actual = space.allowedPairs();
  const { missing, extra, other, firsts } = differences(space, wanted, actual);
  const n = space.nodes.length;
  const explanations = firsts
    .filter((f): f is { pair: number; set: ConnectionSet } => f !== undefined && !f.set.isEmpty)
    .map((f) => space.explain(Math.floor(f.pair / n), f.pair % n, f.set));
  return {
    pass: missing.length === 0 && extra.length === 0 && other.length === 0,
    missing: printCells(space, missing),
    extra: printCells(space, extra),
    otherPorts: printCells(space, other),
    allowed: printCells(space, cellsOf(space, actual)),
    explanations,
  };
}

/** A statement with its index in the list. */
type IndexedStatement = FlowStatement & { index: number };

/** The statements that parse, and one issue (at `[index]`) for each that does not. */
function parseStatements(model: FlowModel, expected: readonly string[]): { statements: IndexedStatement[]; issues: Issue[] } {
  const issues: Issue[] = [];
  const statements: IndexedStatement[] = [];
  expected.forEach((text, index) => {
    try {
      statements.push({ ...parseStatement(model, text), index });
    } catch (e) {
      if (!NetpolError.isNetpolError(e)) throw e;
      issues.push(
        ...e.issues.map((i) => ({
          ...i,
          path: `[${index}]`,
          message: i.message.includes(`"${text}"`) ? i.message : `in "${text}": ${i.message}`,
        })),
      );
    }
  });
  return { statements, issues };
}

/** What the statements list for each pair of nodes (`from * n + to`); a statement that names no pair in scope is an issue. */
function wantedPairs(model: FlowModel, space: FlowSpace, statements: readonly IndexedStatement[], issues: Issue[]): Map<number, Reach> {
  const n = space.nodes.length;
  const wanted = new Map<number, Reach>();
  for (const s of statements) {
    let counted = 0;
    const tos = space.expand(s.to);
    for (const i of space.expand(s.from)) {
      for (const j of tos) {
        if (!space.counts(i, j)) continue;
        counted++;
        wanted.set(i * n + j, (wanted.get(i * n + j) ?? Reach.none()).union(space.resolve(i, j, s.connections)));
      }
    }
    if (counted === 0) {
      issues.push({
        code: 'flow.out-of-scope',
        path: `[${s.index}]`,
        message: `"${s.text}" names no pair with an end in the namespaces under test (${model.namespaces.join(', ')}); flows elsewhere are not compared`,
      });
    }
  }
  return wanted;
}

/** The first pair of each kind of difference, with the ports to explain. */
type FirstDifference = { pair: number; set: ConnectionSet } | undefined;

/** The pairs listed but not allowed, allowed but not listed, and allowed otherwise than listed. */
function differences(
  space: FlowSpace,
  wanted: ReadonlyMap<number, Reach>,
  actual: ReadonlyMap<number, Reach>,
): { missing: Cell[]; extra: Cell[]; other: Cell[]; firsts: FirstDifference[] } {
  const n = space.nodes.length;
  const missing: Cell[] = [];
  const extra: Cell[] = [];
  const other: Cell[] = [];
  const firsts: FirstDifference[] = [undefined, undefined, undefined];
  const keys = [...new Set([...wanted.keys(), ...actual.keys()])].sort((a, b) => a - b);
  const texts = (r: Reach) => formatReach(r).join('; ');
  for (const k of keys) {
    const w = wanted.get(k) ?? Reach.none();
    const a = actual.get(k) ?? Reach.none();
    if (w.equals(a) || (w.isEmpty && a.isEmpty)) continue;
    const from = Math.floor(k / n);
    const to = k % n;
    if (a.isEmpty) {
      for (const text of formatReach(w)) missing.push({ from, to, key: text, text: ` ${text}` });
      firsts[0] ??= { pair: k, set: w.possible };
    } else if (w.isEmpty) {
      for (const text of formatReach(a)) extra.push({ from, to, key: text, text: ` ${text}` });
      firsts[1] ??= { pair: k, set: a.possible };
    } else {
      other.push({ from, to, key: `${w.key}\u0002${a.key}`, text: `: listed ${texts(w)}, allowed ${texts(a)}` });
      firsts[2] ??= { pair: k, set: differing(w, a) };
    }
  }
  return { missing, extra, other, firsts };
}

/**
 * The ports to explain where two sets differ: what one allows and the other does not, for sure
 * or at all; else (they differ only in conditions) what either may allow.
 */
function differing(w: Reach, a: Reach): ConnectionSet {
  for (const d of [
    w.possible.subtract(a.possible),
    a.possible.subtract(w.possible),
    w.allowed.subtract(a.allowed),
    a.allowed.subtract(w.allowed),
  ]) {
    if (!d.isEmpty) return d;
  }
  return a.possible.union(w.possible);
}
